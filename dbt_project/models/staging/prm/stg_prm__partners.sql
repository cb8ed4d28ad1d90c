with

source as (

    select * from {{ source('prm', 'partners') }}

),

latest as (

    {{ keep_latest_version('source', ['partner_id'], 'updated_at') }}

),

known_parent_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.name as {{ dbt.type_string() }}) as partner_name,
        cast(latest.partner_type as {{ dbt.type_string() }}) as partner_type,
        cast(latest.tier as {{ dbt.type_string() }}) as tier,
        cast(latest.region as {{ dbt.type_string() }}) as region,
        cast(latest.country as {{ dbt.type_string() }}) as country,
        cast(latest.specializations as {{ dbt.type_string() }}) as specializations,
        cast(latest.status as {{ dbt.type_string() }}) as status,
        cast(latest.applied_at as {{ dbt.type_timestamp() }}) as applied_at,
        cast(latest.joined_at as {{ dbt.type_timestamp() }}) as joined_at,
        cast(latest.onboarded_at as {{ dbt.type_timestamp() }}) as onboarded_at,
        cast(latest.terminated_at as {{ dbt.type_timestamp() }}) as terminated_at,
        cast(latest.parent_partner_id as {{ dbt.type_string() }}) as parent_partner_id,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.parent_partner_id is not null and known_parent_partners.known_id is null) as is_orphan_parent_partner
    from renamed
    left join known_parent_partners on renamed.parent_partner_id = known_parent_partners.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_parent_partner) as is_orphan
    from flagged

)

select * from final
