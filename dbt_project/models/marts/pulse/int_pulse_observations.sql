-- One row per response per metric observation of the reported waves (submitted up to the as_of
-- day), the input of every pulse aggregate. The model itself drops answers off their question's
-- scale, whatever upstream did:
--   nps          the response's NPS answer from the shared definition int_survey_nps_responses
--                (macros/nps.sql: questions typed nps, whole numbers 0-10, one per response),
--                re-checked here with is_valid_nps_answer; value = the answer 0-10.
--   csat_mean    each answer to a question typed csat on the whole-number 1-5 scale; value = it.
--   csat_top2    the same answers; value = 100 when the answer >= csat_top_box_min (4), else 0.
--   pillar_<p>   per response and lifecycle pillar tag p of likert questions (whole numbers 1-5):
--                the mean of the response's answers to them rescaled 0-100, 25 * (answer - 1).
-- Likert and CSAT questions never count toward NPS; text answers are never read.

with

nps_responses as (

    select * from {{ ref('int_survey_nps_responses') }}

),

answers as (

    select * from {{ ref('fct_survey_answer') }}

),

waves as (

    select * from {{ ref('int_pulse_waves') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

known_partners as (

    select partner_id
    from partners
    where not is_unknown_member

),

nps_observations as (

    select
        nps_responses.response_id,
        nps_responses.wave_id,
        nps_responses.partner_id,
        'nps' as metric,
        cast(nps_responses.nps_answer as {{ type_double() }}) as observed_value,
        {{ nps_category('nps_responses.nps_answer') }} as nps_category
    from nps_responses
    where
        {{ is_valid_nps_answer('nps_responses.nps_answer') }}
        and nps_responses.submitted_at < {{ as_of_cutoff() }}

),

scale_answers as (

    select
        response_id,
        wave_id,
        partner_id,
        question_type,
        lower(trim(pillar)) as pillar,
        numeric_value
    from answers
    where
        question_type in ('csat', 'likert')
        and numeric_value >= 1
        and numeric_value <= 5
        and numeric_value = round(numeric_value, 0)
        and submitted_at < {{ as_of_cutoff() }}

),

csat_observations as (

    select
        scale_answers.response_id,
        scale_answers.wave_id,
        scale_answers.partner_id,
        'csat_mean' as metric,
        scale_answers.numeric_value as observed_value,
        cast(null as {{ dbt.type_string() }}) as nps_category
    from scale_answers
    where scale_answers.question_type = 'csat'

    union all

    select
        scale_answers.response_id,
        scale_answers.wave_id,
        scale_answers.partner_id,
        'csat_top2' as metric,
        case
            when scale_answers.numeric_value >= parameters.csat_top_box_min then 100.0 else 0.0
        end as observed_value,
        cast(null as {{ dbt.type_string() }}) as nps_category
    from scale_answers
    cross join parameters
    where scale_answers.question_type = 'csat'

),

pillar_observations as (

    select
        response_id,
        max(wave_id) as wave_id,
        max(partner_id) as partner_id,
        'pillar_' || pillar as metric,
        avg(25.0 * (numeric_value - 1)) as observed_value,
        cast(null as {{ dbt.type_string() }}) as nps_category
    from scale_answers
    where
        question_type = 'likert'
        and pillar is not null
        and pillar <> ''
    group by response_id, pillar

),

observations as (

    select * from nps_observations
    union all
    select * from csat_observations
    union all
    select * from pillar_observations

),

final as (

    select
        observations.response_id,
        observations.wave_id,
        {{ partner_key('known_partners.partner_id') }} as partner_id,
        cast(observations.metric as {{ dbt.type_string() }}) as metric,
        cast(observations.observed_value as {{ type_double() }}) as observed_value,
        cast(observations.nps_category as {{ dbt.type_string() }}) as nps_category
    from observations
    inner join waves
        on observations.wave_id = waves.wave_id
    left join known_partners
        on observations.partner_id = known_partners.partner_id

)

select * from final
