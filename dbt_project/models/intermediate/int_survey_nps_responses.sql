-- One row per survey response that answered an NPS question on its scale: the single source of
-- NPS for the pulse marts and the health score's satisfaction component (macros/nps.sql), so the
-- two can never disagree. Only questions typed `nps`; answers off the whole-number 0-10 scale
-- never count, whatever upstream did. A response answering several NPS questions of its survey
-- counts once, with the answer to the first (lowest question_id). No contact id, no free text.

with

answers as (

    select * from {{ ref('fct_survey_answer') }}

),

surveys as (

    select * from {{ ref('stg_survey__surveys') }}

),

nps_answers as (

    select
        response_id,
        question_id,
        wave_id,
        partner_id,
        submitted_at,
        numeric_value,
        row_number() over (partition by response_id order by question_id) as answer_order
    from answers
    where
        question_type = 'nps'
        and {{ is_valid_nps_answer('numeric_value') }}

),

final as (

    select
        nps_answers.response_id,
        nps_answers.wave_id,
        surveys.survey_id,
        surveys.kind as survey_kind,
        surveys.is_anonymous,
        nps_answers.partner_id,
        nps_answers.submitted_at,
        surveys.opened_at as wave_opened_at,
        surveys.closed_at as wave_closed_at,
        cast(nps_answers.numeric_value as {{ dbt.type_int() }}) as nps_answer,
        {{ nps_category('nps_answers.numeric_value') }} as nps_category
    from nps_answers
    inner join surveys
        on nps_answers.wave_id = surveys.wave_id
    where nps_answers.answer_order = 1

)

select * from final
