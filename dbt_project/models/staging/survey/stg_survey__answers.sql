with

source as (

    select * from {{ source('survey', 'answers') }}

),

latest as (

    {{ keep_latest_version('source', ['response_id', 'question_id']) }}

),

known_responses as (

    select distinct response_id as known_id
    from {{ source('survey', 'responses') }}
    where response_id is not null

),

known_questions as (

    select distinct question_id as known_id
    from {{ source('survey', 'questions') }}
    where question_id is not null

),

renamed as (

    select
        cast(latest.response_id as {{ dbt.type_string() }}) as response_id,
        cast(latest.question_id as {{ dbt.type_string() }}) as question_id,
        cast(latest.numeric_value as {{ type_double() }}) as numeric_value,
        cast(latest.text_value as {{ dbt.type_string() }}) as text_value,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.response_id is not null and known_responses.known_id is null) as is_orphan_response,
        (renamed.question_id is not null and known_questions.known_id is null) as is_orphan_question
    from renamed
    left join known_responses on renamed.response_id = known_responses.known_id
    left join known_questions on renamed.question_id = known_questions.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_response or flagged.is_orphan_question) as is_orphan
    from flagged

)

select * from final
