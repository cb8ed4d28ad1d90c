-- Attribution invariant (DESIGN 3): for every won opportunity the partner credits sum to 0 or
-- exactly its USD amount (amounts in cents, exact decimals). Returns the violating opportunities.

with

credits as (

    select * from {{ ref('fct_opportunity_partner_credit') }}

),

opportunity_totals as (

    select
        opportunity_id,
        max(amount_usd) as amount_usd,
        sum(credit_amount_usd) as credited_usd
    from credits
    where is_won
    group by opportunity_id

)

select
    opportunity_id,
    amount_usd,
    credited_usd
from opportunity_totals
where
    coalesce(credited_usd, 0) != 0
    and (amount_usd is null or credited_usd != amount_usd)
