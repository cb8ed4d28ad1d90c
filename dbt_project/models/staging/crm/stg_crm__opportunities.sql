with

source as (

    select * from {{ source('crm', 'opportunities') }}

),

latest as (

    {{ keep_latest_version('source', ['opportunity_id'], 'updated_at') }}

),

known_accounts as (

    select distinct account_id as known_id
    from {{ source('crm', 'accounts') }}
    where account_id is not null

),

renamed as (

    select
        cast(latest.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(latest.account_id as {{ dbt.type_string() }}) as account_id,
        cast(latest.stage as {{ dbt.type_string() }}) as stage,
        cast(latest.amount as {{ type_double() }}) as amount_local,
        cast(latest.currency as {{ dbt.type_string() }}) as currency,
        cast(latest.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(latest.close_date as date) as close_date,
        cast(latest.is_closed as {{ dbt.type_boolean() }}) as is_closed,
        cast(latest.is_won as {{ dbt.type_boolean() }}) as is_won,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(latest.is_deleted as {{ dbt.type_boolean() }}) as is_deleted,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.account_id is not null and known_accounts.known_id is null) as is_orphan_account
    from renamed
    left join known_accounts on renamed.account_id = known_accounts.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_account) as is_orphan
    from flagged

)

select * from final
