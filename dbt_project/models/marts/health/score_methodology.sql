-- The Partner Health Score methodology as data (DESIGN 3): one row per component and segment
-- (measure, window, weight, when missing), per parameter (band thresholds, trend, early warning,
-- completeness, survey k, peer group size), per tier certification requirement (seed
-- tier_requirements, shared with partner_tier_fit) and the closed-month rule, stamped with
-- the methodology_version of seed health_thresholds. Built from the same seeds as
-- partner_health_score, so it always shows what the next run will apply.

with

weights as (

    select * from {{ ref('health_weights') }}

),

thresholds as (

    select * from {{ ref('health_thresholds') }}

),

tier_requirements as (

    select * from {{ ref('tier_requirements') }}

),

calendar as (

    select * from {{ ref('reporting_calendar') }}

),

methodology as (

    select max(value) as methodology_version
    from thresholds
    where parameter = 'methodology_version'

),

component_definitions as (

    select
        'revenue' as component,
        'Attributed revenue (fct_partner_month.attributed_revenue_usd): min(100, 100 * actual / pro-rated target) when the partner has a revenue target for each of the three months (quarter target / 3 per month, times the observed share of an open month), else the peer percentile.' as measure,
        'trailing 3 months' as trailing_window,
        'the partner (or the data history) is younger than the window' as missing_when
    union all
    select
        'pipeline' as component,
        'Peer percentile of pipeline created (credit of opportunities created).' as measure,
        'trailing 3 months' as trailing_window,
        'the partner (or the data history) is younger than the window' as missing_when
    union all
    select
        'deal_registration' as component,
        'Mean of the peer percentiles of registrations submitted and of approved / decided (approved + rejected); the second is left out when nothing was decided.' as measure,
        'trailing 3 months' as trailing_window,
        'the partner (or the data history) is younger than the window' as missing_when
    union all
    select
        'engagement' as component,
        'Mean of the peer percentiles of portal active days and portal active contacts.' as measure,
        'the month' as trailing_window,
        'the month lies before the data history' as missing_when
    union all
    select
        'enablement' as component,
        '70 * min(1, certified people at month end / min_certified_people of the tier) + 30 * peer percentile / 100 of course completions.' as measure,
        'month end (certified people), trailing 12 months (completions; shorter when the history is)' as trailing_window,
        'the tier requires no certified people (tier_requirements.min_certified_people = 0)' as missing_when
    union all
    select
        'satisfaction' as component,
        '(NPS + 100) / 2 of the latest survey wave closed before month end with at least survey_min_respondents NPS respondents of the partner; carried forward between waves.' as measure,
        'at most survey_max_age_months (12) back' as trailing_window,
        'no eligible survey wave' as missing_when
    union all
    select
        'support' as component,
        '100 - mean of the peer percentiles of open high/critical cases at month end and of the median resolution hours of cases closed in the window (the parts present).' as measure,
        'month end (open cases), trailing 3 months (resolution)' as trailing_window,
        'no support case opened, closed or open in the window' as missing_when

),

component_rows as (

    select
        'component' as item_type,
        weights.segment,
        weights.component as item,
        weights.weight,
        cast(null as {{ dbt.type_string() }}) as setting_value,
        component_definitions.measure as description,
        component_definitions.trailing_window,
        component_definitions.missing_when
    from weights
    left join component_definitions
        on weights.component = component_definitions.component

),

parameter_rows as (

    select
        'parameter' as item_type,
        'all' as segment,
        parameter as item,
        cast(null as {{ type_double() }}) as weight,
        value as setting_value,
        description,
        cast(null as {{ dbt.type_string() }}) as trailing_window,
        cast(null as {{ dbt.type_string() }}) as missing_when
    from thresholds

),

tier_rows as (

    select
        'tier_requirement' as item_type,
        'all' as segment,
        tier as item,
        cast(null as {{ type_double() }}) as weight,
        cast(min_certified_people as {{ dbt.type_string() }}) as setting_value,
        case
            when min_certified_people = 0
                then 'Tier rank ' || cast(tier_rank as {{ dbt.type_string() }})
                    || ': no certified people required, enablement is missing for the tier.'
            else 'Tier rank ' || cast(tier_rank as {{ dbt.type_string() }})
                || ': certified people required at month end for full enablement credit.'
        end as description,
        cast(null as {{ dbt.type_string() }}) as trailing_window,
        cast(null as {{ dbt.type_string() }}) as missing_when
    from tier_requirements

),

calendar_rows as (

    select
        'time_rule' as item_type,
        'all' as segment,
        parameter as item,
        cast(null as {{ type_double() }}) as weight,
        value as setting_value,
        description,
        cast(null as {{ dbt.type_string() }}) as trailing_window,
        cast(null as {{ dbt.type_string() }}) as missing_when
    from calendar

),

all_rows as (

    select * from component_rows
    union all
    select * from parameter_rows
    union all
    select * from tier_rows
    union all
    select * from calendar_rows

),

final as (

    select
        methodology.methodology_version,
        cast(all_rows.item_type as {{ dbt.type_string() }}) as item_type,
        cast(all_rows.segment as {{ dbt.type_string() }}) as segment,
        cast(all_rows.item as {{ dbt.type_string() }}) as item,
        cast(all_rows.weight as {{ type_double() }}) as weight,
        cast(all_rows.setting_value as {{ dbt.type_string() }}) as setting_value,
        cast(all_rows.description as {{ dbt.type_string() }}) as description,
        cast(all_rows.trailing_window as {{ dbt.type_string() }}) as trailing_window,
        cast(all_rows.missing_when as {{ dbt.type_string() }}) as missing_when
    from all_rows
    cross join methodology

)

select * from final
