-- No won revenue vanishes between the credit fact and the partner-level marts: for every month,
-- the won credit of fct_opportunity_partner_credit (closed before the as_of cutoff) equals the
-- attributed revenue summed over partner_performance month rows, the unknown member (orphan
-- partner ids) and months after a termination included. Returns the months that differ.

with

credits as (

    select * from {{ ref('fct_opportunity_partner_credit') }}

),

performance as (

    select * from {{ ref('partner_performance') }}

),

credit_months as (

    select
        {{ month_start('close_date') }} as month_start,
        sum(credit_amount_usd) as won_credit_usd
    from credits
    where
        is_won
        and close_date < {{ as_of_cutoff() }}
    group by {{ month_start('close_date') }}

),

performance_months as (

    select
        period_start as month_start,
        sum(attributed_revenue_usd) as attributed_revenue_usd
    from performance
    where period_grain = 'month'
    group by period_start

),

differences as (

    select
        coalesce(credit_months.month_start, performance_months.month_start) as month_start,
        coalesce(credit_months.won_credit_usd, 0) as won_credit_usd,
        coalesce(performance_months.attributed_revenue_usd, 0) as attributed_revenue_usd
    from credit_months
    full outer join performance_months
        on credit_months.month_start = performance_months.month_start

)

select * from differences
where won_credit_usd <> attributed_revenue_usd
