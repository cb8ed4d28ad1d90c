with

source as (

    select * from {{ source('survey', 'questions') }}

),

latest as (

    {{ keep_latest_version('source', ['question_id']) }}

),

known_surveies as (

    select distinct survey_id as known_id
    from {{ source('survey', 'surveys') }}
    where survey_id is not null

),

renamed as (

    select
        cast(latest.question_id as {{ dbt.type_string() }}) as question_id,
        cast(latest.survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(latest.text as {{ dbt.type_string() }}) as question_text,
        cast(latest.question_type as {{ dbt.type_string() }}) as question_type,
        cast(latest.pillar as {{ dbt.type_string() }}) as pillar,
        cast(latest.touchpoint as {{ dbt.type_string() }}) as touchpoint,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.survey_id is not null and known_surveies.known_id is null) as is_orphan_survey
    from renamed
    left join known_surveies on renamed.survey_id = known_surveies.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_survey) as is_orphan
    from flagged

)

select * from final
