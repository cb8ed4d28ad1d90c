{{ config(tags=['partitioned_monthly']) }}

-- Health components revenue, pipeline and deal_registration (DESIGN 3, seed 003) per partner per
-- month over trailing 3-month windows (the month and the two before it):
--   revenue: min(100, 100 * attributed revenue / target) when the pro-rated target exists for all
--     3 months (a third of the quarter target per month, pro-rated in an open month), else the
--     peer percentile of the revenue
--   pipeline: peer percentile of pipeline created
--   deal_registration: mean of the peer percentiles of registrations submitted and of
--     approved / decided (the latter absent without decisions: then the first alone)
-- A component is missing (null) while the partner or the data are younger than the window;
-- zero activity is data and scores 0. Peer percentile: macro health_peer_percentile.

{%- set compute_start = add_months(health_write_start(), -3) %}

with

health_months as (

    select * from {{ ref('int_health_months') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

trailing_measures as (

    select
        partner_id,
        month_start,
        partner_type,
        tier,
        is_window_3m_observed,
        {%- for measure, expression in [
            ('revenue_3m', 'attributed_revenue_usd'),
            ('revenue_target_3m', 'month_revenue_target'),
            ('pipeline_3m', 'pipeline_created_usd'),
            ('registrations_submitted_3m', 'registrations_submitted'),
            ('registrations_approved_3m', 'registrations_approved'),
            ('registrations_decided_3m', 'registrations_approved + registrations_rejected'),
        ] %}
            sum({{ expression }}) over (
                partition by partner_id order by month_index range between 2 preceding and current row
            ) as {{ measure }},
        {%- endfor %}
        count(month_revenue_target) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as revenue_target_months
    from health_months

),

measures as (

    select
        partner_id,
        month_start,
        partner_type,
        tier,
        case when is_window_3m_observed then revenue_3m end as revenue_measure,
        case
            when is_window_3m_observed and revenue_target_months = 3 and revenue_target_3m > 0
                then revenue_target_3m
        end as revenue_target,
        case when is_window_3m_observed then pipeline_3m end as pipeline_measure,
        case when is_window_3m_observed then registrations_submitted_3m end as registrations_measure,
        case
            when is_window_3m_observed and registrations_decided_3m > 0
                then 1.0 * registrations_approved_3m / registrations_decided_3m
        end as approval_rate_measure
    from trailing_measures
    where month_start >= {{ compute_start }}

),

percentiles as (

    select
        measures.*,
    {%- for measure in ['revenue', 'pipeline', 'registrations', 'approval_rate'] %}
        {{ health_peer_percentile('measures.' ~ measure ~ '_measure', 'parameters.peer_min_group_size') }}
            as {{ measure }}_percentile{{ "," if not loop.last }}
    {%- endfor %}
    from measures
    cross join parameters

),

final as (

    select
        partner_id,
        month_start,
        revenue_measure as revenue_3m_usd,
        revenue_target as revenue_target_3m_usd,
        pipeline_measure as pipeline_3m_usd,
        registrations_measure as registrations_submitted_3m,
        approval_rate_measure as registration_approval_rate_3m,
        case
            when revenue_measure is null then null
            when revenue_target is not null
                then greatest(0.0, least(100.0, 100.0 * revenue_measure / revenue_target))
            else revenue_percentile
        end as revenue_score,
        pipeline_percentile as pipeline_score,
        case
            when approval_rate_percentile is null then registrations_percentile
            else (registrations_percentile + approval_rate_percentile) / 2.0
        end as deal_registration_score
    from percentiles

)

select * from final
