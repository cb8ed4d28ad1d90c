with

source as (

    select * from {{ source('survey', 'surveys') }}

),

latest as (

    {{ keep_latest_version('source', ['survey_id', 'wave_id']) }}

),

renamed as (

    select
        cast(latest.survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(latest.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(latest.kind as {{ dbt.type_string() }}) as kind,
        cast(latest.is_anonymous as {{ dbt.type_boolean() }}) as is_anonymous,
        cast(latest.opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(latest.closed_at as {{ dbt.type_timestamp() }}) as closed_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

)

select * from renamed
