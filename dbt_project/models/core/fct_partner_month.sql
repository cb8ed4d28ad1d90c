{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['partitioned_monthly'],
        pre_hook="{{ delete_build_months(this) }}"
    )
}}

-- One row per partner per month (DESIGN 3 "Partner-month fact"), from the joined month (or the
-- first activity, if earlier or joined_at is missing) to the terminated month or the as_of
-- month. Months are half-open [month_start, month_end); an event at 00:00 on the 1st belongs
-- to the new month. Month-end states are taken at E = month_end, or at the end of the as_of
-- day for the provisional (as_of) month; events after the as_of day are ignored, so a run
-- with a fixed as_of_date is reproducible.
-- Incremental: with vars min_date/max_date only months in [min_date, max_date) are built, after
-- a pre-hook deleted them (idempotent rerun); without them every month is rebuilt.
-- Opportunity money is the partner's credit (fct_opportunity_partner_credit):
--   attributed / sourced / influenced revenue: credit of won opportunities closed in the month
--     (sourced = role sourced; influenced = role influenced or co_sell)
--   pipeline_created_usd: credit of opportunities created in the month (any later outcome)
--   open_pipeline_usd: credit of opportunities with created_at < E and not closed before E
-- won_deals / lost_deals count opportunities of any role (fulfillment too) closed in the month.
-- Registrations are counted in the month of submission (cohort): submitted, approved,
-- rejected, converted (approved and linked to a won opportunity); median_approval_hours is
-- over registrations approved (decided) in the month. median_resolution_hours is over cases
-- closed in the month.

{%- set as_of_month = month_start(as_of_date()) %}

with

partners as (

    select * from {{ ref('dim_partner') }}

),

credits as (

    select * from {{ ref('fct_opportunity_partner_credit') }}

),

registrations as (

    select * from {{ ref('fct_deal_registration') }}

),

portal_events as (

    select * from {{ ref('stg_prm__portal_events') }}

),

enrollments as (

    select * from {{ ref('stg_lms__enrollments') }}

),

certifications as (

    select * from {{ ref('stg_lms__certifications') }}

),

mdf_requests as (

    select * from {{ ref('int_mdf_requests_converted') }}

),

support_cases as (

    select * from {{ ref('stg_prm__support_cases') }}

),

survey_responses as (

    select * from {{ ref('stg_survey__responses') }}

),

-- ---------------------------------------------------------------- partner lifetimes

activity_dates as (

    select
        partner_id,
        created_at as activity_at
    from credits
    union all
    select
        partner_id,
        submitted_at as activity_at
    from registrations
    union all
    select
        partner_id,
        occurred_at as activity_at
    from portal_events
    union all
    select
        partner_id,
        enrolled_at as activity_at
    from enrollments
    union all
    select
        partner_id,
        issued_at as activity_at
    from certifications
    union all
    select
        partner_id,
        requested_at as activity_at
    from mdf_requests
    union all
    select
        partner_id,
        opened_at as activity_at
    from support_cases
    union all
    select
        partner_id,
        submitted_at as activity_at
    from survey_responses

),

first_activity as (

    select
        partner_id,
        min(activity_at) as first_activity_at
    from activity_dates
    where activity_at < {{ as_of_cutoff() }}
    group by partner_id

),

partner_windows as (

    select
        partners.partner_id,
        partners.partner_type,
        partners.tier,
        partners.region,
        {{ month_start(
            'least(coalesce(partners.joined_at, first_activity.first_activity_at),'
            ~ ' coalesce(first_activity.first_activity_at, partners.joined_at))'
        ) }} as first_month,
        case
            when
                partners.terminated_at is not null
                and {{ month_start('partners.terminated_at') }} < {{ as_of_month }}
                then {{ month_start('partners.terminated_at') }}
            else {{ as_of_month }}
        end as last_month
    from partners
    left join first_activity
        on partners.partner_id = first_activity.partner_id

),

month_offsets as (

    {{ integers(1200) }}

),

month_bounds as (

    select min(first_month) as min_month
    from partner_windows

),

months as (

    select
        {{ add_months('month_bounds.min_month', 'month_offsets.n') }} as month_start
    from month_offsets
    cross join month_bounds
    where
        month_bounds.min_month is not null
        and {{ add_months('month_bounds.min_month', 'month_offsets.n') }} <= {{ as_of_month }}

),

partner_months as (

    select
        partner_windows.partner_id,
        partner_windows.partner_type,
        partner_windows.tier,
        partner_windows.region,
        months.month_start,
        {{ add_months('months.month_start', 1) }} as month_end,
        months.month_start = {{ as_of_month }} as is_provisional,
        case
            when months.month_start = {{ as_of_month }} then {{ as_of_cutoff() }}
            else cast({{ add_months('months.month_start', 1) }} as {{ dbt.type_timestamp() }})
        end as state_at
    from partner_windows
    inner join months
        on
            partner_windows.first_month <= months.month_start
            and partner_windows.last_month >= months.month_start
    where
        months.month_start >= {{ build_range_start() }}
        and months.month_start < {{ build_range_end() }}

),

