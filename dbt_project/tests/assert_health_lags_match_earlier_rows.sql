-- partner_health_score: the lag columns equal the scores stored in the earlier months' rows, so
-- a rerun left no stale lag (health_score_prev_month = score of M-1, health_score_3m_ago = score
-- of M-3, deltas = differences).

with

health_scores as (

    select * from {{ ref('partner_health_score') }}

),

checked as (

    select
        current_month.partner_id,
        current_month.month_start,
        current_month.health_score_prev_month,
        prev_1.health_score as stored_prev_month,
        current_month.health_score_3m_ago,
        prev_3.health_score as stored_3m_ago,
        current_month.delta_1m,
        current_month.delta_3m,
        current_month.health_score
    from health_scores as current_month
    left join health_scores as prev_1
        on
            current_month.partner_id = prev_1.partner_id
            and {{ add_months('current_month.month_start', -1) }} = prev_1.month_start
    left join health_scores as prev_3
        on
            current_month.partner_id = prev_3.partner_id
            and {{ add_months('current_month.month_start', -3) }} = prev_3.month_start

)

select *
from checked
where
    coalesce(health_score_prev_month != stored_prev_month, true)
    and not (health_score_prev_month is null and stored_prev_month is null)
    or coalesce(health_score_3m_ago != stored_3m_ago, true)
    and not (health_score_3m_ago is null and stored_3m_ago is null)
    or coalesce(delta_1m != health_score - health_score_prev_month, delta_1m is not null)
    or coalesce(delta_3m != health_score - health_score_3m_ago, delta_3m is not null)
