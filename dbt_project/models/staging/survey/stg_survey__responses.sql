with

source as (

    select * from {{ source('survey', 'responses') }}

),

latest as (

    {{ keep_latest_version('source', ['response_id']) }}

),

known_invitations as (

    select distinct invitation_id as known_id
    from {{ source('survey', 'invitations') }}
    where invitation_id is not null

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.response_id as {{ dbt.type_string() }}) as response_id,
        cast(latest.invitation_id as {{ dbt.type_string() }}) as invitation_id,
        cast(latest.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(latest.submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.invitation_id is not null and known_invitations.known_id is null) as is_orphan_invitation,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner
    from renamed
    left join known_invitations on renamed.invitation_id = known_invitations.known_id
    left join known_partners on renamed.partner_id = known_partners.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_invitation or flagged.is_orphan_partner) as is_orphan
    from flagged

)

select * from final
