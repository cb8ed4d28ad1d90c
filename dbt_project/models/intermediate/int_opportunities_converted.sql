-- Opportunities without soft deletes, converted to USD.
-- Transaction date: close_date for closed (won or lost) opportunities, the date of created_at
-- for open ones. Rate: the latest rate of the currency on or before the transaction date;
-- older than fx_max_age_days (7) -> fx_is_stale, and amount_usd still uses that latest rate.
-- A date older than the currency's first rate uses that first rate (fx_is_stale, fx_status
-- rate_after_transaction). A currency without any rate -> fx_is_missing, amount_usd null,
-- fx_status no_rate_for_currency (warning test assert_fx_conversions_complete counts them).
-- USD needs no rate.
-- amount_usd is rounded to cents (exact decimal), so partner credits can sum to it exactly.

with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_windowed') }}

),

live as (

    select
        opportunity_id,
        account_id,
        stage,
        amount_local,
        currency,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at,
        is_orphan_account,
        case
            when is_closed then close_date
            else cast(created_at as date)
        end as fx_transaction_date
    from opportunities
    where not is_deleted

),

with_rate as (

    {{ fx_rate_lookup('live') }}

),

converted as (

    select
        opportunity_id,
        account_id,
        stage,
        amount_local,
        currency,
        created_at,
        close_date,
        is_closed,
        is_won,
        updated_at,
        is_orphan_account,
        fx_transaction_date,
        fx_rate_date,
        usd_per_unit,
        {{ dbt.datediff('fx_rate_date', 'fx_transaction_date', 'day') }} as fx_age_days,
        {{ fx_flags_and_amount('amount_local', 'amount_usd') }}
    from with_rate

)

select * from converted
