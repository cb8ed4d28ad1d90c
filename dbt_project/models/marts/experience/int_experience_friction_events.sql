-- The events partner_friction measures, one row per event, in one shape: touchpoint, partner,
-- month (UTC month of the event that ends the wait), persona (partner_type of the partner's
-- fct_partner_month row of that month, i.e. SCD2 as of the month end; events of the unknown
-- member carry no persona and are left out), the measured value, and the numerator /
-- denominator of the touchpoint's rate:
--   deal_registration  wait_hours of registrations that stopped waiting (approved, rejected or
--                      expired undecided: an expiry is the longest wait), by closed_at month;
--                      rate = rejected / closed
--   mdf                days from request to payment of paid MDF requests, by paid_at month
--   support            hours from open to close of closed cases, by closed_at month
--   onboarding         days from joined_at to onboarded_at, by onboarded_at month
--   training           days from enrollment to completion of completed courses, by completion month
--   portal             portal events per active contact of each partner-month with an active
--                      contact; rate = events / active contacts over the persona
-- Events after the as_of day are ignored.

with

registrations as (

    select * from {{ ref('fct_deal_registration') }}

),

mdf_requests as (

    select * from {{ ref('stg_prm__mdf_requests') }}

),

support_cases as (

    select * from {{ ref('stg_prm__support_cases') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

enrollments as (

    select * from {{ ref('fct_enrollment') }}

),

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

events as (

    select
        'deal_registration' as touchpoint,
        partner_id,
        {{ month_start('closed_at') }} as month_start,
        cast(wait_hours as {{ type_double() }}) as measured_value,
        case when is_rejected then 1.0 else 0.0 end as rate_numerator,
        1.0 as rate_denominator
    from registrations
    where
        closed_at is not null
        and wait_hours is not null
        and closed_at < {{ as_of_cutoff() }}

    union all

    select
        'mdf' as touchpoint,
        partner_id,
        {{ month_start('paid_at') }} as month_start,
        {{ hours_between('requested_at', 'paid_at') }} / 24.0 as measured_value,
        null as rate_numerator,
        null as rate_denominator
    from mdf_requests
    where
        paid_at is not null
        and requested_at is not null
        and paid_at < {{ as_of_cutoff() }}

    union all

    select
        'support' as touchpoint,
        partner_id,
        {{ month_start('closed_at') }} as month_start,
        {{ hours_between('opened_at', 'closed_at') }} as measured_value,
        null as rate_numerator,
        null as rate_denominator
    from support_cases
    where
        closed_at is not null
        and opened_at is not null
        and closed_at < {{ as_of_cutoff() }}

    union all

    select
        'onboarding' as touchpoint,
        partner_id,
        {{ month_start('onboarded_at') }} as month_start,
        {{ hours_between('joined_at', 'onboarded_at') }} / 24.0 as measured_value,
        null as rate_numerator,
        null as rate_denominator
    from partners
    where
        onboarded_at is not null
        and joined_at is not null
        and onboarded_at < {{ as_of_cutoff() }}
        and not is_unknown_member

    union all

    select
        'training' as touchpoint,
        partner_id,
        {{ month_start('completed_at') }} as month_start,
        {{ hours_between('enrolled_at', 'completed_at') }} / 24.0 as measured_value,
        null as rate_numerator,
        null as rate_denominator
    from enrollments
    where
        completed_at is not null
        and enrolled_at is not null
        and completed_at < {{ as_of_cutoff() }}

    union all

    select
        'portal' as touchpoint,
        partner_id,
        month_start,
        1.0 * portal_events / portal_active_contacts as measured_value,
        1.0 * portal_events as rate_numerator,
        1.0 * portal_active_contacts as rate_denominator
    from partner_months
    where
        portal_active_contacts > 0
        and not is_unknown_member

),

final as (

    select
        events.touchpoint,
        events.partner_id,
        events.month_start,
        partner_months.partner_type as persona,
        cast(events.measured_value as {{ type_double() }}) as measured_value,
        cast(events.rate_numerator as {{ type_double() }}) as rate_numerator,
        cast(events.rate_denominator as {{ type_double() }}) as rate_denominator
    from events
    inner join partner_months
        on
            events.partner_id = partner_months.partner_id
            and events.month_start = partner_months.month_start
    where not partner_months.is_unknown_member

)

select * from final
