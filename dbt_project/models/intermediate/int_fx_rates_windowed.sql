-- Each FX rate with the window in which it is the latest available rate:
-- [rate_date, next_rate_date). A transaction date falls in exactly one window per currency,
-- so conversions are an equi-join on currency plus a range condition, not a scan of all
-- earlier rates.

with

fx_rates as (

    select * from {{ ref('stg_crm__fx_rates') }}

),

windowed as (

    select
        currency,
        rate_date,
        usd_per_unit,
        lead(rate_date) over (
            partition by currency
            order by rate_date
        ) as next_rate_date
    from fx_rates

),

final as (

    select
        currency,
        rate_date,
        usd_per_unit,
        next_rate_date,
        coalesce(next_rate_date, cast('9999-12-31' as date)) as valid_until
    from windowed

)

select * from final
