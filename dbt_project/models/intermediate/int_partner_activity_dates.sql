-- Every dated fact of a partner (one row per fact date), keyed to the partner dimension: a
-- partner_id PRM does not know becomes the unknown member 'UNKNOWN'. int_partner_months takes
-- each partner's first and last activity from it.

with

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

fact_dates as (

    select
        partner_id,
        created_at as activity_at
    from credits
    union all
    select
        partner_id,
        cast(close_date as {{ dbt.type_timestamp() }})
    from credits
    where is_closed
    union all
    select
        partner_id,
        submitted_at
    from registrations
    union all
    select
        partner_id,
        decided_at
    from registrations
    where decided_at is not null
    union all
    select
        partner_id,
        occurred_at
    from portal_events
    union all
    select
        partner_id,
        enrolled_at
    from enrollments
    union all
    select
        partner_id,
        completed_at
    from enrollments
    where completed_at is not null
    union all
    select
        partner_id,
        issued_at
    from certifications
    union all
    select
        partner_id,
        requested_at
    from mdf_requests
    union all
    select
        partner_id,
        paid_at
    from mdf_requests
    where paid_at is not null
    union all
    select
        partner_id,
        opened_at
    from support_cases
    union all
    select
        partner_id,
        closed_at
    from support_cases
    where closed_at is not null
    union all
    select
        partner_id,
        submitted_at
    from survey_responses

),

keyed as (

    {{ with_partner_key('fact_dates') }}

),

final as (

    select
        partner_key as partner_id,
        activity_at
    from keyed

)

select * from final
