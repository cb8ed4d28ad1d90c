-- partner_journey_funnel: in every cohort and window the funnel shares never increase from one
-- stage to the next (onboarded >= enabled >= activated >= producing), and lie in 0..1; a cohort
-- too young for the window has null shares. Returns the offending rows.

with

funnel as (

    select * from {{ ref('partner_journey_funnel') }}

)

select *
from funnel
where
    share_enabled > share_onboarded
    or share_activated > share_enabled
    or share_producing > share_activated
    or share_onboarded > 1
    or share_producing < 0
    or (is_too_young and share_onboarded is not null)
    or (not is_too_young and share_onboarded is null)
