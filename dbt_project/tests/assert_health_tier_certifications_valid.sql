-- Seed health_tier_certifications: a requirement is empty or positive, and never lower than the
-- requirement of a lower-ranked tier.

with

tiers as (

    select * from {{ ref('health_tier_certifications') }}

),

violations as (

    select
        higher.tier,
        higher.required_certifications,
        lower_tier.tier as lower_tier,
        lower_tier.required_certifications as lower_required_certifications
    from tiers as higher
    left join tiers as lower_tier
        on
            higher.tier_rank > lower_tier.tier_rank
            and higher.required_certifications < lower_tier.required_certifications
    where
        higher.required_certifications <= 0
        or lower_tier.tier is not null
        or (higher.required_certifications is null and exists (
            select 1
            from tiers as lower_ranked
            where
                lower_ranked.tier_rank < higher.tier_rank
                and lower_ranked.required_certifications is not null
        ))

)

select * from violations
