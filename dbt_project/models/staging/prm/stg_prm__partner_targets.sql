with

source as (

    select * from {{ source('prm', 'partner_targets') }}

),

latest as (

    {{ keep_latest_version('source', ['partner_id', 'period_start', 'metric']) }}

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.period_start as date) as period_start,
        cast(latest.metric as {{ dbt.type_string() }}) as metric,
        cast(latest.target_value as {{ type_double() }}) as target_value,
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
