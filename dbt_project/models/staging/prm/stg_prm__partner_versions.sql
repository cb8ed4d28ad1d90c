-- Every version of every partner (the PRM history: a drop carries a partner again when it
-- changed, with a later updated_at). One row per (partner_id, updated_at): the same version
-- delivered twice keeps the latest load. dim_partner_history turns them into validity windows.

with

source as (

    select * from {{ source('prm', 'partners') }}

),

versions as (

    {{ keep_latest_version('source', ['partner_id', 'updated_at']) }}

),

final as (

    select
        cast(partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(partner_type as {{ dbt.type_string() }}) as partner_type,
        cast(tier as {{ dbt.type_string() }}) as tier,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(specializations as {{ dbt.type_string() }}) as specializations,
        cast(status as {{ dbt.type_string() }}) as status,
        _load_id,
        _loaded_at,
        _source
    from versions

)

select * from final
