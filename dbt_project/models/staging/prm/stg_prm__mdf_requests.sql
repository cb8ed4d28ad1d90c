with

source as (

    select * from {{ source('prm', 'mdf_requests') }}

),

latest as (

    {{ keep_latest_version('source', ['request_id'], 'updated_at') }}

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.request_id as {{ dbt.type_string() }}) as request_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.requested_at as {{ dbt.type_timestamp() }}) as requested_at,
        cast(latest.approved_at as {{ dbt.type_timestamp() }}) as approved_at,
        cast(latest.paid_at as {{ dbt.type_timestamp() }}) as paid_at,
        cast(latest.amount as {{ type_double() }}) as amount_local,
        cast(latest.currency as {{ dbt.type_string() }}) as currency,
        cast(latest.status as {{ dbt.type_string() }}) as status,
        cast(latest.campaign_type as {{ dbt.type_string() }}) as campaign_type,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
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
