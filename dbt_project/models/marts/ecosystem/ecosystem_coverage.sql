-- Ecosystem coverage by region x partner_type at the end of the last closed month (grain
-- partner_type of int_ecosystem_coverage, where the rules are documented).

with

coverage as (

    select * from {{ ref('int_ecosystem_coverage') }}

),

final as (

    select
        region,
        segment_value as partner_type,
        month_start,
        active_partners,
        target_partners,
        gap,
        is_gap,
        revenue_usd,
        demand_accounts,
        demand_pipeline_usd,
        unmet_demand_usd,
        recruitment_priority
    from coverage
    where grain = 'partner_type'

)

select * from final
