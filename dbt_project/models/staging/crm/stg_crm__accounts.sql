with

source as (

    select * from {{ source('crm', 'accounts') }}

),

latest as (

    {{ keep_latest_version('source', ['account_id'], 'updated_at') }}

),

renamed as (

    select
        cast(latest.account_id as {{ dbt.type_string() }}) as account_id,
        cast(latest.name as {{ dbt.type_string() }}) as account_name,
        cast(latest.industry as {{ dbt.type_string() }}) as industry,
        cast(latest.region as {{ dbt.type_string() }}) as region,
        cast(latest.country as {{ dbt.type_string() }}) as country,
        cast(latest.employee_band as {{ dbt.type_string() }}) as employee_band,
        cast(latest.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(latest.is_deleted as {{ dbt.type_boolean() }}) as is_deleted,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

)

select * from renamed
