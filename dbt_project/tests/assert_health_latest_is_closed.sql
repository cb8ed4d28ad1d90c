-- partner_health_latest holds exactly the last closed month: one month, never provisional,
-- and every partner_health_score row of that month.

with

latest as (

    select * from {{ ref('partner_health_latest') }}

),

scores as (

    select * from {{ ref('partner_health_score') }}

),

problems as (

    select
        'provisional or wrong month' as problem,
        partner_id
    from latest
    where is_provisional or month_start <> {{ last_closed_month() }}
    union all
    select
        'missing from latest' as problem,
        scores.partner_id
    from scores
    left join latest
        on scores.partner_id = latest.partner_id
    where
        scores.month_start = {{ last_closed_month() }}
        and latest.partner_id is null

)

select * from problems
