-- Partner NPS per survey wave, from the shared per-response NPS (int_survey_nps_responses): one
-- row per partner per wave with NPS respondents, promoters, passives, detractors and the NPS.
-- The health score's satisfaction component reads it; eligibility (k respondents) is decided by
-- the consumer.

with

responses as (

    select * from {{ ref('int_survey_nps_responses') }}

),

final as (

    select
        partner_id,
        wave_id,
        max(survey_id) as survey_id,
        max(survey_kind) as survey_kind,
        max(case when is_anonymous then 1 else 0 end) = 1 as is_anonymous,
        max(wave_closed_at) as wave_closed_at,
        count(*) as respondents,
        sum(case when nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_category = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_category = 'detractor' then 1 else 0 end) as detractors,
        {{ nps_from_counts(
            "sum(case when nps_category = 'promoter' then 1 else 0 end)",
            "sum(case when nps_category = 'detractor' then 1 else 0 end)",
            'count(*)'
        ) }} as nps
    from responses
    where partner_id is not null
    group by partner_id, wave_id

)

select * from final
