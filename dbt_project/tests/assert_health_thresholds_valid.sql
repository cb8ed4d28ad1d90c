-- Seed health_thresholds: every parameter is present, numeric parameters parse, and the
-- thresholds are ordered: 0 <= watch_min < healthy_min <= 100, 0 < completeness_min <= 1,
-- trend_flat_threshold >= 0, early_warning_delta_3m < 0, early_warning_decline_points >= 0,
-- early_warning_band_worsened in (0, 1), survey_min_respondents >= 1, 1 <= survey_min_respondents_identified, survey_max_age_months >= 1,
-- peer_min_group_size >= 1.

{%- set numeric_parameters = [
    'healthy_min', 'watch_min', 'completeness_min', 'trend_flat_threshold', 'early_warning_delta_3m',
    'early_warning_decline_points', 'early_warning_band_worsened', 'survey_min_respondents', 'survey_min_respondents_identified',
    'survey_max_age_months',
    'peer_min_group_size',
] %}

with

thresholds as (

    select * from {{ ref('health_thresholds') }}

),

parameters as (

    select
        count(*) as parameter_rows,
        max(case when parameter = 'methodology_version' then value end) as methodology_version,
    {%- for name in numeric_parameters %}
        max(
            case when parameter = '{{ name }}' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    from thresholds

),

violations as (

    select *
    from parameters
    where
        not coalesce(
            parameter_rows = 12
            and trim(methodology_version) <> ''
            and watch_min >= 0
            and watch_min < healthy_min
            and healthy_min <= 100
            and completeness_min > 0
            and completeness_min <= 1
            and trend_flat_threshold >= 0
            and early_warning_delta_3m < 0
            and early_warning_decline_points >= 0
            and early_warning_band_worsened in (0, 1)
            and survey_min_respondents >= 1
            and survey_min_respondents_identified >= 1
            and survey_max_age_months >= 1
            and peer_min_group_size >= 1,
            false
        )

)

select * from violations
