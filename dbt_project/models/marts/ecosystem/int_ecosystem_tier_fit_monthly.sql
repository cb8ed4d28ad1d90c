-- partner_tier_fit's rule for every closed month (partner_tier_fit evaluates only the last
-- closed month): for each real partner active at the end of closed month M, the highest tier
-- of seed tier_requirements whose every threshold it meets (attributed revenue and approved
-- registrations of the 12 months ending with M, certified people at its end; the lowest tier
-- when none is met) vs the tier held at M's end (SCD2). Same seed, same measures; the test
-- assert_ecosystem_tier_fit_matches_partner_tier_fit checks the last closed month agrees.

with

windowed as (

    select * from {{ ref('int_ecosystem_partner_trailing') }}

),

tier_rules as (

    select * from {{ ref('tier_requirements') }}

),

active as (

    select *
    from windowed
    where is_active_at_end

),

qualifying as (

    select
        active.partner_id,
        active.month_start,
        max(tier_rules.tier_rank) as qualifying_tier_rank
    from active
    inner join tier_rules
        on
            active.revenue_12m_usd >= tier_rules.min_revenue_12m_usd
            and active.certified_people >= tier_rules.min_certified_people
            and active.registrations_approved_12m >= tier_rules.min_registrations_12m
    group by active.partner_id, active.month_start

),

lowest_tier as (

    select min(tier_rank) as lowest_tier_rank
    from tier_rules

),

final as (

    select
        active.partner_id,
        active.month_start,
        active.partner_type,
        active.region,
        active.tier as current_tier,
        current_rule.tier_rank as current_tier_rank,
        recommended_rule.tier as recommended_tier,
        recommended_rule.tier_rank as recommended_tier_rank,
        current_rule.tier_rank is not null and recommended_rule.tier_rank != current_rule.tier_rank
            as is_wrong_tier
    from active
    cross join lowest_tier
    left join qualifying
        on
            active.partner_id = qualifying.partner_id
            and active.month_start = qualifying.month_start
    left join tier_rules as current_rule
        on active.tier = current_rule.tier
    inner join tier_rules as recommended_rule
        on coalesce(qualifying.qualifying_tier_rank, lowest_tier.lowest_tier_rank) = recommended_rule.tier_rank

)

select * from final
