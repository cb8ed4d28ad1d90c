with

source as (

    select * from {{ source('lms', 'enrollments') }}

),

latest as (

    {{ keep_latest_version('source', ['enrollment_id'], 'updated_at') }}

),

known_courses as (

    select distinct course_id as known_id
    from {{ source('lms', 'courses') }}
    where course_id is not null

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

known_contacts as (

    select distinct contact_id as known_id
    from {{ source('prm', 'partner_contacts') }}
    where contact_id is not null

),

renamed as (

    select
        cast(latest.enrollment_id as {{ dbt.type_string() }}) as enrollment_id,
        cast(latest.course_id as {{ dbt.type_string() }}) as course_id,
        cast(latest.contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.enrolled_at as {{ dbt.type_timestamp() }}) as enrolled_at,
        cast(latest.completed_at as {{ dbt.type_timestamp() }}) as completed_at,
        cast(latest.score as {{ type_double() }}) as score,
        cast(latest.status as {{ dbt.type_string() }}) as status,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.course_id is not null and known_courses.known_id is null) as is_orphan_course,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner,
        (renamed.contact_id is not null and known_contacts.known_id is null) as is_orphan_contact
    from renamed
    left join known_courses on renamed.course_id = known_courses.known_id
    left join known_partners on renamed.partner_id = known_partners.known_id
    left join known_contacts on renamed.contact_id = known_contacts.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_course or flagged.is_orphan_partner or flagged.is_orphan_contact) as is_orphan
    from flagged

)

select * from final
