{{ config(severity='warn') }}

-- Warning (non-blocking): amounts left without a USD value because their currency has no FX
-- rate at all (fx_status no_rate_for_currency). They are kept, flagged and counted here - the
-- count shows as a warning asset check in Dagster - never dropped silently; add the rates to
-- raw_crm.fx_rates to convert them.

with

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

registrations as (

    select * from {{ ref('int_deal_registrations_converted') }}

),

mdf_requests as (

    select * from {{ ref('int_mdf_requests_converted') }}

),

unconverted as (

    select
        'opportunity' as record_type,
        opportunity_id as record_id,
        currency,
        fx_transaction_date
    from opportunities
    where fx_status = 'no_rate_for_currency' and amount_local is not null
    union all
    select
        'deal_registration' as record_type,
        registration_id as record_id,
        currency,
        fx_transaction_date
    from registrations
    where fx_status = 'no_rate_for_currency' and estimated_amount_local is not null
    union all
    select
        'mdf_request' as record_type,
        request_id as record_id,
        currency,
        fx_transaction_date
    from mdf_requests
    where fx_status = 'no_rate_for_currency' and amount_local is not null

)

select * from unconverted
