-- One row per closed month M (an anchor) x real partner with a partner-month in [M - 11, M]:
-- the trailing-12-month measures of partner_tier_fit and the portfolio (attributed and
-- influenced revenue, registrations submitted and approved by the end of their submission
-- month, months observed), and the partner's state at the end of M (SCD2 attributes of its row
-- of M, certified contacts then, is_active_at_end: a row in M, not after termination, not
-- terminated by the end of M). Partners that left before M keep their revenue in the window
-- (concentration), with null attributes.

with

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

real_months as (

    select *
    from partner_months
    where not is_unknown_member

),

anchors as (

    select distinct month_start as anchor_month
    from real_months
    where {{ month_is_closed('month_start') }}

),

windowed as (

    select
        anchors.anchor_month,
        real_months.partner_id,
        sum(real_months.attributed_revenue_usd) as revenue_12m_usd,
        sum(real_months.influenced_revenue_usd) as influenced_revenue_12m_usd,
        sum(real_months.registrations_submitted) as registrations_12m,
        sum(real_months.registrations_approved) as registrations_approved_12m,
        count(*) as months_observed
    from anchors
    inner join real_months
        on
            anchors.anchor_month >= real_months.month_start
            and real_months.month_start >= {{ add_months('anchors.anchor_month', -11) }}
    group by anchors.anchor_month, real_months.partner_id

),

final as (

    select
        windowed.partner_id,
        windowed.anchor_month as month_start,
        at_month.partner_type,
        at_month.tier,
        at_month.region,
        cast(windowed.revenue_12m_usd as {{ type_double() }}) as revenue_12m_usd,
        cast(windowed.influenced_revenue_12m_usd as {{ type_double() }}) as influenced_revenue_12m_usd,
        windowed.registrations_12m,
        windowed.registrations_approved_12m,
        windowed.months_observed,
        coalesce(at_month.certified_contacts, 0) as certified_people,
        coalesce(
            at_month.partner_id is not null
            and not at_month.is_after_termination
            and (
                partners.terminated_at is null
                or partners.terminated_at >= cast({{ add_months('windowed.anchor_month', 1) }} as {{ dbt.type_timestamp() }})
            ),
            false
        ) as is_active_at_end
    from windowed
    left join real_months as at_month
        on
            windowed.partner_id = at_month.partner_id
            and windowed.anchor_month = at_month.month_start
    left join partners
        on windowed.partner_id = partners.partner_id

)

select * from final
