-- One row per deal registration: status flags, decision latency, USD estimate.
-- rejection_reason (free text) is not published here.

with

registrations as (

    select * from {{ ref('int_deal_registrations_converted') }}

),

final as (

    select
        registration_id,
        partner_id,
        account_id,
        opportunity_id,
        submitted_at,
        decided_at,
        status,
        is_approved,
        is_rejected,
        is_converted,
        decision_hours,
        approval_hours,
        estimated_amount_local,
        currency,
        estimated_amount_usd,
        fx_is_stale,
        is_orphan
    from registrations

)

select * from final
