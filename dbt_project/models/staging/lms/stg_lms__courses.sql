with

source as (

    select * from {{ source('lms', 'courses') }}

),

latest as (

    {{ keep_latest_version('source', ['course_id']) }}

),

renamed as (

    select
        cast(latest.course_id as {{ dbt.type_string() }}) as course_id,
        cast(latest.title as {{ dbt.type_string() }}) as course_title,
        cast(latest.pillar as {{ dbt.type_string() }}) as pillar,
        cast(latest.is_certification as {{ dbt.type_boolean() }}) as is_certification,
        cast(latest.certification_valid_days as {{ dbt.type_bigint() }}) as certification_valid_days,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

)

select * from renamed
