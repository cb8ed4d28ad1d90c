{{ config(tags=['partitioned_monthly']) }}

-- The Partner Health Score of a partner-month before its history (DESIGN 3): the seven
-- component scores, renormalized over the components present (missing is not zero:
-- w_i / sum of the present weights; data_completeness = that sum), the score rounded to one
-- decimal and banded (healthy >= healthy_min, watch >= watch_min, else at_risk;
-- insufficient_data below completeness_min). An open (provisional) month is scored to date but
-- gets no band (null): it is never compared with full-month targets. Weights come per segment
-- (partner_type, else `default`) from seed health_weights.
-- The level of the score is explained against the segment: for each component, its shortfall
-- from the median score of the partner_type in the month, in score points
-- (normalized weight * (score - segment median)).

{%- set components = health_components() %}

with

health_months as (

    select * from {{ ref('int_health_months') }}

),

commercial as (

    select * from {{ ref('int_health_commercial_scores') }}

),

engagement as (

    select * from {{ ref('int_health_engagement_scores') }}

),

satisfaction as (

    select * from {{ ref('int_health_satisfaction_scores') }}

),

support as (

    select * from {{ ref('int_health_support_scores') }}

),

weights as (

    select * from {{ ref('health_weights') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

segment_weights as (

    select
        segment,
    {%- for component in components %}
        sum(case when component = '{{ component }}' then weight else 0 end)
            as {{ component }}_base_weight{{ "," if not loop.last }}
    {%- endfor %}
    from weights
    group by segment

),

component_scores as (

    select
        commercial.partner_id,
        commercial.month_start,
        health_months.month_end,
        health_months.partner_type,
        health_months.tier,
        health_months.region,
        health_months.is_provisional,
        commercial.revenue_score,
        commercial.pipeline_score,
        commercial.deal_registration_score,
        engagement.engagement_score,
        engagement.enablement_score,
        satisfaction.satisfaction_score,
        support.support_score
    from commercial
    inner join health_months
        on
            commercial.partner_id = health_months.partner_id
            and commercial.month_start = health_months.month_start
    inner join engagement
        on
            commercial.partner_id = engagement.partner_id
            and commercial.month_start = engagement.month_start
    inner join satisfaction
        on
            commercial.partner_id = satisfaction.partner_id
            and commercial.month_start = satisfaction.month_start
    inner join support
        on
            commercial.partner_id = support.partner_id
            and commercial.month_start = support.month_start

),

segmented as (

    select
        component_scores.*,
        coalesce(own_segment.segment, 'default') as segment
    from component_scores
    left join segment_weights as own_segment
        on component_scores.partner_type = own_segment.segment

),

present_weights as (

    select
        segmented.*,
        {%- for component in components %}
            segment_weights.{{ component }}_base_weight,
        {%- endfor %}
        0.0
        {%- for component in components %}
            + case
                when segmented.{{ component }}_score is not null
                    then segment_weights.{{ component }}_base_weight
                else 0.0
            end
        {%- endfor %}
            as present_weight
    from segmented
    inner join segment_weights
        on segmented.segment = segment_weights.segment

),

normalized as (

    select
        present_weights.*,
        {%- for component in components %}
            case
                when present_weights.{{ component }}_score is not null and present_weights.present_weight > 0
                    then present_weights.{{ component }}_base_weight / present_weights.present_weight
            end as {{ component }}_weight,
        {%- endfor %}
        round(present_weights.present_weight, 6) as data_completeness
    from present_weights

),

scored as (

    select
        normalized.*,
        0.0
        {%- for component in components %}
            + coalesce(normalized.{{ component }}_weight * normalized.{{ component }}_score, 0.0)
        {%- endfor %}
            as unrounded_health_score
    from normalized

),

segment_medians as (

    select
        month_start,
        partner_type,
    {%- for component in components %}
        {{ percentile_cont(component ~ '_score', 0.5) }} as {{ component }}_segment_median{{ "," if not loop.last }}
    {%- endfor %}
    from scored
    group by month_start, partner_type

),

final as (

    select
        scored.partner_id,
        scored.month_start,
        scored.month_end,
        scored.partner_type,
        scored.tier,
        scored.region,
        scored.is_provisional,
        scored.segment,
        scored.data_completeness,
        {%- for component in components %}
            scored.{{ component }}_score,
            scored.{{ component }}_weight,
            scored.{{ component }}_weight * (scored.{{ component }}_score - segment_medians.{{ component }}_segment_median)
                as {{ component }}_gap_points,
            segment_medians.{{ component }}_segment_median,
        {%- endfor %}
        case
            when scored.present_weight > 0 then cast(round(scored.unrounded_health_score, 1) as decimal(5, 1))
        end as health_score,
        case
            when scored.is_provisional then null
            when scored.present_weight <= 0 then 'insufficient_data'
            when scored.data_completeness < parameters.completeness_min then 'insufficient_data'
            when round(scored.unrounded_health_score, 1) >= parameters.healthy_min then 'healthy'
            when round(scored.unrounded_health_score, 1) >= parameters.watch_min then 'watch'
            else 'at_risk'
        end as computed_band
    from scored
    cross join parameters
    inner join segment_medians
        on
            scored.month_start = segment_medians.month_start
            and scored.partner_type = segment_medians.partner_type

)

select * from final
