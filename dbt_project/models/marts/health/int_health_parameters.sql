-- The Partner Health Score parameters of seed health_thresholds as one typed row, read by every
-- health model (one place to parse them).

with

thresholds as (

    select * from {{ ref('health_thresholds') }}

),

final as (

    select
        max(case when parameter = 'methodology_version' then value end) as methodology_version,
        {%- for name in [
            'healthy_min', 'watch_min', 'completeness_min', 'trend_flat_threshold',
            'early_warning_delta_3m', 'early_warning_decline_points', 'early_warning_band_worsened'
        ] %}
            max(
                case when parameter = '{{ name }}' then {{ dbt.safe_cast('value', type_double()) }} end
            ) as {{ name }},
        {%- endfor %}
        {%- for name in [
            'survey_min_respondents', 'survey_min_respondents_identified', 'survey_max_age_months',
            'peer_min_group_size'
        ] %}
        max(
            case when parameter = '{{ name }}' then {{ dbt.safe_cast('value', dbt.type_int()) }} end
        ) as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    from thresholds

)

select * from final
