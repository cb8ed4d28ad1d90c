-- partner_performance: an attainment exists exactly when its target is positive (a missing or
-- zero target gives a null attainment, never 0 or infinity); MDF ROI exists exactly when MDF was
-- paid in the trailing window.

with

performance as (

    select * from {{ ref('partner_performance') }}

),

final as (

    select
        partner_id,
        period_grain,
        period_start
    from performance
    where
        (revenue_attainment is null) != (coalesce(target_revenue_usd, 0) <= 0)
        or (pipeline_attainment is null) != (coalesce(target_pipeline_usd, 0) <= 0)
        or (registrations_attainment is null) != (coalesce(target_registrations, 0) <= 0)
        or (certifications_attainment is null) != (coalesce(target_certifications, 0) <= 0)
        or (mdf_roi is null) != (mdf_paid_trailing_4q_usd <= 0)

)

select * from final
