with

source as (

    select * from {{ source('prm', 'partner_contacts') }}

),

latest as (

    {{ keep_latest_version('source', ['contact_id']) }}

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.role as {{ dbt.type_string() }}) as contact_role,
        {{ hash_pii('latest.' ~ 'email') }} as email_sha256,
        cast(latest.is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(latest.created_at as {{ dbt.type_timestamp() }}) as created_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner
    from renamed
    left join known_partners on renamed.partner_id = known_partners.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_partner) as is_orphan
    from flagged

)

select * from final
