-- Partner tier fit (DESIGN 3 "Partner Performance"): one row per real partner active at the end
-- of the last closed month (closed-month rule: never judged on an open month; not terminated by
-- then, not the unknown member). The recommended tier is the highest tier of seed
-- tier_requirements (shared with the health score's enablement) whose every threshold it meets:
--   revenue_12m_usd: attributed revenue of the 12 months ending with the last closed month
--   certified_people: distinct contacts holding a valid certification at that month's end
--   registrations_12m: deal registrations submitted in those 12 months and approved by the end
--     of their submission month
-- (the lowest tier when none is met). tier_fit compares it with the tier held at that month's
-- end (SCD2): upgrade, downgrade or keep. A partner younger than the window is measured over the
-- months it has (months_observed < 12, has_full_window false); the tier-downgrade alert waits
-- for a full window.
-- next_tier and the gaps say what the partner lacks for the tier above the recommended one.

{%- set evaluation_month = last_closed_month() %}

with

monthly as (

    select * from {{ ref('int_partner_performance_monthly') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

tier_rules as (

    select * from {{ ref('tier_requirements') }}

),

current_month as (

    select monthly.*
    from monthly
    inner join partners
        on monthly.partner_id = partners.partner_id
    where
        monthly.month_start = {{ evaluation_month }}
        and not monthly.is_unknown_member
        and not monthly.is_after_termination
        and (
            partners.terminated_at is null
            or partners.terminated_at >= cast({{ add_months(evaluation_month, 1) }} as {{ dbt.type_timestamp() }})
        )

),

trailing_12m as (

    select
        partner_id,
        sum(attributed_revenue_usd) as revenue_12m_usd,
        sum(registrations_approved) as registrations_12m,
        count(*) as months_observed
    from monthly
    where
        month_start >= {{ add_months(evaluation_month, -11) }}
        and month_start <= {{ evaluation_month }}
    group by partner_id

),

measures as (

    select
        current_month.partner_id,
        current_month.month_start as evaluation_month,
        current_month.partner_type,
        current_month.region,
        current_month.tier as current_tier,
        coalesce(trailing_12m.revenue_12m_usd, 0) as revenue_12m_usd,
        current_month.certified_contacts as certified_people,
        coalesce(trailing_12m.registrations_12m, 0) as registrations_12m,
        coalesce(trailing_12m.months_observed, 0) as months_observed
    from current_month
    left join trailing_12m
        on current_month.partner_id = trailing_12m.partner_id

),

qualifying_tiers as (

    select
        measures.partner_id,
        max(tier_rules.tier_rank) as qualifying_tier_rank
    from measures
    inner join tier_rules
        on
            measures.revenue_12m_usd >= tier_rules.min_revenue_12m_usd
            and measures.certified_people >= tier_rules.min_certified_people
            and measures.registrations_12m >= tier_rules.min_registrations_12m
    group by measures.partner_id

),

lowest_tier as (

    select min(tier_rank) as lowest_tier_rank
    from tier_rules

),

recommended as (

    select
        measures.*,
        current_rule.tier_rank as current_tier_rank,
        coalesce(qualifying_tiers.qualifying_tier_rank, lowest_tier.lowest_tier_rank)
            as recommended_tier_rank
    from measures
    cross join lowest_tier
    left join qualifying_tiers
        on measures.partner_id = qualifying_tiers.partner_id
    left join tier_rules as current_rule
        on measures.current_tier = current_rule.tier

),

final as (

    select
        recommended.partner_id,
        recommended.evaluation_month,
        partners.partner_name,
        recommended.partner_type,
        recommended.region,
        recommended.current_tier,
        cast(recommended.current_tier_rank as {{ dbt.type_bigint() }}) as current_tier_rank,
        cast(recommended.revenue_12m_usd as {{ type_money() }}) as revenue_12m_usd,
        cast(recommended.certified_people as {{ dbt.type_bigint() }}) as certified_people,
        cast(recommended.registrations_12m as {{ dbt.type_bigint() }}) as registrations_12m,
        cast(recommended.months_observed as {{ dbt.type_bigint() }}) as months_observed,
        recommended.months_observed >= 12 as has_full_window,
        recommended_rule.tier as recommended_tier,
        cast(recommended.recommended_tier_rank as {{ dbt.type_bigint() }}) as recommended_tier_rank,
        cast(
            case
                when recommended.current_tier_rank is null then null
                when recommended.recommended_tier_rank > recommended.current_tier_rank then 'upgrade'
                when recommended.recommended_tier_rank < recommended.current_tier_rank then 'downgrade'
                else 'keep'
            end
            as {{ dbt.type_string() }}
        ) as tier_fit,
        cast(recommended.recommended_tier_rank - recommended.current_tier_rank as {{ dbt.type_bigint() }})
            as tier_steps,
        next_rule.tier as next_tier,
        cast(
            case
                when next_rule.min_revenue_12m_usd > recommended.revenue_12m_usd
                    then next_rule.min_revenue_12m_usd - recommended.revenue_12m_usd
                when next_rule.tier is not null then 0
            end
            as {{ type_money() }}
        ) as revenue_gap_to_next_tier_usd,
        cast(
            case
                when next_rule.min_certified_people > recommended.certified_people
                    then next_rule.min_certified_people - recommended.certified_people
                when next_rule.tier is not null then 0
            end
            as {{ dbt.type_bigint() }}
        ) as certified_people_gap_to_next_tier,
        cast(
            case
                when next_rule.min_registrations_12m > recommended.registrations_12m
                    then next_rule.min_registrations_12m - recommended.registrations_12m
                when next_rule.tier is not null then 0
            end
            as {{ dbt.type_bigint() }}
        ) as registrations_gap_to_next_tier
    from recommended
    inner join tier_rules as recommended_rule
        on recommended.recommended_tier_rank = recommended_rule.tier_rank
    left join tier_rules as next_rule
        on recommended.recommended_tier_rank + 1 = next_rule.tier_rank
    left join partners
        on recommended.partner_id = partners.partner_id

)

select * from final
