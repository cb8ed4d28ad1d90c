-- Ecosystem portfolio (DESIGN 3 "Ecosystem Assessment"): one row per real partner active at
-- the end of a closed month M and scored by the health score in M (partner_health_score, not
-- provisional, score not null). performance_percentile: mid-rank percentile (macro
-- mid_rank_percentile) of the partner's attributed revenue of the 12 months ending with M
-- among the month's portfolio partners. Quadrants (boundaries in seed ecosystem_settings,
-- inclusive from the split): stars (high performance, high health), dependents (high
-- performance, low health: revenue we depend on is at risk), rising (low performance, high
-- health: growth candidates), laggards (low, low). growth_headroom_usd, for rising partners
-- below the median trailing-12-month revenue of their segment (partner_type x tier at M, the
-- month's portfolio partners): median - revenue; null otherwise. Value beyond revenue:
-- influenced revenue, certified people at M, registrations submitted in the 12 months.

with

windowed as (

    select * from {{ ref('int_ecosystem_partner_trailing') }}

),

health as (

    select * from {{ ref('partner_health_score') }}

),

settings as (

    select * from {{ ref('ecosystem_settings') }}

),

scored as (

    select
        windowed.*,
        health.health_score
    from windowed
    inner join health
        on
            windowed.partner_id = health.partner_id
            and windowed.month_start = health.month_start
    where
        windowed.is_active_at_end
        and not health.is_provisional
        and health.health_score is not null

),

ranked as (

    select
        scored.*,
        {{ mid_rank_percentile('scored.revenue_12m_usd', ['scored.month_start']) }} as performance_percentile
    from scored

),

segment_medians as (

    select
        month_start,
        partner_type,
        tier,
        {{ percentile_cont('revenue_12m_usd', 0.5) }} as segment_median_revenue_usd
    from scored
    group by month_start, partner_type, tier

),

classified as (

    select
        ranked.*,
        segment_medians.segment_median_revenue_usd,
        ranked.performance_percentile >= settings.portfolio_performance_split as is_high_performance,
        ranked.health_score >= settings.portfolio_health_split as is_high_health
    from ranked
    cross join settings
    left join segment_medians
        on
            ranked.month_start = segment_medians.month_start
            and ranked.partner_type = segment_medians.partner_type
            and ranked.tier = segment_medians.tier

),

final as (

    select
        partner_id,
        month_start,
        partner_type,
        tier,
        region,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(revenue_12m_usd as {{ type_money() }}) as revenue_12m_usd,
        cast(round(performance_percentile, 1) as {{ type_double() }}) as performance_percentile,
        is_high_performance,
        is_high_health,
        cast(
            case
                when is_high_performance and is_high_health then 'stars'
                when is_high_performance then 'dependents'
                when is_high_health then 'rising'
                else 'laggards'
            end
            as {{ dbt.type_string() }}
        ) as quadrant,
        cast(segment_median_revenue_usd as {{ type_money() }}) as segment_median_revenue_usd,
        cast(
            case
                when is_high_health and not is_high_performance and revenue_12m_usd < segment_median_revenue_usd
                    then segment_median_revenue_usd - revenue_12m_usd
            end
            as {{ type_money() }}
        ) as growth_headroom_usd,
        cast(influenced_revenue_12m_usd as {{ type_money() }}) as influenced_revenue_12m_usd,
        cast(certified_people as {{ dbt.type_bigint() }}) as certified_people,
        cast(registrations_12m as {{ dbt.type_bigint() }}) as registrations_12m
    from classified

)

select * from final
