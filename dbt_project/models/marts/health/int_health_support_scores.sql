{{ config(tags=['partitioned_monthly']) }}

-- Health component support (DESIGN 3, seed 003) per partner per month:
-- 100 - the mean of the peer percentiles of high/critical cases open at E and of the median
-- resolution hours of cases closed in the trailing 3 months (either alone when the other is
-- missing); missing when the partner had no case opened, closed or open in the window.

{%- set compute_start = add_months(health_write_start(), -3) %}

with

health_months as (

    select * from {{ ref('int_health_months') }}

),

support_cases as (

    select * from {{ ref('stg_prm__support_cases') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

opened_3m as (

    select
        partner_id,
        month_start,
        partner_type,
        tier,
        is_observed,
        state_at,
        support_cases_open_eom,
        high_priority_open_eom,
        sum(support_cases_opened) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as support_cases_opened_3m
    from health_months

),

resolution_3m as (

    select
        opened_3m.partner_id,
        opened_3m.month_start,
        count(*) as support_cases_closed_3m,
        {{ percentile_cont(hours_between('support_cases.opened_at', 'support_cases.closed_at'), 0.5) }}
            as median_resolution_hours_3m
    from opened_3m
    inner join support_cases
        on
            opened_3m.partner_id = support_cases.partner_id
            and support_cases.closed_at
            >= cast({{ add_months('opened_3m.month_start', -2) }} as {{ dbt.type_timestamp() }})
            and opened_3m.state_at > support_cases.closed_at
    where opened_3m.month_start >= {{ compute_start }}
    group by opened_3m.partner_id, opened_3m.month_start

),

measures as (

    select
        opened_3m.partner_id,
        opened_3m.month_start,
        opened_3m.partner_type,
        opened_3m.tier,
        case
            when
                opened_3m.is_observed
                and (
                    opened_3m.support_cases_opened_3m > 0
                    or opened_3m.support_cases_open_eom > 0
                    or resolution_3m.support_cases_closed_3m > 0
                )
                then opened_3m.high_priority_open_eom
        end as high_priority_open_measure,
        case when opened_3m.is_observed then resolution_3m.median_resolution_hours_3m end
            as resolution_hours_measure
    from opened_3m
    left join resolution_3m
        on
            opened_3m.partner_id = resolution_3m.partner_id
            and opened_3m.month_start = resolution_3m.month_start
    where opened_3m.month_start >= {{ compute_start }}

),

percentiles as (

    select
        measures.*,
    {%- for measure in ['high_priority_open', 'resolution_hours'] %}
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
        high_priority_open_measure as high_priority_open_eom,
        resolution_hours_measure as median_resolution_hours_3m,
        case
            when high_priority_open_percentile is null and resolution_hours_percentile is null
                then null
            when resolution_hours_percentile is null then 100.0 - high_priority_open_percentile
            when high_priority_open_percentile is null then 100.0 - resolution_hours_percentile
            else 100.0 - (high_priority_open_percentile + resolution_hours_percentile) / 2.0
        end as support_score
    from percentiles

)

select * from final
