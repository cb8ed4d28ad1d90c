with

source as (

    select * from {{ source('prm', 'deal_registrations') }}

),

latest as (

    {{ keep_latest_version('source', ['registration_id'], 'updated_at') }}

),

known_partners as (

    select distinct partner_id as known_id
    from {{ source('prm', 'partners') }}
    where partner_id is not null

),

known_accounts as (

    select distinct account_id as known_id
    from {{ source('crm', 'accounts') }}
    where account_id is not null

),

known_opportunities as (

    select distinct opportunity_id as known_id
    from {{ source('crm', 'opportunities') }}
    where opportunity_id is not null

),

renamed as (

    select
        cast(latest.registration_id as {{ dbt.type_string() }}) as registration_id,
        cast(latest.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(latest.account_id as {{ dbt.type_string() }}) as account_id,
        cast(latest.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(latest.submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        cast(latest.decided_at as {{ dbt.type_timestamp() }}) as decided_at,
        cast(latest.status as {{ dbt.type_string() }}) as status,
        cast(latest.estimated_amount as {{ type_double() }}) as estimated_amount_local,
        cast(latest.currency as {{ dbt.type_string() }}) as currency,
        cast(latest.rejection_reason as {{ dbt.type_string() }}) as rejection_reason,
        cast(latest.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        latest._load_id,
        latest._loaded_at,
        latest._source
    from latest

),

flagged as (

    select
        renamed.*,
        (renamed.partner_id is not null and known_partners.known_id is null) as is_orphan_partner,
        (renamed.account_id is not null and known_accounts.known_id is null) as is_orphan_account,
        (renamed.opportunity_id is not null and known_opportunities.known_id is null) as is_orphan_opportunity
    from renamed
    left join known_partners on renamed.partner_id = known_partners.known_id
    left join known_accounts on renamed.account_id = known_accounts.known_id
    left join known_opportunities on renamed.opportunity_id = known_opportunities.known_id

),

final as (

    select
        flagged.*,
        (flagged.is_orphan_partner or flagged.is_orphan_account or flagged.is_orphan_opportunity) as is_orphan
    from flagged

)

select * from final
