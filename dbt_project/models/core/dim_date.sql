-- Calendar days from var dim_date_start (inclusive) to dim_date_end (exclusive), generated
-- with dbt's portable date_spine macro.

with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('dim_date_start', '2015-01-01') ~ "' as date)",
        "cast('" ~ var('dim_date_end', '2036-01-01') ~ "' as date)"
    ) }}

),

final as (

    select
        cast(date_day as date) as date_day,
        {{ month_start('date_day') }} as month_start,
        {{ add_months(month_start('date_day'), 1) }} as month_end,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as {{ dbt.type_int() }}) as iso_day_of_week,
        {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend
    from days

)

select * from final
