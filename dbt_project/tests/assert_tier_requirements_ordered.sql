-- Seed tier_requirements: each tier has its canonical rank (registered 1 < silver 2 <
-- gold 3 < platinum 4), all four tiers are present, and no threshold decreases from one tier to
-- a higher one (so qualifying for a tier implies qualifying for every lower tier).

with

tier_rules as (

    select * from {{ ref('tier_requirements') }}

),

canonical as (

    select
        'registered' as tier,
        1 as tier_rank
    union all
    select
        'silver' as tier,
        2 as tier_rank
    union all
    select
        'gold' as tier,
        3 as tier_rank
    union all
    select
        'platinum' as tier,
        4 as tier_rank

),

wrong_rank as (

    select
        canonical.tier,
        'rank differs from registered < silver < gold < platinum, or tier missing' as problem
    from canonical
    left join tier_rules
        on canonical.tier = tier_rules.tier
    where
        tier_rules.tier is null
        or tier_rules.tier_rank != canonical.tier_rank

),

decreasing as (

    select
        higher.tier,
        'a threshold is lower than for tier ' || lower_tier.tier as problem
    from tier_rules as higher
    inner join tier_rules as lower_tier
        on higher.tier_rank > lower_tier.tier_rank
    where
        higher.min_revenue_12m_usd < lower_tier.min_revenue_12m_usd
        or higher.min_certified_people < lower_tier.min_certified_people
        or higher.min_registrations_12m < lower_tier.min_registrations_12m

),

final as (

    select * from wrong_rank
    union all
    select * from decreasing

)

select * from final
