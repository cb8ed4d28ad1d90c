with

source as (

    select * from {{ source('prm', 'support_cases') }}

),

latest as (

    {{ keep_latest_version('source', ['case_id'], 'updated_at') }}

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

renamed as (

    select
        cast(latest.case_id as {{ dbt.type_string() }}) as case_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(latest.closed_at as {{ dbt.type_timestamp() }}) as closed_at,
        cast(latest.priority as {{ dbt.type_string() }}) as priority,
        cast(latest.category as {{ dbt.type_string() }}) as category,
        cast(latest.status as {{ dbt.type_string() }}) as status,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner
    from renamed
    left join known_partners on renamed.partner_id = known_partners.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_partner) as is_orphan
    from flagged

)

select * from final
