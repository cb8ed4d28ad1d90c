-- Partner attribution (DESIGN 3 "Attribution"): one row per partner per opportunity with the
-- partner's primary role and its credit under the model chosen in seed attribution_model.
--   sourced_weighted: sourcing partners share 60 %, influencers (influenced, co_sell) share
--                     40 % evenly; no influencer -> sourcing 100 %; no sourcing -> influencers 100 %
--   sourced_only:     sourcing partners share 100 %; no sourcing partner -> no credit
--   even_split:       every crediting (sourcing or influencing) partner gets the same share
-- Fulfillment partners earn nothing. Several sourcing partners split the sourcing share evenly.
-- Credits are rounded to cents; the remainder goes to the largest share (ties: lowest
-- partner_id), so the credits of an opportunity sum to 0 or exactly amount_usd.
-- Rows exist for open and lost opportunities too (pipeline uses the same credited amounts).

with

roles as (

    select * from {{ ref('int_opportunity_partner_roles_resolved') }}

),

opportunities as (

    select * from {{ ref('int_opportunities_converted') }}

),

attribution_config as (

    select attribution_model from {{ ref('attribution_model') }}

),

joined as (

    select
        roles.opportunity_id,
        roles.partner_id,
        roles.role,
        roles.credit_role,
        roles.is_orphan_partner,
        opportunities.account_id,
        opportunities.stage,
        opportunities.created_at,
        opportunities.close_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.currency,
        opportunities.amount_local,
        opportunities.amount_usd,
        opportunities.fx_is_stale
    from roles
    inner join opportunities
        on roles.opportunity_id = opportunities.opportunity_id

),

role_counts as (

    select
        opportunity_id,
        sum(case when credit_role = 'sourcing' then 1 else 0 end) as n_sourcing,
        sum(case when credit_role = 'influencing' then 1 else 0 end) as n_influencing
    from joined
    group by opportunity_id

),

shares as (

    select
        joined.*,
        attribution_config.attribution_model,
        case
            -- sourced_only: the sourcing partners share 100 %; no sourcing partner -> no credit
            when attribution_config.attribution_model = 'sourced_only' and joined.credit_role = 'sourcing'
                then 1.0 / role_counts.n_sourcing
            when attribution_config.attribution_model = 'sourced_only'
                then 0.0
            -- even_split: every crediting partner the same share
            when
                attribution_config.attribution_model = 'even_split'
                and joined.credit_role in ('sourcing', 'influencing')
                then 1.0 / (role_counts.n_sourcing + role_counts.n_influencing)
            when attribution_config.attribution_model = 'even_split'
                then 0.0
            -- sourced_weighted (default): 60 % sourcing / 40 % influencers, or 100 % to whichever
            -- group is present
            when joined.credit_role = 'sourcing' and role_counts.n_influencing > 0
                then 0.6 / role_counts.n_sourcing
            when joined.credit_role = 'sourcing'
                then 1.0 / role_counts.n_sourcing
            when joined.credit_role = 'influencing' and role_counts.n_sourcing > 0
                then 0.4 / role_counts.n_influencing
            when joined.credit_role = 'influencing'
                then 1.0 / role_counts.n_influencing
            else 0.0
        end as credit_share
    from joined
    inner join role_counts
        on joined.opportunity_id = role_counts.opportunity_id
    cross join attribution_config

),

rounded as (

    select
        shares.*,
        cast(round(shares.amount_usd * shares.credit_share, 2) as {{ type_money() }})
            as rounded_credit_usd,
        row_number() over (
            partition by shares.opportunity_id
            order by shares.credit_share desc, shares.partner_id asc
        ) as share_rank
    from shares

),

opportunity_totals as (

    select
        opportunity_id,
        sum(rounded_credit_usd) as rounded_total_usd,
        max(credit_share) as max_credit_share
    from rounded
    group by opportunity_id

),

final as (

    select
        rounded.opportunity_id,
        rounded.partner_id,
        rounded.role,
        rounded.credit_role,
        rounded.attribution_model,
        cast(rounded.credit_share as {{ type_double() }}) as credit_share,
        cast(
            rounded.rounded_credit_usd
            + case
                when rounded.share_rank = 1 and opportunity_totals.max_credit_share > 0
                    then rounded.amount_usd - opportunity_totals.rounded_total_usd
                else 0
            end
            as {{ type_money() }}
        ) as credit_amount_usd,
        rounded.amount_usd,
        rounded.amount_local,
        rounded.currency,
        rounded.fx_is_stale,
        rounded.account_id,
        rounded.stage,
        rounded.created_at,
        rounded.close_date,
        rounded.is_closed,
        rounded.is_won,
        rounded.is_orphan_partner
    from rounded
    inner join opportunity_totals
        on rounded.opportunity_id = opportunity_totals.opportunity_id

)

select * from final
