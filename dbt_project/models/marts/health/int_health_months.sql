{{ config(tags=['partitioned_monthly']) }}

-- The partner-months the Partner Health Score scores, with what every component reads: the
-- months of fct_partner_month a run needs ([write_start - 14 months, write_end): trailing windows
-- reach 12 months back, lags 3), for real partners (not the unknown member) up to their
-- termination month (months after it exist only to keep late facts in the sums).
-- Observability (missing is not zero): nothing is observed before the first month with any
-- activity in the sources (data_start_month); a 3-month window is observed once the partner
-- and the data have 3 months. The revenue target of a month is a third of its quarter's target,
-- pro-rated by the observed share of an open month (month_elapsed_share), so a month to date is
-- never compared with a full month's target.

{%- set write_start = health_write_start() %}
{%- set write_end = health_write_end() %}
{%- set input_start = add_months(write_start, -14) %}

with

partner_months_all as (

    select * from {{ ref('fct_partner_month') }}

),

partner_targets as (

    select * from {{ ref('stg_prm__partner_targets') }}

),

scored_partner_months as (

    select *
    from partner_months_all
    where
        not is_unknown_member
        and not is_after_termination

),

partner_first_months as (

    select
        partner_id,
        min(month_start) as first_month
    from scored_partner_months
    group by partner_id

),

-- The first month with any activity in any source: before it nothing could be observed.
data_start as (

    select min(month_start) as data_start_month
    from scored_partner_months
    where
        attributed_revenue_usd <> 0
        or pipeline_created_usd <> 0
        or won_deals > 0
        or lost_deals > 0
        or registrations_submitted > 0
        or portal_events > 0
        or course_completions > 0
        or valid_certifications > 0
        or mdf_requested_usd <> 0
        or support_cases_opened > 0
        or support_cases_open_eom > 0
        or survey_responses > 0

),

revenue_targets as (

    select
        partner_id,
        {{ month_start(dbt.date_trunc('quarter', 'period_start')) }} as quarter_start,
        sum(target_value) as quarter_target
    from partner_targets
    where
        metric = 'revenue'
        and partner_id is not null
        and target_value is not null
    group by partner_id, {{ month_start(dbt.date_trunc('quarter', 'period_start')) }}

),

final as (

    select
        months.partner_id,
        months.month_start,
        months.month_end,
        months.partner_type,
        months.tier,
        months.region,
        months.is_provisional,
        {{ health_month_index('months.month_start') }} as month_index,
        {{ month_state_at('months.month_start') }} as state_at,
        {{ month_elapsed_share('months.month_start') }} as month_elapsed_share,
        cast(months.attributed_revenue_usd as {{ type_double() }}) as attributed_revenue_usd,
        cast(months.pipeline_created_usd as {{ type_double() }}) as pipeline_created_usd,
        months.registrations_submitted,
        months.registrations_approved,
        months.registrations_rejected,
        months.portal_active_days,
        months.portal_active_contacts,
        months.course_completions,
        months.valid_certifications,
        months.certified_contacts,
        months.support_cases_opened,
        months.support_cases_open_eom,
        months.high_priority_open_eom,
        revenue_targets.quarter_target / 3.0 * {{ month_elapsed_share('months.month_start') }}
            as month_revenue_target,
        data_start.data_start_month is not null
        and months.month_start >= data_start.data_start_month as is_observed,
        data_start.data_start_month is not null
        and months.month_start >= data_start.data_start_month
        and partner_first_months.first_month <= {{ add_months('months.month_start', -2) }}
        and data_start.data_start_month <= {{ add_months('months.month_start', -2) }}
            as is_window_3m_observed
    from scored_partner_months as months
    inner join partner_first_months
        on months.partner_id = partner_first_months.partner_id
    cross join data_start
    left join revenue_targets
        on
            months.partner_id = revenue_targets.partner_id
            and {{ month_start(dbt.date_trunc('quarter', 'months.month_start')) }}
            = revenue_targets.quarter_start
    where
        months.month_start >= {{ input_start }}
        and months.month_start < {{ write_end }}

)

select * from final
