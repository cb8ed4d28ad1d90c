-- One row per opportunity x partner with the partner's primary role:
-- sourced > influenced = co_sell > fulfillment. influenced and co_sell rank equal for credit
-- (both are influencers); when a partner has both, the label is 'influenced'.
-- credit_role: sourcing | influencing | none (fulfillment earns no credit).

with

opportunity_partners as (

    select * from {{ ref('stg_crm__opportunity_partners') }}

),

ranked as (

    select
        opportunity_id,
        partner_id,
        role,
        created_at,
        is_orphan_opportunity,
        is_orphan_partner,
        case role
            when 'sourced' then 1
            when 'influenced' then 2
            when 'co_sell' then 3
            when 'fulfillment' then 4
        end as role_rank
    from opportunity_partners

),

resolved as (

    select
        opportunity_id,
        partner_id,
        min(role_rank) as primary_role_rank,
        max(case when role = 'sourced' then 1 else 0 end) as n_sourced,
        max(case when role = 'influenced' then 1 else 0 end) as n_influenced,
        max(case when role = 'co_sell' then 1 else 0 end) as n_co_sell,
        max(case when role = 'fulfillment' then 1 else 0 end) as n_fulfillment,
        min(created_at) as first_linked_at,
        max(case when is_orphan_opportunity then 1 else 0 end) as n_orphan_opportunity,
        max(case when is_orphan_partner then 1 else 0 end) as n_orphan_partner
    from ranked
    group by opportunity_id, partner_id

),

final as (

    select
        opportunity_id,
        partner_id,
        case primary_role_rank
            when 1 then 'sourced'
            when 2 then 'influenced'
            when 3 then 'co_sell'
            else 'fulfillment'
        end as role,
        case
            when primary_role_rank = 1 then 'sourcing'
            when primary_role_rank in (2, 3) then 'influencing'
            else 'none'
        end as credit_role,
        n_sourced = 1 as has_sourced_role,
        n_influenced = 1 as has_influenced_role,
        n_co_sell = 1 as has_co_sell_role,
        n_fulfillment = 1 as has_fulfillment_role,
        first_linked_at,
        n_orphan_opportunity = 1 as is_orphan_opportunity,
        n_orphan_partner = 1 as is_orphan_partner
    from resolved

)

select * from final
