{{ config(tags=['partitioned_monthly']) }}

-- The engagement measures of fct_partner_month (portal, learning, MDF, support, surveys) per row
-- of the spine int_partner_months, from facts keyed to the partner (unknown partner ->
-- 'UNKNOWN'); null where the partner had nothing (fct_partner_month turns sums into 0).
-- Definitions: see fct_partner_month.

with

partner_months as (

    select * from {{ ref('int_partner_months') }}

),

portal_events as (

    {{ with_partner_key(ref('stg_prm__portal_events')) }}

),

enrollments as (

    {{ with_partner_key(ref('stg_lms__enrollments')) }}

),

certifications as (

    {{ with_partner_key(ref('stg_lms__certifications')) }}

),

mdf_requests as (

    {{ with_partner_key(ref('int_mdf_requests_converted')) }}

),

support_cases as (

    {{ with_partner_key(ref('stg_prm__support_cases')) }}

),

survey_responses as (

    {{ with_partner_key(ref('stg_survey__responses')) }}

),

portal_activity as (

    select
        partner_key as partner_id,
        {{ month_start('occurred_at') }} as month_start,
        count(*) as portal_events,
        count(distinct cast(occurred_at as date)) as portal_active_days,
        count(distinct contact_id) as portal_active_contacts
    from portal_events
    where occurred_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('occurred_at') }}

),

course_completions as (

    select
        partner_key as partner_id,
        {{ month_start('completed_at') }} as month_start,
        count(*) as course_completions
    from enrollments
    where
        completed_at is not null
        and completed_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('completed_at') }}

),

valid_certifications as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        count(*) as valid_certifications,
        count(distinct certifications.contact_id) as certified_contacts
    from partner_months
    inner join certifications
        on
            partner_months.partner_id = certifications.partner_key
            and partner_months.state_at > certifications.issued_at
            and partner_months.state_at
            <= coalesce(certifications.expires_at, partner_months.state_at)
    group by partner_months.partner_id, partner_months.month_start

),

mdf_requested as (

    select
        partner_key as partner_id,
        {{ month_start('requested_at') }} as month_start,
        sum(amount_usd) as mdf_requested_usd
    from mdf_requests
    where requested_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('requested_at') }}

),

mdf_paid as (

    select
        partner_key as partner_id,
        {{ month_start('paid_at') }} as month_start,
        sum(amount_usd) as mdf_paid_usd
    from mdf_requests
    where
        paid_at is not null
        and paid_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('paid_at') }}

),

support_opened as (

    select
        partner_key as partner_id,
        {{ month_start('opened_at') }} as month_start,
        count(*) as support_cases_opened
    from support_cases
    where opened_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('opened_at') }}

),

support_resolved as (

    select
        partner_key as partner_id,
        {{ month_start('closed_at') }} as month_start,
        {{ percentile_cont(hours_between('opened_at', 'closed_at'), 0.5) }}
            as median_resolution_hours
    from support_cases
    where
        closed_at is not null
        and closed_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('closed_at') }}

),

support_open_eom as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        count(*) as support_cases_open_eom,
        sum(
            case when support_cases.priority in ('high', 'critical') then 1 else 0 end
        ) as high_priority_open_eom
    from partner_months
    inner join support_cases
        on
            partner_months.partner_id = support_cases.partner_key
            and partner_months.state_at > support_cases.opened_at
            and (
                support_cases.closed_at is null
                or partner_months.state_at <= support_cases.closed_at
            )
    group by partner_months.partner_id, partner_months.month_start

),

survey_activity as (

    select
        partner_key as partner_id,
        {{ month_start('submitted_at') }} as month_start,
        count(*) as survey_responses
    from survey_responses
    where submitted_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('submitted_at') }}

),

final as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        portal_activity.portal_events,
        portal_activity.portal_active_days,
        portal_activity.portal_active_contacts,
        course_completions.course_completions,
        valid_certifications.valid_certifications,
        valid_certifications.certified_contacts,
        mdf_requested.mdf_requested_usd,
        mdf_paid.mdf_paid_usd,
        support_opened.support_cases_opened,
        support_resolved.median_resolution_hours,
        support_open_eom.support_cases_open_eom,
        support_open_eom.high_priority_open_eom,
        survey_activity.survey_responses
    from partner_months
    left join portal_activity
        on
            partner_months.partner_id = portal_activity.partner_id
            and partner_months.month_start = portal_activity.month_start
    left join course_completions
        on
            partner_months.partner_id = course_completions.partner_id
            and partner_months.month_start = course_completions.month_start
    left join valid_certifications
        on
            partner_months.partner_id = valid_certifications.partner_id
            and partner_months.month_start = valid_certifications.month_start
    left join mdf_requested
        on
            partner_months.partner_id = mdf_requested.partner_id
            and partner_months.month_start = mdf_requested.month_start
    left join mdf_paid
        on
            partner_months.partner_id = mdf_paid.partner_id
            and partner_months.month_start = mdf_paid.month_start
    left join support_opened
        on
            partner_months.partner_id = support_opened.partner_id
            and partner_months.month_start = support_opened.month_start
    left join support_resolved
        on
            partner_months.partner_id = support_resolved.partner_id
            and partner_months.month_start = support_resolved.month_start
    left join support_open_eom
        on
            partner_months.partner_id = support_open_eom.partner_id
            and partner_months.month_start = support_open_eom.month_start
    left join survey_activity
        on
            partner_months.partner_id = survey_activity.partner_id
            and partner_months.month_start = survey_activity.month_start

)

select * from final