-- ---------------------------------------------------------------- opportunities

won_revenue as (

    select
        partner_id,
        {{ month_start('close_date') }} as month_start,
        sum(case when role = 'sourced' then credit_amount_usd else 0 end) as sourced_revenue_usd,
        sum(
            case when role in ('influenced', 'co_sell') then credit_amount_usd else 0 end
        ) as influenced_revenue_usd,
        sum(credit_amount_usd) as attributed_revenue_usd,
        count(*) as won_deals
    from credits
    where
        is_won
        and {{ in_build_range('close_date') }}
    group by partner_id, {{ month_start('close_date') }}

),

lost_deals as (

    select
        partner_id,
        {{ month_start('close_date') }} as month_start,
        count(*) as lost_deals
    from credits
    where
        is_closed
        and not is_won
        and {{ in_build_range('close_date') }}
    group by partner_id, {{ month_start('close_date') }}

),

pipeline_created as (

    select
        partner_id,
        {{ month_start('created_at') }} as month_start,
        sum(credit_amount_usd) as pipeline_created_usd
    from credits
    where {{ in_build_range('created_at') }}
    group by partner_id, {{ month_start('created_at') }}

),

open_pipeline as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        sum(credits.credit_amount_usd) as open_pipeline_usd
    from partner_months
    inner join credits
        on
            partner_months.partner_id = credits.partner_id
            and partner_months.state_at > credits.created_at
            and (
                not credits.is_closed
                or partner_months.state_at <= cast(credits.close_date as {{ dbt.type_timestamp() }})
            )
    group by partner_months.partner_id, partner_months.month_start

),

-- ---------------------------------------------------------------- deal registrations

registrations_submitted as (

    select
        partner_id,
        {{ month_start('submitted_at') }} as month_start,
        count(*) as registrations_submitted,
        sum(case when is_approved then 1 else 0 end) as registrations_approved,
        sum(case when is_rejected then 1 else 0 end) as registrations_rejected,
        sum(case when is_converted then 1 else 0 end) as registrations_converted
    from registrations
    where {{ in_build_range('submitted_at') }}
    group by partner_id, {{ month_start('submitted_at') }}

),

registration_approvals as (

    select
        partner_id,
        {{ month_start('decided_at') }} as month_start,
        {{ percentile_cont('approval_hours', 0.5) }} as median_approval_hours
    from registrations
    where
        approval_hours is not null
        and {{ in_build_range('decided_at') }}
    group by partner_id, {{ month_start('decided_at') }}

),

-- ---------------------------------------------------------------- portal, learning

portal_activity as (

    select
        partner_id,
        {{ month_start('occurred_at') }} as month_start,
        count(*) as portal_events,
        count(distinct cast(occurred_at as date)) as portal_active_days,
        count(distinct contact_id) as portal_active_contacts
    from portal_events
    where {{ in_build_range('occurred_at') }}
    group by partner_id, {{ month_start('occurred_at') }}

),

course_completions as (

    select
        partner_id,
        {{ month_start('completed_at') }} as month_start,
        count(*) as course_completions
    from enrollments
    where
        completed_at is not null
        and {{ in_build_range('completed_at') }}
    group by partner_id, {{ month_start('completed_at') }}

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
            partner_months.partner_id = certifications.partner_id
            and partner_months.state_at > certifications.issued_at
            and partner_months.state_at
            <= coalesce(certifications.expires_at, partner_months.state_at)
    group by partner_months.partner_id, partner_months.month_start

),

-- ---------------------------------------------------------------- MDF, support, surveys

mdf_requested as (

    select
        partner_id,
        {{ month_start('requested_at') }} as month_start,
        sum(amount_usd) as mdf_requested_usd
    from mdf_requests
    where {{ in_build_range('requested_at') }}
    group by partner_id, {{ month_start('requested_at') }}

),

mdf_paid as (

    select
        partner_id,
        {{ month_start('paid_at') }} as month_start,
        sum(amount_usd) as mdf_paid_usd
    from mdf_requests
    where
        paid_at is not null
        and {{ in_build_range('paid_at') }}
    group by partner_id, {{ month_start('paid_at') }}

),

support_opened as (

    select
        partner_id,
        {{ month_start('opened_at') }} as month_start,
        count(*) as support_cases_opened
    from support_cases
    where {{ in_build_range('opened_at') }}
    group by partner_id, {{ month_start('opened_at') }}

),

support_resolved as (

    select
        partner_id,
        {{ month_start('closed_at') }} as month_start,
        {{ percentile_cont(hours_between('opened_at', 'closed_at'), 0.5) }}
            as median_resolution_hours
    from support_cases
    where
        closed_at is not null
        and {{ in_build_range('closed_at') }}
    group by partner_id, {{ month_start('closed_at') }}

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
            partner_months.partner_id = support_cases.partner_id
            and partner_months.state_at > support_cases.opened_at
            and (
                support_cases.closed_at is null
                or partner_months.state_at <= support_cases.closed_at
            )
    group by partner_months.partner_id, partner_months.month_start

),

