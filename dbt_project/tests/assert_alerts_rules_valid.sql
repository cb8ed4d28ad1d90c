-- Seed alert_rules: the rules with a threshold have a positive one (hours of the registration
-- approval SLA, days of the certification look-ahead, NPS points of the pulse drop).

with

alert_rules as (

    select * from {{ ref('alert_rules') }}

)

select
    rule,
    threshold
from alert_rules
where
    rule in ('registration_sla_breached', 'certification_expiring', 'pulse_detractor_or_drop')
    and (threshold is null or threshold <= 0)
