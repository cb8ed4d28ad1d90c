-- Partner Performance (DESIGN 3): one row per partner per month and per quarter
-- (period_grain 'month' | 'quarter') of int_partner_performance_periods (month rows from the
-- partitioned int_partner_performance_monthly, quarter rows their sums, with targets).
-- Everything that looks across periods or partners is computed here, in an unpartitioned table
-- rebuilt from the months:
--   win_rate = won / (won + lost), by count, any role; null without closed deals
--   avg_deal_size_usd = mean USD amount of won deals (any role); sales_cycle_days = mean days
--     from created_at to close_date of those deals
--   registration_conversion_rate = converted / approved of the registrations submitted in the
--     period (cohort of the submission period); null when none approved
--   mdf_roi = attributed revenue / MDF paid, both over the trailing 4 quarters ending with the
--     period (12 months for month rows), null when nothing was paid
--   targets from partner_targets (quarterly): quarter rows take the quarter's target; month rows
--     a third of it (revenue, pipeline, registrations; certifications are a stock, not
--     pro-rated). attainment = actual / target, null when there is no target or it is 0
--   baselines on attributed revenue: same period a year earlier (null when the partner had no
--     row then); mean of the partner's rows over the 4 quarters (12 months) before the period
--   peer_percentile: mid-rank percentile of attributed revenue within partner_type x tier in the
--     same period, falling back to partner_type, then to all partners, when the group has fewer
--     than min_peer_group_size (seed performance_settings, 5) partners; zero revenue scores 0.
--     region_percentile: the same within region (fallback: all partners).
--     segment_median_revenue_usd, rank_in_segment (1 = highest, ties share a rank) and
--     peer_group_size refer to the peer group actually used (peer_group).

with