survey_activity as (

    select
        partner_id,
        {{ month_start('submitted_at') }} as month_start,
        count(*) as survey_responses
    from survey_responses
    where {{ in_build_range('submitted_at') }}
    group by partner_id, {{ month_start('submitted_at') }}

),

-- ---------------------------------------------------------------- assemble

final as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        partner_months.month_end,
        partner_months.partner_type,
        partner_months.tier,
        partner_months.region,
        partner_months.is_provisional,
        cast(coalesce(won_revenue.sourced_revenue_usd, 0) as {{ type_money() }})
            as sourced_revenue_usd,
        cast(coalesce(won_revenue.influenced_revenue_usd, 0) as {{ type_money() }})
            as influenced_revenue_usd,
        cast(coalesce(won_revenue.attributed_revenue_usd, 0) as {{ type_money() }})
            as attributed_revenue_usd,
        cast(coalesce(won_revenue.won_deals, 0) as {{ dbt.type_bigint() }}) as won_deals,
        cast(coalesce(lost_deals.lost_deals, 0) as {{ dbt.type_bigint() }}) as lost_deals,
        cast(coalesce(pipeline_created.pipeline_created_usd, 0) as {{ type_money() }})
            as pipeline_created_usd,
        cast(coalesce(open_pipeline.open_pipeline_usd, 0) as {{ type_money() }})
            as open_pipeline_usd,
        cast(
            coalesce(registrations_submitted.registrations_submitted, 0) as {{ dbt.type_bigint() }}
        ) as registrations_submitted,
        cast(
            coalesce(registrations_submitted.registrations_approved, 0) as {{ dbt.type_bigint() }}
        ) as registrations_approved,
        cast(
            coalesce(registrations_submitted.registrations_rejected, 0) as {{ dbt.type_bigint() }}
        ) as registrations_rejected,
        cast(
            coalesce(registrations_submitted.registrations_converted, 0) as {{ dbt.type_bigint() }}
        ) as registrations_converted,
        cast(registration_approvals.median_approval_hours as {{ type_double() }})
            as median_approval_hours,
        cast(coalesce(portal_activity.portal_events, 0) as {{ dbt.type_bigint() }})
            as portal_events,
        cast(coalesce(portal_activity.portal_active_days, 0) as {{ dbt.type_bigint() }})
            as portal_active_days,
        cast(coalesce(portal_activity.portal_active_contacts, 0) as {{ dbt.type_bigint() }})
            as portal_active_contacts,
        cast(coalesce(course_completions.course_completions, 0) as {{ dbt.type_bigint() }})
            as course_completions,
        cast(coalesce(valid_certifications.valid_certifications, 0) as {{ dbt.type_bigint() }})
            as valid_certifications,
        cast(coalesce(valid_certifications.certified_contacts, 0) as {{ dbt.type_bigint() }})
            as certified_contacts,
        cast(coalesce(mdf_requested.mdf_requested_usd, 0) as {{ type_money() }})
            as mdf_requested_usd,
        cast(coalesce(mdf_paid.mdf_paid_usd, 0) as {{ type_money() }}) as mdf_paid_usd,
        cast(coalesce(support_opened.support_cases_opened, 0) as {{ dbt.type_bigint() }})
            as support_cases_opened,
        cast(coalesce(support_open_eom.support_cases_open_eom, 0) as {{ dbt.type_bigint() }})
            as support_cases_open_eom,
        cast(coalesce(support_open_eom.high_priority_open_eom, 0) as {{ dbt.type_bigint() }})
            as high_priority_open_eom,
        cast(support_resolved.median_resolution_hours as {{ type_double() }})
            as median_resolution_hours,
        cast(coalesce(survey_activity.survey_responses, 0) as {{ dbt.type_bigint() }})
            as survey_responses
    from partner_months
    left join won_revenue
        on
            partner_months.partner_id = won_revenue.partner_id
            and partner_months.month_start = won_revenue.month_start
    left join lost_deals
        on
            partner_months.partner_id = lost_deals.partner_id
            and partner_months.month_start = lost_deals.month_start
    left join pipeline_created
        on
            partner_months.partner_id = pipeline_created.partner_id
            and partner_months.month_start = pipeline_created.month_start
    left join open_pipeline
        on
            partner_months.partner_id = open_pipeline.partner_id
            and partner_months.month_start = open_pipeline.month_start
    left join registrations_submitted
        on
            partner_months.partner_id = registrations_submitted.partner_id
            and partner_months.month_start = registrations_submitted.month_start
    left join registration_approvals
        on
            partner_months.partner_id = registration_approvals.partner_id
            and partner_months.month_start = registration_approvals.month_start
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
