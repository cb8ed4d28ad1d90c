{{ config(tags=['partitioned_monthly']) }}

-- The sales measures of fct_partner_month (opportunities and deal registrations) per row of the
-- spine int_partner_months, from facts keyed to the partner (unknown partner -> 'UNKNOWN'); null
-- where the partner had nothing (fct_partner_month turns sums into 0). Definitions: see
-- fct_partner_month.

with

partner_months as (

    select * from {{ ref('int_partner_months') }}

),

credits as (

    {{ with_partner_key(ref('fct_opportunity_partner_credit')) }}

),

registrations as (

    {{ with_partner_key(ref('fct_deal_registration')) }}

),

won_revenue as (

    select
        partner_key as partner_id,
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
        and close_date < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('close_date') }}

),

lost_deals as (

    select
        partner_key as partner_id,
        {{ month_start('close_date') }} as month_start,
        count(*) as lost_deals
    from credits
    where
        is_closed
        and not is_won
        and close_date < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('close_date') }}

),

pipeline_created as (

    select
        partner_key as partner_id,
        {{ month_start('created_at') }} as month_start,
        sum(credit_amount_usd) as pipeline_created_usd,
        count(*) as pipeline_created_deals
    from credits
    where created_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('created_at') }}

),

open_pipeline as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        sum(credits.credit_amount_usd) as open_pipeline_usd,
        count(*) as open_pipeline_deals
    from partner_months
    inner join credits
        on
            partner_months.partner_id = credits.partner_key
            and partner_months.state_at > credits.created_at
            and (
                not credits.is_closed
                or partner_months.state_at <= cast(credits.close_date as {{ dbt.type_timestamp() }})
            )
    group by partner_months.partner_id, partner_months.month_start

),

registrations_dated as (

    select
        registrations.*,
        {{ month_start('registrations.submitted_at') }} as submitted_month,
        {{ registration_status_at(
            'registrations', month_state_at(month_start('registrations.submitted_at'))
        ) }} as status_at_month_end,
        {{ registration_converted_at(
            'registrations', month_state_at(month_start('registrations.submitted_at'))
        ) }} as is_converted_at_month_end
    from registrations
    where registrations.submitted_at < {{ as_of_cutoff() }}

),

registrations_submitted as (

    select
        partner_key as partner_id,
        submitted_month as month_start,
        count(*) as registrations_submitted,
        sum(case when status_at_month_end = 'approved' then 1 else 0 end) as registrations_approved,
        sum(case when status_at_month_end = 'rejected' then 1 else 0 end) as registrations_rejected,
        sum(case when status_at_month_end = 'expired' then 1 else 0 end) as registrations_expired,
        sum(case when status_at_month_end = 'pending' then 1 else 0 end) as registrations_pending_eom,
        sum(case when is_converted_at_month_end then 1 else 0 end) as registrations_converted
    from registrations_dated
    group by partner_key, submitted_month

),

registration_approvals as (

    select
        partner_key as partner_id,
        {{ month_start('decided_at') }} as month_start,
        {{ percentile_cont('approval_hours', 0.5) }} as median_approval_hours
    from registrations
    where
        approval_hours is not null
        and decided_at < {{ as_of_cutoff() }}
    group by partner_key, {{ month_start('decided_at') }}

),

final as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        won_revenue.sourced_revenue_usd,
        won_revenue.influenced_revenue_usd,
        won_revenue.attributed_revenue_usd,
        won_revenue.won_deals,
        lost_deals.lost_deals,
        pipeline_created.pipeline_created_usd,
        pipeline_created.pipeline_created_deals,
        open_pipeline.open_pipeline_usd,
        open_pipeline.open_pipeline_deals,
        registrations_submitted.registrations_submitted,
        registrations_submitted.registrations_approved,
        registrations_submitted.registrations_rejected,
        registrations_submitted.registrations_expired,
        registrations_submitted.registrations_pending_eom,
        registrations_submitted.registrations_converted,
        registration_approvals.median_approval_hours
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

)

select * from final
