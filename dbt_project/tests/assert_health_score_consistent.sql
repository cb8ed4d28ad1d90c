-- partner_health_score: the score is the weighted sum of the present components (weights
-- renormalized to sum to 1), data_completeness is the sum of the segment weights of the present
-- components, and computed_band follows from score, completeness and the thresholds seed.

{%- set components = health_components() %}

with

health_scores as (

    select * from {{ ref('partner_health_score') }}

),

weights as (

    select * from {{ ref('health_weights') }}

),

thresholds as (

    select * from {{ ref('health_thresholds') }}

),

parameters as (

    select
        max(
            case when parameter = 'healthy_min' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as healthy_min,
        max(
            case when parameter = 'watch_min' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as watch_min,
        max(
            case when parameter = 'completeness_min' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as completeness_min
    from thresholds

),

segment_weights as (

    select
        segment,
    {%- for component in components %}
        sum(case when component = '{{ component }}' then weight else 0 end)
            as {{ component }}_segment_weight{{ "," if not loop.last }}
    {%- endfor %}
    from weights
    group by segment

),

checked as (

    select
        health_scores.partner_id,
        health_scores.month_start,
        health_scores.health_score,
        health_scores.computed_band,
        health_scores.data_completeness,
        0.0
        {%- for component in components %}
            + coalesce(health_scores.{{ component }}_weight * health_scores.{{ component }}_score, 0.0)
        {%- endfor %}
            as weighted_sum,
        0.0
        {%- for component in components %}
            + coalesce(health_scores.{{ component }}_weight, 0.0)
        {%- endfor %}
            as weight_total,
        0.0
        {%- for component in components %}
            + case
                when health_scores.{{ component }}_score is not null
                    then segment_weights.{{ component }}_segment_weight
                else 0.0
            end
        {%- endfor %}
            as present_segment_weight,
        case
            when health_scores.health_score is null then 'insufficient_data'
            when health_scores.data_completeness < parameters.completeness_min then 'insufficient_data'
            when health_scores.health_score >= parameters.healthy_min then 'healthy'
            when health_scores.health_score >= parameters.watch_min then 'watch'
            else 'at_risk'
        end as expected_band
    from health_scores
    cross join parameters
    left join segment_weights
        on health_scores.segment = segment_weights.segment

)

select *
from checked
where
    (health_score is not null and abs(weighted_sum - health_score) > 0.05 + 0.000001)
    or (health_score is not null and abs(weight_total - 1.0) > 0.000001)
    or abs(present_segment_weight - data_completeness) > 0.000001
    or computed_band != expected_band
