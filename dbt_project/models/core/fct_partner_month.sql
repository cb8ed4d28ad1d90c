{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['partitioned_monthly'],
        pre_hook="{{ delete_build_months(this) }}"
    )
}}

-- One row per partner per month (DESIGN 3 "Partner-month fact") of the spine int_partner_months:
-- from the joined month (or first activity) to the terminated month - or later while facts keep
-- arriving after termination (is_after_termination) - or the as_of month; facts whose partner
-- PRM does not know are kept under the unknown member 'UNKNOWN' (is_unknown_member), so no fact
-- falls out of a sum. Segment attributes (partner_type, tier, region) are those valid at the
-- month's end (SCD2, dim_partner_history). is_provisional marks the open month (closed-month rule,
-- macros/closed_month.sql).
-- Months are half-open [month_start, month_end); an event at 00:00 on the 1st belongs to the new
-- month. Month-end states are taken at E = month_end, or at the end of the as_of day for the
-- as_of month; events after the as_of day are ignored, so a run with a fixed as_of_date is
-- reproducible.
-- Incremental: with vars min_date/max_date only months in [min_date, max_date) are built, after
-- a pre-hook deleted them (idempotent rerun); without them every month is rebuilt.
-- Opportunity money is the partner's credit (fct_opportunity_partner_credit):
--   attributed / sourced / influenced revenue: credit of won opportunities closed in the month
--     (sourced = role sourced; influenced = role influenced or co_sell)
--   pipeline_created_usd / _deals: credit / count of opportunities created in the month (any
--     later outcome); open_pipeline_usd / _deals: opportunities with created_at < E and not closed
--     before E. An opportunity without an amount counts in the _deals columns, not in the USD sums.
-- won_deals / lost_deals count opportunities of any role (fulfillment too) closed in the month.
-- Registrations are counted in the month of submission (cohort) with their status as of the
-- month end E (macro registration_status_at): submitted, approved, rejected, expired, pending at
-- E, converted (approved and its opportunity won by E); median_approval_hours is over
-- registrations approved (decided) in the month. median_resolution_hours is over cases closed in
-- the month.


with

partner_months as (

    select * from {{ ref('int_partner_months') }}

),

sales as (

    select * from {{ ref('int_partner_month_sales') }}

),

engagement as (

    select * from {{ ref('int_partner_month_engagement') }}

),

final as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        partner_months.month_end,
        partner_months.quarter_start,
        partner_months.partner_type,
        partner_months.tier,
        partner_months.region,
        partner_months.is_provisional,
        partner_months.is_unknown_member,
        partner_months.is_after_termination,
        {{ money_or_zero('sales.sourced_revenue_usd') }} as sourced_revenue_usd,
        {{ money_or_zero('sales.influenced_revenue_usd') }} as influenced_revenue_usd,
        {{ money_or_zero('sales.attributed_revenue_usd') }} as attributed_revenue_usd,
        {{ count_or_zero('sales.won_deals') }} as won_deals,
        {{ count_or_zero('sales.lost_deals') }} as lost_deals,
        {{ money_or_zero('sales.pipeline_created_usd') }} as pipeline_created_usd,
        {{ count_or_zero('sales.pipeline_created_deals') }} as pipeline_created_deals,
        {{ money_or_zero('sales.open_pipeline_usd') }} as open_pipeline_usd,
        {{ count_or_zero('sales.open_pipeline_deals') }} as open_pipeline_deals,
        {{ count_or_zero('sales.registrations_submitted') }} as registrations_submitted,
        {{ count_or_zero('sales.registrations_approved') }} as registrations_approved,
        {{ count_or_zero('sales.registrations_rejected') }} as registrations_rejected,
        {{ count_or_zero('sales.registrations_expired') }} as registrations_expired,
        {{ count_or_zero('sales.registrations_pending_eom') }} as registrations_pending_eom,
        {{ count_or_zero('sales.registrations_converted') }} as registrations_converted,
        cast(sales.median_approval_hours as {{ type_double() }}) as median_approval_hours,
        {{ count_or_zero('engagement.portal_events') }} as portal_events,
        {{ count_or_zero('engagement.portal_active_days') }} as portal_active_days,
        {{ count_or_zero('engagement.portal_active_contacts') }} as portal_active_contacts,
        {{ count_or_zero('engagement.course_completions') }} as course_completions,
        {{ count_or_zero('engagement.valid_certifications') }} as valid_certifications,
        {{ count_or_zero('engagement.certified_contacts') }} as certified_contacts,
        {{ money_or_zero('engagement.mdf_requested_usd') }} as mdf_requested_usd,
        {{ money_or_zero('engagement.mdf_paid_usd') }} as mdf_paid_usd,
        {{ count_or_zero('engagement.support_cases_opened') }} as support_cases_opened,
        {{ count_or_zero('engagement.support_cases_open_eom') }} as support_cases_open_eom,
        {{ count_or_zero('engagement.high_priority_open_eom') }} as high_priority_open_eom,
        cast(engagement.median_resolution_hours as {{ type_double() }}) as median_resolution_hours,
        {{ count_or_zero('engagement.survey_responses') }} as survey_responses
    from partner_months
    inner join sales
        on
            partner_months.partner_id = sales.partner_id
            and partner_months.month_start = sales.month_start
    inner join engagement
        on
            partner_months.partner_id = engagement.partner_id
            and partner_months.month_start = engagement.month_start
    where
        partner_months.month_start >= {{ build_range_start() }}
        and partner_months.month_start < {{ build_range_end() }}

)

select * from final
