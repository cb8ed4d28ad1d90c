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

    {{ fx_rate_lookup('dated') }}

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
        fx_transaction_date,
        fx_rate_date,
        usd_per_unit,
        {{ fx_flags_and_amount('amount_local', 'amount_usd') }},
        is_orphan_partner,
        is_orphan
    from with_rate

)

select * from final
