-- Customer accounts without soft deletes.

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

filtered as (

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
    where not is_deleted

)

select * from filtered
