with

source as (

    select * from {{ source('crm', 'fx_rates') }}

),

latest as (

    {{ keep_latest_version('source', ['currency', 'rate_date']) }}

),

renamed as (

    select
        cast(latest.currency as {{ dbt.type_string() }}) as currency,
        cast(latest.rate_date as date) as rate_date,
        cast(latest.usd_per_unit as {{ type_double() }}) as usd_per_unit,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

)

select * from renamed
