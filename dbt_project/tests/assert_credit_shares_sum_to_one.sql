-- The crediting shares of an opportunity sum to 1 (when any partner earns credit) or to 0.

with

credits as (

    select * from {{ ref('fct_opportunity_partner_credit') }}

),

share_totals as (

    select
        opportunity_id,
        sum(credit_share) as total_share
    from credits
    group by opportunity_id

)

select
    opportunity_id,
    total_share
from share_totals
where
    abs(total_share) > 1e-9
    and abs(total_share - 1.0) > 1e-9
