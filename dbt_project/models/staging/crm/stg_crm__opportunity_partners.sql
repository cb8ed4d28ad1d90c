with

source as (

    select * from {{ source('crm', 'opportunity_partners') }}

),

latest as (

    {{ keep_latest_version('source', ['opportunity_id', 'partner_id', 'role']) }}

),

known_opportunities as (

    select distinct opportunity_id as known_id
    from {{ source('crm', 'opportunities') }}
    where opportunity_id is not null

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.role as {{ dbt.type_string() }}) as role,
        cast(latest.created_at as {{ dbt.type_timestamp() }}) as created_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.opportunity_id is not null and known_opportunities.known_id is null) as is_orphan_opportunity,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner
    from renamed
    left join known_opportunities on renamed.opportunity_id = known_opportunities.known_id
    left join known_partners on renamed.partner_id = known_partners.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_opportunity or flagged.is_orphan_partner) as is_orphan
    from flagged

)

select * from final
