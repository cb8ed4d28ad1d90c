-- Each FX rate with the window in which it is the latest available rate:
-- [valid_from, valid_until) = [rate_date, next_rate_date), except that a currency's first rate
-- also covers every earlier date (valid_from 1900-01-01): a transaction older than the first
-- known rate is converted at that rate and flagged (fx_status 'rate_after_transaction') rather
-- than losing its value. A transaction date falls in exactly one window per currency, so
-- conversions are an equi-join on currency plus a range condition, not a scan of all earlier
-- rates.

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
        ) as next_rate_date,
        lag(rate_date) over (
            partition by currency
            order by rate_date
        ) as previous_rate_date
    from fx_rates

),

final as (

    select
        currency,
        rate_date,
        usd_per_unit,
        next_rate_date,
        case
            when previous_rate_date is null then cast('1900-01-01' as date) else rate_date
        end as valid_from,
        coalesce(next_rate_date, cast('9999-12-31' as date)) as valid_until
    from windowed

)

select * from final
