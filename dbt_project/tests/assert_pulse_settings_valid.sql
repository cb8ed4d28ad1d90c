-- Seed pulse_settings: exactly one row, k >= 1, 0 < confidence_z <= 5, the CSAT top box lies on
-- the 1-5 scale above the follow-up threshold (1 <= followup_csat_max < csat_top_box_min <= 5),
-- and a fatigue window of 1..36 months. Any violating row fails the test.

with

settings as (

    select * from {{ ref('pulse_settings') }}

),

summary as (

    select
        count(*) as setting_rows,
        min(min_respondents) as min_respondents,
        min(confidence_z) as confidence_z,
        min(csat_top_box_min) as csat_top_box_min,
        min(followup_csat_max) as followup_csat_max,
        min(fatigue_window_months) as fatigue_window_months
    from settings

),

violations as (

    select *
    from summary
    where
        not coalesce(
            setting_rows = 1
            and min_respondents >= 1
            and confidence_z > 0
            and confidence_z <= 5
            and followup_csat_max >= 1
            and followup_csat_max < csat_top_box_min
            and csat_top_box_min <= 5
            and fatigue_window_months >= 1
            and fatigue_window_months <= 36,
            false
        )

)

select * from violations
