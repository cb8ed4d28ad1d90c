{{ config(tags=['partitioned_monthly']) }}

-- Why a partner's health score is at its level (the explanation of the change is in
-- partner_health_score): each present component's distance from the median score of the
-- partner's segment (partner_type) in the month, in score points
-- (normalized weight * (score - segment median), from int_health_scores_banded), the components
-- furthest below first, e.g. "below the reseller median: revenue 12 vs median 55 (−12.9 pts)".

{%- set components = health_components() %}

with

banded as (

    select * from {{ ref('int_health_scores_banded') }}

),

level_gaps as (

    {%- for component in components %}
        select
            partner_id,
            month_start,
            '{{ component }}' as component,
            {{ loop.index }} as component_order,
            {{ component }}_score as component_score,
            {{ component }}_segment_median as segment_median,
            {{ component }}_gap_points as gap_points
        from banded
        where {{ component }}_gap_points is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

ranked_level_gaps as (

    select
        level_gaps.*,
        row_number() over (
            partition by level_gaps.partner_id, level_gaps.month_start
            order by level_gaps.gap_points, level_gaps.component_order
        ) as gap_rank,
        level_gaps.component
        || ' '
        || cast(cast(round(level_gaps.component_score, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
        || ' vs median '
        || cast(cast(round(level_gaps.segment_median, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
        || ' ('
        || {{ health_signed_points('cast(round(level_gaps.gap_points, 1) as decimal(6, 1))') }}
        || ' pts)' as gap_text
    from level_gaps

),

level_texts as (

    select
        partner_id,
        month_start,
        max(case when gap_rank = 1 and gap_points <= -0.05 then component end) as weakest_component,
        max(case when gap_rank = 1 and gap_points <= -0.05 then gap_text end) as gap_text_1,
        max(case when gap_rank = 2 and gap_points <= -0.05 then gap_text end) as gap_text_2,
        max(case when gap_rank = 3 and gap_points <= -0.05 then gap_text end) as gap_text_3
    from ranked_level_gaps
    group by partner_id, month_start

),

final as (

    select
        banded.partner_id,
        banded.month_start,
        level_texts.weakest_component,
        case
            when banded.health_score is not null
                then coalesce(
                        'below the ' || banded.partner_type || ' median: '
                        || level_texts.gap_text_1
                        || coalesce('; ' || level_texts.gap_text_2, '')
                        || coalesce('; ' || level_texts.gap_text_3, ''),
                        'at or above the ' || banded.partner_type || ' median on every component'
                    )
        end as level_explanation
    from banded
    left join level_texts
        on
            banded.partner_id = level_texts.partner_id
            and banded.month_start = level_texts.month_start

)

select * from final
