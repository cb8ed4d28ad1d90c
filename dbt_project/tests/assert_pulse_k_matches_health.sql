-- The health score's satisfaction component uses a partner's anonymous survey wave only with at
-- least "the pulse k" respondents (DESIGN 3): health_thresholds.survey_min_respondents must equal
-- pulse_settings.min_respondents, so the two marts apply the same anonymity threshold. Returns a
-- row when they differ (change both seeds together).

with

pulse_settings as (

    select * from {{ ref('pulse_settings') }}

),

health_thresholds as (

    select * from {{ ref('health_thresholds') }}

),

health_k as (

    select max({{ dbt.safe_cast('value', dbt.type_int()) }}) as survey_min_respondents
    from health_thresholds
    where parameter = 'survey_min_respondents'

),

compared as (

    select
        pulse_settings.min_respondents as pulse_k,
        health_k.survey_min_respondents as health_k
    from pulse_settings
    cross join health_k

)

select *
from compared
where not coalesce(pulse_k = health_k, false)
