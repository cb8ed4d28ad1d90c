-- Coverage of the partner ecosystem at the end of the last closed month L, at two grains
-- (grain partner_type: region x partner_type; grain specialization: region x specialization, a
-- partner counting once for each specialization it lists). active_partners: real partners
-- active at the end of L with the segment's attributes then (SCD2). revenue_usd: attributed
-- revenue of the 12 closed months [L - 11, L], each month under the attributes of that month.
-- target_partners from seed coverage_targets; gap = target - active (negative: over target),
-- is_gap when gap > 0, null target -> null gap, no gap. Demand signal of the region: customer
-- accounts (dim_account) and the open pipeline at the end of L of their opportunities
-- (created before it, not closed before it; USD at the current amount), with or without a
-- partner. Unmet demand = demand_pipeline_usd x gap / target_partners (the share of the
-- region's pipeline the missing partners would serve); recruitment_priority ranks the gap rows
-- of a grain by it (1 = recruit first; ties: larger gap, then region and segment).

{%- set last_month = last_closed_month() %}
{%- set month_end_ts = 'cast(' ~ add_months(last_month, 1) ~ ' as ' ~ dbt.type_timestamp() ~ ')' %}

with

partner_months as (

    select * from {{ ref('int_ecosystem_partner_months') }}

),

targets as (

    select * from {{ ref('coverage_targets') }}

),

accounts as (

    select * from {{ ref('dim_account') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

specialization_list as (

    select distinct segment_value as specialization
    from targets
    where grain = 'specialization'

),

segment_months as (

    select
        'partner_type' as grain,
        region,
        partner_type as segment_value,
        partner_id,
        attributed_revenue_usd,
        is_active_at_end
    from partner_months

    union all

    select
        'specialization' as grain,
        partner_months.region,
        specialization_list.specialization as segment_value,
        partner_months.partner_id,
        partner_months.attributed_revenue_usd,
        partner_months.is_active_at_end
    from partner_months
    inner join specialization_list
        on
            {{ dbt.concat(["';'", "replace(partner_months.specializations, ' ', '')", "';'"]) }}
            like {{ dbt.concat(["'%;'", 'specialization_list.specialization', "';%'"]) }}

),

observed as (

    select
        grain,
        region,
        segment_value,
        count(distinct case when is_active_at_end then partner_id end) as active_partners,
        sum(attributed_revenue_usd) as revenue_usd
    from segment_months
    group by grain, region, segment_value

),

segment_keys as (

    select
        grain,
        region,
        segment_value
    from observed
    union
    select
        grain,
        region,
        segment_value
    from targets

),

region_demand as (

    select
        accounts.region,
        count(distinct accounts.account_id) as demand_accounts,
        sum(
            case
                when
                    opportunities.created_at < {{ month_end_ts }}
                    and (not opportunities.is_closed or opportunities.close_date >= {{ add_months(last_month, 1) }})
                    then opportunities.amount_usd
            end
        ) as demand_pipeline_usd
    from accounts
    left join opportunities
        on accounts.account_id = opportunities.account_id
    group by accounts.region

),

measured as (

    select
        segment_keys.grain,
        segment_keys.region,
        segment_keys.segment_value,
        {{ last_month }} as month_start,
        coalesce(observed.active_partners, 0) as active_partners,
        targets.target_partners,
        targets.target_partners - coalesce(observed.active_partners, 0) as gap,
        coalesce(observed.revenue_usd, 0) as revenue_usd,
        coalesce(region_demand.demand_accounts, 0) as demand_accounts,
        coalesce(region_demand.demand_pipeline_usd, 0) as demand_pipeline_usd
    from segment_keys
    left join observed
        on
            segment_keys.grain = observed.grain
            and segment_keys.region = observed.region
            and segment_keys.segment_value = observed.segment_value
    left join targets
        on
            segment_keys.grain = targets.grain
            and segment_keys.region = targets.region
            and segment_keys.segment_value = targets.segment_value
    left join region_demand
        on segment_keys.region = region_demand.region

),

with_demand as (

    select
        measured.*,
        coalesce(measured.gap > 0, false) as is_gap,
        case
            when measured.gap > 0 then measured.demand_pipeline_usd * measured.gap / measured.target_partners
        end as unmet_demand_usd
    from measured

),

final as (

    select
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        month_start,
        cast(active_partners as {{ dbt.type_bigint() }}) as active_partners,
        cast(target_partners as {{ dbt.type_bigint() }}) as target_partners,
        cast(gap as {{ dbt.type_bigint() }}) as gap,
        is_gap,
        cast(revenue_usd as {{ type_money() }}) as revenue_usd,
        cast(demand_accounts as {{ dbt.type_bigint() }}) as demand_accounts,
        cast(demand_pipeline_usd as {{ type_money() }}) as demand_pipeline_usd,
        cast(unmet_demand_usd as {{ type_money() }}) as unmet_demand_usd,
        cast(
            case
                when is_gap
                    then row_number() over (
                            partition by grain, is_gap
                            order by unmet_demand_usd desc, gap desc, region asc, segment_value asc
                        )
            end
            as {{ dbt.type_bigint() }}
        ) as recruitment_priority
    from with_demand

)

select * from final
