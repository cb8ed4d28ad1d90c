with

source as (

    select * from {{ source('survey', 'invitations') }}

),

latest as (

    {{ keep_latest_version('source', ['invitation_id']) }}

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
        cast(latest.invitation_id as {{ dbt.type_string() }}) as invitation_id,
        cast(latest.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(latest.sent_at as {{ dbt.type_timestamp() }}) as sent_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner,
        (renamed.contact_id is not null and known_contacts.known_id is null) as is_orphan_contact
    from renamed
    left join known_partners on renamed.partner_id = known_partners.known_id
    left join known_contacts on renamed.contact_id = known_contacts.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_partner or flagged.is_orphan_contact) as is_orphan
    from flagged

)

select * from final
