-- int_ecosystem_tier_fit_monthly repeats partner_tier_fit's rule for every closed month; for the
-- last closed month both must list the same partners with the same recommended tier.

with

monthly as (

    select * from {{ ref('int_ecosystem_tier_fit_monthly') }}
    where month_start = {{ last_closed_month() }}

),

tier_fit as (

    select * from {{ ref('partner_tier_fit') }}

)

select
    coalesce(monthly.partner_id, tier_fit.partner_id) as partner_id,
    monthly.recommended_tier as monthly_recommended_tier,
    tier_fit.recommended_tier as tier_fit_recommended_tier
from monthly
full outer join tier_fit
    on monthly.partner_id = tier_fit.partner_id
where
    monthly.partner_id is null
    or tier_fit.partner_id is null
    or monthly.recommended_tier != tier_fit.recommended_tier
