-- "Latest" health for BI: the partner_health_score rows of the last closed month (closed-month
-- rule, macros/closed_month.sql), one row per scored partner. A dashboard reading this table
-- never shows an open month's provisional, unbanded scores as the current state; the open
-- month stays in partner_health_score (is_provisional) for those who want it.

with

scores as (

    select * from {{ ref('partner_health_score') }}

),

final as (

    select *
    from scores
    where month_start = {{ last_closed_month() }}

)

select * from final
