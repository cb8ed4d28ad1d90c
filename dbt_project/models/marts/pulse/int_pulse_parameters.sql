-- The settings of seed pulse_settings as one typed row, read by every pulse model (one place to
-- parse them).

with

settings as (

    select * from {{ ref('pulse_settings') }}

),

final as (

    select
        cast(min_respondents as {{ dbt.type_int() }}) as min_respondents,
        cast(confidence_z as {{ type_double() }}) as confidence_z,
        cast(csat_top_box_min as {{ type_double() }}) as csat_top_box_min,
        cast(followup_csat_max as {{ type_double() }}) as followup_csat_max,
        cast(fatigue_window_months as {{ dbt.type_int() }}) as fatigue_window_months
    from settings

)

select * from final
