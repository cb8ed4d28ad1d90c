-- RESTRICTED (schema restricted, never published to BI): the Partner Pulse follow-up list (DESIGN
-- 3) - one row per answer to follow up, only from surveys whose is_anonymous is false:
--   nps_detractor  the response's NPS answer (shared definition int_survey_nps_responses) is a
--                  detractor (0-6 on the whole-number 0-10 scale);
--   low_csat       a CSAT answer on the whole-number 1-5 scale at or below followup_csat_max (2).
-- With the respondent contact and role (partner_contacts), the partner's current name, the
-- response's free-text comment, the age in days since submission at the as_of day, and
-- follow_up_status: null - there is no follow-up log source yet, and no partner manager in the
-- sources either.

with

answers as (

    select * from {{ ref('fct_survey_answer') }}

),

nps_responses as (

    select * from {{ ref('int_survey_nps_responses') }}

),

contacts as (

    select * from {{ ref('stg_prm__partner_contacts') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

identified_answers as (

    select *
    from answers
    where
        is_anonymous = false
        and submitted_at < {{ as_of_cutoff() }}

),

nps_questions as (

    select
        response_id,
        min(question_id) as question_id
    from identified_answers
    where
        question_type = 'nps'
        and {{ is_valid_nps_answer('numeric_value') }}
    group by response_id

),

detractors as (

    select
        nps_responses.response_id,
        nps_questions.question_id,
        'nps_detractor' as followup_reason
    from nps_responses
    inner join nps_questions
        on nps_responses.response_id = nps_questions.response_id
    where
        nps_responses.nps_category = 'detractor'
        and nps_responses.is_anonymous = false

),

low_csat as (

    select
        identified_answers.response_id,
        identified_answers.question_id,
        'low_csat' as followup_reason
    from identified_answers
    cross join parameters
    where
        identified_answers.question_type = 'csat'
        and identified_answers.numeric_value >= 1
        and identified_answers.numeric_value <= parameters.followup_csat_max
        and identified_answers.numeric_value = round(identified_answers.numeric_value, 0)

),

flagged as (

    select * from detractors
    union all
    select * from low_csat

),

comments as (

    select
        response_id,
        max(text_value) as response_comment
    from identified_answers
    where
        question_type = 'text'
        and text_value is not null
        and trim(text_value) <> ''
    group by response_id

),

final as (

    select
        flagged.response_id,
        flagged.question_id,
        cast(flagged.followup_reason as {{ dbt.type_string() }}) as followup_reason,
        identified_answers.wave_id,
        identified_answers.survey_kind,
        identified_answers.partner_id,
        partners.partner_name,
        identified_answers.contact_id,
        contacts.contact_role,
        identified_answers.submitted_at,
        cast(
            {{ dbt.datediff('cast(identified_answers.submitted_at as date)', as_of_date(), 'day') }}
            as {{ dbt.type_int() }}
        ) as age_days,
        identified_answers.question_type,
        identified_answers.touchpoint,
        identified_answers.question_text,
        identified_answers.numeric_value as answer_value,
        comments.response_comment,
        cast(null as {{ dbt.type_string() }}) as follow_up_status
    from flagged
    inner join identified_answers
        on
            flagged.response_id = identified_answers.response_id
            and flagged.question_id = identified_answers.question_id
    left join contacts
        on identified_answers.contact_id = contacts.contact_id
    left join partners
        on identified_answers.partner_id = partners.partner_id
    left join comments
        on flagged.response_id = comments.response_id

)

select * from final
