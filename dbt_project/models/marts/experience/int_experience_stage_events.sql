-- First time each real partner (not the unknown member) reached the event-driven stages of the
-- journey: enabled (first certification issued), activated (first deal registration submitted),
-- producing (first won opportunity credited to it with a positive amount, at its close date).
-- Events after the as_of day are ignored so a run is reproducible.

with

certifications as (

    select * from {{ ref('fct_certification') }}

),

registrations as (

    select * from {{ ref('fct_deal_registration') }}

),

credits as (

    select * from {{ ref('fct_opportunity_partner_credit') }}

),

first_certification as (

    select
        partner_id,
        min(issued_at) as first_certified_at
    from certifications
    where issued_at < {{ as_of_cutoff() }}
    group by partner_id

),

first_registration as (

    select
        partner_id,
        min(submitted_at) as first_registration_at
    from registrations
    where submitted_at < {{ as_of_cutoff() }}
    group by partner_id

),

first_revenue as (

    select
        partner_id,
        cast(min(close_date) as {{ dbt.type_timestamp() }}) as first_revenue_at
    from credits
    where
        is_won
        and credit_amount_usd > 0
        and close_date < {{ as_of_cutoff() }}
    group by partner_id

),

partner_ids as (

    select partner_id from first_certification
    union
    select partner_id from first_registration
    union
    select partner_id from first_revenue

),

final as (

    select
        partner_ids.partner_id,
        first_certification.first_certified_at,
        first_registration.first_registration_at,
        first_revenue.first_revenue_at
    from partner_ids
    left join first_certification
        on partner_ids.partner_id = first_certification.partner_id
    left join first_registration
        on partner_ids.partner_id = first_registration.partner_id
    left join first_revenue
        on partner_ids.partner_id = first_revenue.partner_id

)

select * from final
