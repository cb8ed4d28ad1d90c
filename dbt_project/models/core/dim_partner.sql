-- The partner dimension: current attributes of every partner (latest PRM version), plus the
-- unknown member (partner_id 'UNKNOWN', segment 'unknown') that facts with a partner_id unknown
-- to PRM are attributed to. Segment attributes of a period come from dim_partner_history.

with

partners as (

    select * from {{ ref('stg_prm__partners') }}

),

known_partners as (

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
        false as is_unknown_member,
        updated_at
    from partners

),

unknown_member as (

    select
        {{ unknown_partner_id() }} as partner_id,
        cast('Unknown partner (facts whose partner_id PRM does not know)' as {{ dbt.type_string() }})
            as partner_name,
        {{ unknown_segment() }} as partner_type,
        {{ unknown_segment() }} as tier,
        {{ unknown_segment() }} as region,
        {{ unknown_segment() }} as country,
        cast(null as {{ dbt.type_string() }}) as specializations,
        {{ unknown_segment() }} as status,
        cast(null as {{ dbt.type_timestamp() }}) as applied_at,
        cast(null as {{ dbt.type_timestamp() }}) as joined_at,
        cast(null as {{ dbt.type_timestamp() }}) as onboarded_at,
        cast(null as {{ dbt.type_timestamp() }}) as terminated_at,
        cast(null as {{ dbt.type_string() }}) as parent_partner_id,
        false as is_active,
        false as is_terminated,
        false as is_orphan_parent_partner,
        true as is_unknown_member,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at

),

final as (

    select * from known_partners
    union all
    select * from unknown_member

)

select * from final
