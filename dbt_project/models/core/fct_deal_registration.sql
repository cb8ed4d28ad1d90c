-- One row per deal registration: status flags, decision latency, USD estimate, and when the
-- registration stopped waiting (closed_at): its decision, or for an expired registration
-- without a recorded decision time submitted_at + expiry_days (seed deal_registration_policy).
-- Status as of an instant E: macro registration_status_at (pending until closed_at).
-- rejection_reason (free text) is not published here.

with

registrations as (

    select * from {{ ref('int_deal_registrations_converted') }}

),

policy as (

    select * from {{ ref('deal_registration_policy') }}

),

expiry as (

    select max({{ dbt.safe_cast('value', dbt.type_int()) }}) as expiry_days
    from policy
    where parameter = 'expiry_days'

),

closed as (

    select
        registrations.*,
        registrations.status = 'expired' as is_expired,
        case
            when registrations.decided_at is not null then registrations.decided_at
            when registrations.status = 'expired'
                then {{ dbt.dateadd('day', 'expiry.expiry_days', 'registrations.submitted_at') }}
        end as closed_at
    from registrations
    cross join expiry

),

final as (

    select
        registration_id,
        partner_id,
        account_id,
        opportunity_id,
        submitted_at,
        decided_at,
        cast(closed_at as {{ dbt.type_timestamp() }}) as closed_at,
        status,
        is_approved,
        is_rejected,
        is_expired,
        is_converted,
        decision_hours,
        approval_hours,
        case
            when closed_at is not null then {{ hours_between('submitted_at', 'closed_at') }}
        end as wait_hours,
        opportunity_close_date,
        estimated_amount_local,
        currency,
        estimated_amount_usd,
        fx_is_stale,
        is_orphan
    from closed

)

select * from final
