-- The periods of partner_performance: one row per partner per month (from the partitioned
-- int_partner_performance_monthly) and per quarter (the sums of its months; stocks such as valid
-- certifications and the segment attributes - partner_type, tier, region - are taken at the
-- quarter's last month inside the window, the SCD2 version valid then), with the period's
-- targets from partner_targets (quarterly; month rows a third of the quarter's revenue, pipeline
-- and registrations targets; certifications are a stock, not pro-rated). Additive only: the
-- cross-period and cross-partner values are computed in partner_performance.
-- Registrations are a cohort: those submitted in the period, with their status as of the as_of
-- date (registrations_approved, registrations_converted mature as decisions and wins arrive).
-- fct_partner_month keeps the month-end snapshot instead (status at E, never rewritten); a
-- conversion rate on that snapshot would read ~0, since deals rarely close in the month the
-- registration was submitted.

with

monthly as (

    select * from {{ ref('int_partner_performance_monthly') }}

),

targets as (

    select * from {{ ref('stg_prm__partner_targets') }}

),

registrations as (

    {{ with_partner_key(ref('fct_deal_registration')) }}

),

registration_cohorts as (

    select
        registrations.partner_key as partner_id,
        {{ month_start('submitted_at') }} as month_start,
        sum(
            case when {{ registration_status_at('registrations', as_of_cutoff()) }} = 'approved' then 1 else 0 end
        ) as registrations_approved,
        sum(
            case when {{ registration_converted_at('registrations', as_of_cutoff()) }} then 1 else 0 end
        ) as registrations_converted
    from registrations
    where registrations.submitted_at < {{ as_of_cutoff() }}
    group by registrations.partner_key, {{ month_start('submitted_at') }}

),

monthly_with_cohorts as (

    select
        monthly.* exclude (registrations_approved, registrations_converted),
        coalesce(registration_cohorts.registrations_approved, 0) as registrations_approved,
        coalesce(registration_cohorts.registrations_converted, 0) as registrations_converted
    from monthly
    left join registration_cohorts
        on
            monthly.partner_id = registration_cohorts.partner_id
            and monthly.month_start = registration_cohorts.month_start

),

month_rows as (

    select
        partner_id,
        cast('month' as {{ dbt.type_string() }}) as period_grain,
        month_start as period_start,
        month_end as period_end,
        quarter_start,
        partner_type,
        tier,
        region,
        is_provisional,
        is_unknown_member,
        is_after_termination,
        sourced_revenue_usd,
        influenced_revenue_usd,
        attributed_revenue_usd,
        won_deals,
        lost_deals,
        won_amount_usd,
        won_amount_deals,
        sales_cycle_days_sum,
        sales_cycle_deals,
        pipeline_created_usd,
        pipeline_created_deals,
        registrations_submitted,
        registrations_approved,
        registrations_converted,
        new_customers,
        co_sell_count,
        mdf_paid_usd,
        valid_certifications,
        certified_contacts
    from monthly_with_cohorts

),

months_ordered as (

    select
        monthly_with_cohorts.*,
        row_number() over (
            partition by monthly_with_cohorts.partner_id, monthly_with_cohorts.quarter_start
            order by monthly_with_cohorts.month_start desc
        ) as months_before_quarter_end
    from monthly_with_cohorts

),

quarter_rows as (

    select
        partner_id,
        cast('quarter' as {{ dbt.type_string() }}) as period_grain,
        quarter_start as period_start,
        {{ add_months('quarter_start', 3) }} as period_end,
        quarter_start,
        max(case when months_before_quarter_end = 1 then partner_type end) as partner_type,
        max(case when months_before_quarter_end = 1 then tier end) as tier,
        max(case when months_before_quarter_end = 1 then region end) as region,
        max(case when is_provisional then 1 else 0 end) = 1 as is_provisional,
        max(case when is_unknown_member then 1 else 0 end) = 1 as is_unknown_member,
        min(case when is_after_termination then 1 else 0 end) = 1 as is_after_termination,
        sum(sourced_revenue_usd) as sourced_revenue_usd,
        sum(influenced_revenue_usd) as influenced_revenue_usd,
        sum(attributed_revenue_usd) as attributed_revenue_usd,
        sum(won_deals) as won_deals,
        sum(lost_deals) as lost_deals,
        sum(won_amount_usd) as won_amount_usd,
        sum(won_amount_deals) as won_amount_deals,
        sum(sales_cycle_days_sum) as sales_cycle_days_sum,
        sum(sales_cycle_deals) as sales_cycle_deals,
        sum(pipeline_created_usd) as pipeline_created_usd,
        sum(pipeline_created_deals) as pipeline_created_deals,
        sum(registrations_submitted) as registrations_submitted,
        sum(registrations_approved) as registrations_approved,
        sum(registrations_converted) as registrations_converted,
        sum(new_customers) as new_customers,
        sum(co_sell_count) as co_sell_count,
        sum(mdf_paid_usd) as mdf_paid_usd,
        max(case when months_before_quarter_end = 1 then valid_certifications end) as valid_certifications,
        max(case when months_before_quarter_end = 1 then certified_contacts end) as certified_contacts
    from months_ordered
    group by partner_id, quarter_start

),

periods as (

    select * from month_rows
    union all
    select * from quarter_rows

),

quarter_targets as (

    select
        partner_id,
        cast({{ dbt.date_trunc('quarter', 'period_start') }} as date) as quarter_start,
        -- one target per partner, quarter and metric (tested in staging)
        max(case when metric = 'revenue' then target_value end) as target_revenue,
        max(case when metric = 'pipeline' then target_value end) as target_pipeline,
        max(case when metric = 'registrations' then target_value end) as target_registrations,
        max(case when metric = 'certifications' then target_value end) as target_certifications
    from targets
    where partner_id is not null
    group by partner_id, cast({{ dbt.date_trunc('quarter', 'period_start') }} as date)

),

period_targets as (

    select
        periods.partner_id,
        periods.period_grain,
        periods.period_start,
        case
            when periods.period_grain = 'month' then quarter_targets.target_revenue / 3.0
            else quarter_targets.target_revenue
        end as target_revenue,
        case
            when periods.period_grain = 'month' then quarter_targets.target_pipeline / 3.0
            else quarter_targets.target_pipeline
        end as target_pipeline,
        case
            when periods.period_grain = 'month' then quarter_targets.target_registrations / 3.0
            else quarter_targets.target_registrations
        end as target_registrations,
        quarter_targets.target_certifications
    from periods
    left join quarter_targets
        on
            periods.partner_id = quarter_targets.partner_id
            and periods.quarter_start = quarter_targets.quarter_start

),

final as (

    select
        periods.*,
        period_targets.target_revenue,
        period_targets.target_pipeline,
        period_targets.target_registrations,
        period_targets.target_certifications
    from periods
    inner join period_targets
        on
            periods.partner_id = period_targets.partner_id
            and periods.period_grain = period_targets.period_grain
            and periods.period_start = period_targets.period_start

)

select * from final
