-- RESTRICTED (schema restricted, never published to BI): one row per answer with its question,
-- response and survey. The only model that keeps free text (question_text, text_value) and
-- respondent contact ids; contact_id is null whenever the survey is anonymous.

with

answers as (

    select * from {{ ref('stg_survey__answers') }}

),

questions as (

    select * from {{ ref('stg_survey__questions') }}

),

responses as (

    select * from {{ ref('stg_survey__responses') }}

),

surveys as (

    select * from {{ ref('stg_survey__surveys') }}

),

joined as (

    select
        answers.response_id,
        answers.question_id,
        questions.survey_id,
        responses.wave_id,
        surveys.kind as survey_kind,
        surveys.is_anonymous,
        responses.partner_id,
        case when surveys.is_anonymous then null else responses.contact_id end as contact_id,
        responses.invitation_id,
        responses.submitted_at,
        questions.question_type,
        questions.pillar,
        questions.touchpoint,
        questions.question_text,
        answers.numeric_value,
        answers.text_value,
        answers.is_orphan
    from answers
    left join questions
        on answers.question_id = questions.question_id
    left join responses
        on answers.response_id = responses.response_id
    left join surveys
        on responses.wave_id = surveys.wave_id

)

select * from joined
