{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['partitioned_monthly'],
        pre_hook="{{ delete_build_months(this) }}"
    )
}}

-- The monthly building blocks of partner_performance (DESIGN 3 "Partner Performance"): one row
-- per partner per month of fct_partner_month, with only additive measures of that month, so the
-- quarter rows are sums of months and nothing here depends on other months (trailing windows,
-- baselines, targets, percentiles are computed in the unpartitioned partner_performance; a rerun
-- of a month leaves no stale lags).
-- Incremental like fct_partner_month: with vars min_date/max_date only months in
-- [min_date, max_date) are built, after the pre-hook deleted them (idempotent rerun); without
-- them every month up to the as_of month is rebuilt.
-- Every row of fct_partner_month is kept, the unknown member and the months after termination
-- included, so the credits of fct_opportunity_partner_credit reconcile with the month rows.
-- Measures added to fct_partner_month (opportunities of any role unless said otherwise):
--   won_amount_usd / won_amount_deals: full USD amount of won deals closed in the month (deals
--     without a USD amount are left out of both), for the average deal size
--   sales_cycle_days_sum / sales_cycle_deals: days from created_at to close_date of those deals
--   new_customers: accounts whose first won opportunity (earliest close_date, any channel,
--     partnered or not) closed in the month with the partner credited (sourced, influenced or
--     co_sell role; fulfillment brings no customer)
--   co_sell_count: opportunities created in the month on which the partner holds a co_sell role

{%- set as_of_month = month_start(as_of_date()) %}

with

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

credits as (

    {{ with_partner_key(ref('fct_opportunity_partner_credit')) }}

),

opportunity_roles as (

    select * from {{ ref('int_opportunity_partner_roles_resolved') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

months_in_range as (

    select *
    from partner_months
    where
        month_start >= {{ build_range_start() }}
        and month_start < {{ build_range_end() }}
        and month_start <= {{ as_of_month }}

),

won_deal_amounts as (

    select
        partner_key as partner_id,
        {{ month_start('close_date') }} as month_start,
        sum(amount_usd) as won_amount_usd,
        count(amount_usd) as won_amount_deals,
        sum({{ dbt.datediff('cast(created_at as date)', 'close_date', 'day') }}) as sales_cycle_days_sum,
        count(*) as sales_cycle_deals
    from credits
    where
        is_won
        and {{ in_build_range('close_date') }}
    group by partner_key, {{ month_start('close_date') }}

),

account_wins as (

    select
        opportunity_id,
        row_number() over (
            partition by account_id
            order by close_date asc, created_at asc, opportunity_id asc
        ) as account_win_order
    from opportunities
    where
        is_won
        and account_id is not null
        and close_date < {{ as_of_cutoff() }}

),

new_customers as (

    select
        credits.partner_key as partner_id,
        {{ month_start('credits.close_date') }} as month_start,
        count(distinct credits.account_id) as new_customers
    from credits
    inner join account_wins
        on credits.opportunity_id = account_wins.opportunity_id
    where
        account_wins.account_win_order = 1
        and credits.credit_role in ('sourcing', 'influencing')
        and {{ in_build_range('credits.close_date') }}
    group by credits.partner_key, {{ month_start('credits.close_date') }}

),

co_sell as (

    select
        credits.partner_key as partner_id,
        {{ month_start('credits.created_at') }} as month_start,
        count(*) as co_sell_count
    from credits
    inner join opportunity_roles
        on
            credits.opportunity_id = opportunity_roles.opportunity_id
            and credits.partner_id = opportunity_roles.partner_id
    where
        opportunity_roles.has_co_sell_role
        and {{ in_build_range('credits.created_at') }}
    group by credits.partner_key, {{ month_start('credits.created_at') }}

),

final as (

    select
        months_in_range.partner_id,
        months_in_range.month_start,
        months_in_range.month_end,
        months_in_range.quarter_start,
        months_in_range.partner_type,
        months_in_range.tier,
        months_in_range.region,
        months_in_range.is_provisional,
        months_in_range.is_unknown_member,
        months_in_range.is_after_termination,
        months_in_range.sourced_revenue_usd,
        months_in_range.influenced_revenue_usd,
        months_in_range.attributed_revenue_usd,
        months_in_range.won_deals,
        months_in_range.lost_deals,
        cast(coalesce(won_deal_amounts.won_amount_usd, 0) as {{ type_money() }}) as won_amount_usd,
        cast(coalesce(won_deal_amounts.won_amount_deals, 0) as {{ dbt.type_bigint() }}) as won_amount_deals,
        cast(coalesce(won_deal_amounts.sales_cycle_days_sum, 0) as {{ dbt.type_bigint() }})
            as sales_cycle_days_sum,
        cast(coalesce(won_deal_amounts.sales_cycle_deals, 0) as {{ dbt.type_bigint() }}) as sales_cycle_deals,
        months_in_range.pipeline_created_usd,
        months_in_range.pipeline_created_deals,
        months_in_range.registrations_submitted,
        months_in_range.registrations_approved,
        months_in_range.registrations_converted,
        cast(coalesce(new_customers.new_customers, 0) as {{ dbt.type_bigint() }}) as new_customers,
        cast(coalesce(co_sell.co_sell_count, 0) as {{ dbt.type_bigint() }}) as co_sell_count,
        months_in_range.mdf_paid_usd,
        months_in_range.course_completions,
        months_in_range.valid_certifications,
        months_in_range.certified_contacts
    from months_in_range
    left join won_deal_amounts
        on
            months_in_range.partner_id = won_deal_amounts.partner_id
            and months_in_range.month_start = won_deal_amounts.month_start
    left join new_customers
        on
            months_in_range.partner_id = new_customers.partner_id
            and months_in_range.month_start = new_customers.month_start
    left join co_sell
        on
            months_in_range.partner_id = co_sell.partner_id
            and months_in_range.month_start = co_sell.month_start

)

select * from final
