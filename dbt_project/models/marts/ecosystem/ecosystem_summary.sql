-- Ecosystem summary (DESIGN 3 "Ecosystem Assessment"): one row per closed month M.
--   partners, partners_<tier>: real partners active at the end of M, by the tier held then
--   wrong_tier_share: share of them whose tier differs from the one seed tier_requirements
--     recommends (int_ecosystem_tier_fit_monthly: partner_tier_fit's rule for every month)
--   coverage_gaps: region x partner_type segments of seed coverage_targets with fewer active
--     partners at the end of M than the target
--   hhi: HHI (sum(share^2) x 10000) of the real partners' attributed revenue of the 12 months
--     ending with M (as ecosystem_concentration overall)
--   median_health_score / median_revenue_12m_usd: ecosystem medians over the month's
--     ecosystem_portfolio partners; strongest_segment / weakest_segment: the partner_type with
--     the highest / lowest median health score (ties: the smaller partner_type name), with its
--     median health and revenue and the gap to the ecosystem median
--   *_change_3m: the value minus the value three months earlier (previous quarter); null when
--     that month has no row.

with

windowed as (

    select * from {{ ref('int_ecosystem_partner_trailing') }}

),

tier_fit as (

    select * from {{ ref('int_ecosystem_tier_fit_monthly') }}

),

portfolio as (

    select * from {{ ref('ecosystem_portfolio') }}

),

targets as (

    select * from {{ ref('coverage_targets') }}

),

tiers as (

    select
        month_start,
        count(*) as partners,
        sum(case when current_tier = 'registered' then 1 else 0 end) as partners_registered,
        sum(case when current_tier = 'silver' then 1 else 0 end) as partners_silver,
        sum(case when current_tier = 'gold' then 1 else 0 end) as partners_gold,
        sum(case when current_tier = 'platinum' then 1 else 0 end) as partners_platinum,
        1.0 * sum(case when is_wrong_tier then 1 else 0 end) / count(*) as wrong_tier_share
    from tier_fit
    group by month_start

),

segment_counts as (

    select
        month_start,
        region,
        partner_type,
        count(*) as active_partners
    from windowed
    where is_active_at_end
    group by month_start, region, partner_type

),

gaps as (

    select
        tiers.month_start,
        sum(case when coalesce(segment_counts.active_partners, 0) < targets.target_partners then 1 else 0 end)
            as coverage_gaps
    from tiers
    cross join targets
    left join segment_counts
        on
            tiers.month_start = segment_counts.month_start
            and targets.region = segment_counts.region
            and targets.segment_value = segment_counts.partner_type
    where targets.grain = 'partner_type'
    group by tiers.month_start

),

revenue_shares as (

    select
        month_start,
        revenue_12m_usd / sum(revenue_12m_usd) over (partition by month_start) as revenue_share
    from windowed
    where revenue_12m_usd > 0

),

concentration as (

    select
        month_start,
        sum(revenue_share * revenue_share) * 10000 as hhi
    from revenue_shares
    group by month_start

),

ecosystem_medians as (

    select
        month_start,
        {{ percentile_cont('health_score', 0.5) }} as median_health_score,
        {{ percentile_cont('revenue_12m_usd', 0.5) }} as median_revenue_12m_usd
    from portfolio
    group by month_start

),

segment_medians as (

    select
        month_start,
        partner_type,
        {{ percentile_cont('health_score', 0.5) }} as median_health_score,
        {{ percentile_cont('revenue_12m_usd', 0.5) }} as median_revenue_12m_usd
    from portfolio
    group by month_start, partner_type

),

segment_ranks as (

    select
        segment_medians.*,
        row_number() over (
            partition by segment_medians.month_start order by segment_medians.median_health_score desc, segment_medians.partner_type asc
        ) as strongest_rank,
        row_number() over (
            partition by segment_medians.month_start order by segment_medians.median_health_score asc, segment_medians.partner_type asc
        ) as weakest_rank
    from segment_medians

),

monthly as (

    select
        tiers.*,
        coalesce(gaps.coverage_gaps, 0) as coverage_gaps,
        concentration.hhi,
        ecosystem_medians.median_health_score,
        ecosystem_medians.median_revenue_12m_usd,
        strongest.partner_type as strongest_segment,
        strongest.median_health_score as strongest_segment_median_health,
        strongest.median_revenue_12m_usd as strongest_segment_median_revenue_usd,
        weakest.partner_type as weakest_segment,
        weakest.median_health_score as weakest_segment_median_health,
        weakest.median_revenue_12m_usd as weakest_segment_median_revenue_usd
    from tiers
    left join gaps
        on tiers.month_start = gaps.month_start
    left join concentration
        on tiers.month_start = concentration.month_start
    left join ecosystem_medians
        on tiers.month_start = ecosystem_medians.month_start
    left join segment_ranks as strongest
        on
            tiers.month_start = strongest.month_start
            and strongest.strongest_rank = 1
    left join segment_ranks as weakest
        on
            tiers.month_start = weakest.month_start
            and weakest.weakest_rank = 1

),

final as (

    select
        monthly.month_start,
        cast(monthly.partners as {{ dbt.type_bigint() }}) as partners,
        cast(monthly.partners_registered as {{ dbt.type_bigint() }}) as partners_registered,
        cast(monthly.partners_silver as {{ dbt.type_bigint() }}) as partners_silver,
        cast(monthly.partners_gold as {{ dbt.type_bigint() }}) as partners_gold,
        cast(monthly.partners_platinum as {{ dbt.type_bigint() }}) as partners_platinum,
        cast(round(monthly.wrong_tier_share, 4) as {{ type_double() }}) as wrong_tier_share,
        cast(monthly.coverage_gaps as {{ dbt.type_bigint() }}) as coverage_gaps,
        cast(round(monthly.hhi, 1) as {{ type_double() }}) as hhi,
        cast(round(monthly.median_health_score, 1) as {{ type_double() }}) as median_health_score,
        cast(monthly.median_revenue_12m_usd as {{ type_money() }}) as median_revenue_12m_usd,
        cast(monthly.strongest_segment as {{ dbt.type_string() }}) as strongest_segment,
        cast(round(monthly.strongest_segment_median_health, 1) as {{ type_double() }})
            as strongest_segment_median_health,
        cast(round(monthly.strongest_segment_median_health - monthly.median_health_score, 1) as {{ type_double() }})
            as strongest_segment_vs_ecosystem,
        cast(monthly.strongest_segment_median_revenue_usd as {{ type_money() }})
            as strongest_segment_median_revenue_usd,
        cast(monthly.weakest_segment as {{ dbt.type_string() }}) as weakest_segment,
        cast(round(monthly.weakest_segment_median_health, 1) as {{ type_double() }})
            as weakest_segment_median_health,
        cast(round(monthly.weakest_segment_median_health - monthly.median_health_score, 1) as {{ type_double() }})
            as weakest_segment_vs_ecosystem,
        cast(monthly.weakest_segment_median_revenue_usd as {{ type_money() }})
            as weakest_segment_median_revenue_usd,
        cast(round(monthly.wrong_tier_share - previous.wrong_tier_share, 4) as {{ type_double() }})
            as wrong_tier_share_change_3m,
        cast(monthly.coverage_gaps - previous.coverage_gaps as {{ dbt.type_bigint() }}) as coverage_gaps_change_3m,
        cast(round(monthly.hhi - previous.hhi, 1) as {{ type_double() }}) as hhi_change_3m,
        cast(round(monthly.median_health_score - previous.median_health_score, 1) as {{ type_double() }})
            as median_health_change_3m
    from monthly
    left join monthly as previous
        on previous.month_start = {{ add_months('monthly.month_start', -3) }}

)

select * from final
