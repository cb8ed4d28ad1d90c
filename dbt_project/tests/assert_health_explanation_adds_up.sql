-- partner_health_score: the per-component contributions (<component>_change_points) add up to
-- delta_1m exactly, and explanation / contributions are set exactly when delta_1m is.

{%- set components = health_components() %}

with

health_scores as (

    select * from {{ ref('partner_health_score') }}

),

checked as (

    select
        partner_id,
        month_start,
        delta_1m,
        explanation,
        0
        {%- for component in components %}
            + coalesce({{ component }}_change_points, 0)
        {%- endfor %}
            as change_points_total,
        0
        {%- for component in components %}
            + case when {{ component }}_change_points is null then 0 else 1 end
        {%- endfor %}
            as change_points_set
    from health_scores

)

select *
from checked
where
    (delta_1m is not null and (change_points_total != delta_1m or change_points_set != 7 or explanation is null))
    or (delta_1m is null and (change_points_set != 0 or explanation is not null))
