-- Deal registrations converted to USD at the date of submitted_at (same FX rule as
-- int_opportunities_converted), with the decision latency and whether the registration
-- converted: approved and linked to an opportunity that is won (and not soft-deleted).

with

registrations as (

    select * from {{ ref('stg_prm__deal_registrations') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_windowed') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

dated as (

    select
        registrations.*,
        cast(registrations.submitted_at as date) as fx_transaction_date
    from registrations

),

with_rate as (

    {{ fx_rate_lookup('dated') }}

),

with_opportunity as (

    select
        with_rate.*,
        opportunities.is_won as opportunity_is_won,
        opportunities.close_date as opportunity_close_date
    from with_rate
    left join opportunities
        on with_rate.opportunity_id = opportunities.opportunity_id

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
        rejection_reason,
        estimated_amount_local,
        currency,
        fx_transaction_date,
        fx_rate_date,
        usd_per_unit,
        {{ fx_flags_and_amount('estimated_amount_local', 'estimated_amount_usd') }},
        status = 'approved' as is_approved,
        status = 'rejected' as is_rejected,
        (status = 'approved' and coalesce(opportunity_is_won, false)) as is_converted,
        opportunity_close_date,
        case
            when decided_at is not null and status in ('approved', 'rejected', 'expired')
                then {{ hours_between('submitted_at', 'decided_at') }}
        end as decision_hours,
        case
            when decided_at is not null and status = 'approved'
                then {{ hours_between('submitted_at', 'decided_at') }}
        end as approval_hours,
        is_orphan_partner,
        is_orphan_account,
        is_orphan_opportunity,
        is_orphan
    from with_opportunity

)

select * from final