periods as (

    select * from {{ ref('int_partner_performance_periods') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

settings as (

    select * from {{ ref('performance_settings') }}

),

trailing_windows as (

    select
        current_period.partner_id,
        current_period.period_grain,
        current_period.period_start,
        sum(
            case
                when
                    history.period_start >= case
                        when current_period.period_grain = 'month'
                            then {{ add_months('current_period.period_start', -11) }}
                        else {{ add_months('current_period.period_start', -9) }}
                    end
                    then history.attributed_revenue_usd
                else 0
            end
        ) as attributed_revenue_trailing_4q_usd,
        sum(
            case
                when
                    history.period_start >= case
                        when current_period.period_grain = 'month'
                            then {{ add_months('current_period.period_start', -11) }}
                        else {{ add_months('current_period.period_start', -9) }}
                    end
                    then history.mdf_paid_usd
                else 0
            end
        ) as mdf_paid_trailing_4q_usd,
        max(
            case
                when history.period_start = {{ add_months('current_period.period_start', -12) }}
                    then history.attributed_revenue_usd
            end
        ) as baseline_same_period_last_year_usd,
        avg(
            case
                when history.period_start < current_period.period_start
                    then history.attributed_revenue_usd
            end
        ) as baseline_trailing_4q_avg_usd
    from periods as current_period
    inner join periods as history
        on
            current_period.partner_id = history.partner_id
            and current_period.period_grain = history.period_grain
            and {{ add_months('current_period.period_start', -12) }} <= history.period_start
            and current_period.period_start >= history.period_start
    group by current_period.partner_id, current_period.period_grain, current_period.period_start

),

peer_periods as (

    select *
    from periods
    where not is_unknown_member

),

peer_ranks as (

    select
        partner_id,
        period_grain,
        period_start,
        partner_type,
        tier,
        region,
        count(*) over (partition by period_grain, period_start, partner_type, tier) as n_type_tier,
        count(*) over (partition by period_grain, period_start, partner_type) as n_type,
        count(*) over (partition by period_grain, period_start) as n_all,
        count(*) over (partition by period_grain, period_start, region) as n_region,
        {{ perf_mid_rank_percentile(
            'attributed_revenue_usd', ['period_grain', 'period_start', 'partner_type', 'tier']
        ) }} as percentile_type_tier,
        {{ perf_mid_rank_percentile(
            'attributed_revenue_usd', ['period_grain', 'period_start', 'partner_type']
        ) }} as percentile_type,
        {{ perf_mid_rank_percentile('attributed_revenue_usd', ['period_grain', 'period_start']) }}
            as percentile_all,
        {{ perf_mid_rank_percentile(
            'attributed_revenue_usd', ['period_grain', 'period_start', 'region']
        ) }} as percentile_region,
        rank() over (
            partition by period_grain, period_start, partner_type, tier
            order by attributed_revenue_usd desc
        ) as rank_type_tier,
        rank() over (
            partition by period_grain, period_start, partner_type
            order by attributed_revenue_usd desc
        ) as rank_type,
        rank() over (
            partition by period_grain, period_start
            order by attributed_revenue_usd desc
        ) as rank_all
    from peer_periods

),

median_type_tier as (

    select
        period_grain,
        period_start,
        partner_type,
        tier,
        {{ percentile_cont('attributed_revenue_usd', 0.5) }} as median_revenue_usd
    from peer_periods
    group by period_grain, period_start, partner_type, tier

),

median_type as (

    select
        period_grain,
        period_start,
        partner_type,
        {{ percentile_cont('attributed_revenue_usd', 0.5) }} as median_revenue_usd
    from peer_periods
    group by period_grain, period_start, partner_type

),

median_all as (

    select
        period_grain,
        period_start,
        {{ percentile_cont('attributed_revenue_usd', 0.5) }} as median_revenue_usd
    from peer_periods
    group by period_grain, period_start

),

peer_groups as (

    select
        peer_ranks.partner_id,
        peer_ranks.period_grain,
        peer_ranks.period_start,
        case
            when peer_ranks.n_type_tier >= settings.min_peer_group_size then 'partner_type_tier'
            when peer_ranks.n_type >= settings.min_peer_group_size then 'partner_type'
            else 'all'
        end as peer_group,
        case
            when peer_ranks.n_type_tier >= settings.min_peer_group_size then peer_ranks.n_type_tier
            when peer_ranks.n_type >= settings.min_peer_group_size then peer_ranks.n_type
            else peer_ranks.n_all
        end as peer_group_size,
        case
            when peer_ranks.n_type_tier >= settings.min_peer_group_size
                then peer_ranks.percentile_type_tier
            when peer_ranks.n_type >= settings.min_peer_group_size then peer_ranks.percentile_type
            else peer_ranks.percentile_all
        end as peer_percentile,
        case
            when peer_ranks.n_region >= settings.min_peer_group_size then peer_ranks.percentile_region
            else peer_ranks.percentile_all
        end as region_percentile,
        case
            when peer_ranks.n_type_tier >= settings.min_peer_group_size
                then median_type_tier.median_revenue_usd
            when peer_ranks.n_type >= settings.min_peer_group_size then median_type.median_revenue_usd
            else median_all.median_revenue_usd
        end as segment_median_revenue_usd,
        case
            when peer_ranks.n_type_tier >= settings.min_peer_group_size then peer_ranks.rank_type_tier
            when peer_ranks.n_type >= settings.min_peer_group_size then peer_ranks.rank_type
            else peer_ranks.rank_all
        end as rank_in_segment
    from peer_ranks
    cross join settings
    inner join median_type_tier
        on
            peer_ranks.period_grain = median_type_tier.period_grain
            and peer_ranks.period_start = median_type_tier.period_start
            and peer_ranks.partner_type = median_type_tier.partner_type
            and peer_ranks.tier = median_type_tier.tier
    inner join median_type
        on
            peer_ranks.period_grain = median_type.period_grain
            and peer_ranks.period_start = median_type.period_start
            and peer_ranks.partner_type = median_type.partner_type
    inner join median_all
        on
            peer_ranks.period_grain = median_all.period_grain
            and peer_ranks.period_start = median_all.period_start

),

final as (

    select
        periods.partner_id,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        partners.partner_name,
        periods.partner_type,
        periods.tier,
        periods.region,
        periods.is_provisional,
        periods.is_unknown_member,
        periods.is_after_termination,
        cast(periods.sourced_revenue_usd as {{ type_money() }}) as sourced_revenue_usd,
        cast(periods.influenced_revenue_usd as {{ type_money() }}) as influenced_revenue_usd,
        cast(periods.attributed_revenue_usd as {{ type_money() }}) as attributed_revenue_usd,
        cast(periods.won_deals as {{ dbt.type_bigint() }}) as won_deals,
        cast(periods.lost_deals as {{ dbt.type_bigint() }}) as lost_deals,
        cast(
            case
                when periods.won_deals + periods.lost_deals > 0
                    then cast(periods.won_deals as {{ type_double() }}) / (periods.won_deals + periods.lost_deals)
            end
            as {{ type_double() }}
        ) as win_rate,
        cast(
            case
                when periods.won_amount_deals > 0
                    then round(periods.won_amount_usd / periods.won_amount_deals, 2)
            end
            as {{ type_money() }}
        ) as avg_deal_size_usd,
        cast(
            case
                when periods.sales_cycle_deals > 0
                    then cast(periods.sales_cycle_days_sum as {{ type_double() }}) / periods.sales_cycle_deals
            end
            as {{ type_double() }}
        ) as sales_cycle_days,
        cast(periods.pipeline_created_usd as {{ type_money() }}) as pipeline_created_usd,
        cast(periods.pipeline_created_deals as {{ dbt.type_bigint() }}) as pipeline_created_deals,
        cast(periods.registrations_submitted as {{ dbt.type_bigint() }}) as registrations_submitted,
        cast(periods.registrations_approved as {{ dbt.type_bigint() }}) as registrations_approved,
        cast(periods.registrations_converted as {{ dbt.type_bigint() }}) as registrations_converted,
        cast(
            case
                when periods.registrations_approved > 0
                    then cast(periods.registrations_converted as {{ type_double() }}) / periods.registrations_approved
            end
            as {{ type_double() }}
        ) as registration_conversion_rate,
        cast(periods.new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(periods.co_sell_count as {{ dbt.type_bigint() }}) as co_sell_count,
        cast(periods.mdf_paid_usd as {{ type_money() }}) as mdf_paid_usd,
        cast(trailing_windows.attributed_revenue_trailing_4q_usd as {{ type_money() }})
            as attributed_revenue_trailing_4q_usd,
        cast(trailing_windows.mdf_paid_trailing_4q_usd as {{ type_money() }}) as mdf_paid_trailing_4q_usd,
        cast(
            case
                when trailing_windows.mdf_paid_trailing_4q_usd > 0
                    then cast(trailing_windows.attributed_revenue_trailing_4q_usd as {{ type_double() }}) / cast(trailing_windows.mdf_paid_trailing_4q_usd as {{ type_double() }})
            end
            as {{ type_double() }}
        ) as mdf_roi,
        cast(periods.valid_certifications as {{ dbt.type_bigint() }}) as valid_certifications,
        cast(periods.certified_contacts as {{ dbt.type_bigint() }}) as certified_contacts,
        cast(round(periods.target_revenue, 2) as {{ type_money() }}) as target_revenue_usd,
        cast(
            case
                when periods.target_revenue > 0
                    then cast(periods.attributed_revenue_usd as {{ type_double() }}) / periods.target_revenue
            end
            as {{ type_double() }}
        ) as revenue_attainment,
        cast(round(periods.target_pipeline, 2) as {{ type_money() }}) as target_pipeline_usd,
        cast(
            case
                when periods.target_pipeline > 0
                    then cast(periods.pipeline_created_usd as {{ type_double() }}) / periods.target_pipeline
            end
            as {{ type_double() }}
        ) as pipeline_attainment,
        cast(periods.target_registrations as {{ type_double() }}) as target_registrations,
        cast(
            case
                when periods.target_registrations > 0
                    then cast(periods.registrations_submitted as {{ type_double() }}) / periods.target_registrations
            end
            as {{ type_double() }}
        ) as registrations_attainment,
        cast(periods.target_certifications as {{ type_double() }}) as target_certifications,
        cast(
            case
                when periods.target_certifications > 0
                    then cast(periods.valid_certifications as {{ type_double() }}) / periods.target_certifications
            end
            as {{ type_double() }}
        ) as certifications_attainment,
        cast(trailing_windows.baseline_same_period_last_year_usd as {{ type_money() }})
            as baseline_same_period_last_year_usd,
        cast(round(trailing_windows.baseline_trailing_4q_avg_usd, 2) as {{ type_money() }})
            as baseline_trailing_4q_avg_usd,
        cast(peer_groups.peer_percentile as {{ type_double() }}) as peer_percentile,
        cast(peer_groups.region_percentile as {{ type_double() }}) as region_percentile,
        peer_groups.peer_group,
        cast(peer_groups.peer_group_size as {{ dbt.type_bigint() }}) as peer_group_size,
        cast(round(peer_groups.segment_median_revenue_usd, 2) as {{ type_money() }})
            as segment_median_revenue_usd,
        cast(peer_groups.rank_in_segment as {{ dbt.type_bigint() }}) as rank_in_segment
    from periods
    left join partners
        on periods.partner_id = partners.partner_id
    inner join trailing_windows
        on
            periods.partner_id = trailing_windows.partner_id
            and periods.period_grain = trailing_windows.period_grain
            and periods.period_start = trailing_windows.period_start
    left join peer_groups
        on
            periods.partner_id = peer_groups.partner_id
            and periods.period_grain = peer_groups.period_grain
            and periods.period_start = peer_groups.period_start

)

select * from final
