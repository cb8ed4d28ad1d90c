-- The partner dimension: current attributes of every partner (latest PRM version).

with

partners as (

    select * from {{ ref('stg_prm__partners') }}

),

final as (

    select
        partner_id,
        partner_name,
        partner_type,
        tier,
        region,
        country,
        specializations,
        status,
        applied_at,
        joined_at,
        onboarded_at,
        terminated_at,
        parent_partner_id,
        status = 'active' as is_active,
        terminated_at is not null as is_terminated,
        is_orphan_parent_partner,
        updated_at
    from partners

)

select * from final
