-- MDF requests converted to USD at the date of requested_at (same FX rule as
-- int_opportunities_converted); the paid amount is the same USD amount (one rate per request).

with

mdf_requests as (

    select * from {{ ref('stg_prm__mdf_requests') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_windowed') }}

),

dated as (

    select
        mdf_requests.*,
        cast(mdf_requests.requested_at as date) as fx_transaction_date
    from mdf_requests

),

with_rate as (

    select
        dated.*,
        case when dated.currency = 'USD' then 1.0 else fx_rates.usd_per_unit end as usd_per_unit,
        case
            when dated.currency = 'USD' then dated.fx_transaction_date else fx_rates.rate_date
        end as fx_rate_date
    from dated
    left join fx_rates
        on
            dated.currency = fx_rates.currency
            and dated.fx_transaction_date >= fx_rates.rate_date
            and dated.fx_transaction_date < fx_rates.valid_until

),

final as (

    select
        request_id,
        partner_id,
        requested_at,
        approved_at,
        paid_at,
        status,
        campaign_type,
        amount_local,
        currency,
        fx_rate_date,
        usd_per_unit,
        usd_per_unit is null as fx_is_missing,
        (
            usd_per_unit is null
            or {{ dbt.datediff('fx_rate_date', 'fx_transaction_date', 'day') }}
            > {{ var('fx_max_age_days', 7) }}
        ) as fx_is_stale,
        cast(round(amount_local * usd_per_unit, 2) as {{ type_money() }}) as amount_usd,
        is_orphan_partner,
        is_orphan
    from with_rate

)

select * from final
