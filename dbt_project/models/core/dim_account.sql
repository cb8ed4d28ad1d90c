-- The customer account dimension (soft-deleted accounts removed).

with

accounts as (

    select * from {{ ref('int_accounts_filtered') }}

),

final as (

    select
        account_id,
        account_name,
        industry,
        region,
        country,
        employee_band,
        created_at,
        updated_at
    from accounts

)

select * from final
