-- Revenue concentration of the partner ecosystem (DESIGN 3 "Ecosystem Assessment"): one row
-- per scope (overall / region / partner_type) x scope_value ('all' for overall). Revenue is the
-- attributed revenue (sourced + influenced credit) of real partners (the unknown member's
-- revenue is left out: it is no partner to depend on) over the 12 closed months ending with the
-- last closed month, each month under the region / partner_type valid at its end (a partner
-- that moved counts in both scopes with its revenue there). partners: partners with positive
-- revenue in the scope (zero and negative totals are left out of the shares). revenue_share = partner
-- revenue / scope revenue; hhi = sum(revenue_share^2) x 10000 (10000 = a single partner);
-- top10pct_share = revenue_share of the top ceil(top_share_fraction x partners) partners (at least one;
-- ties broken by partner_id); max_partner_share = the largest revenue_share; is_dependency_risk when
-- max_partner_share >= dependency_max_partner_share or hhi >= dependency_hhi (seed
-- ecosystem_settings).

with

partner_months as (

    select * from {{ ref('int_ecosystem_partner_months') }}

),

settings as (

    select * from {{ ref('ecosystem_settings') }}

),

scoped as (

    select
        'overall' as scope,
        'all' as scope_value,
        partner_id,
        attributed_revenue_usd
    from partner_months

    union all

    select
        'region' as scope,
        region as scope_value,
        partner_id,
        attributed_revenue_usd
    from partner_months

    union all

    select
        'partner_type' as scope,
        partner_type as scope_value,
        partner_id,
        attributed_revenue_usd
    from partner_months

),

partner_revenue as (

    select
        scope,
        scope_value,
        partner_id,
        sum(attributed_revenue_usd) as revenue_usd
    from scoped
    group by scope, scope_value, partner_id
    having sum(attributed_revenue_usd) > 0

),

shares as (

    select
        scope,
        scope_value,
        partner_id,
        revenue_usd,
        revenue_usd / sum(revenue_usd) over (partition by scope, scope_value) as revenue_share,
        row_number() over (partition by scope, scope_value order by revenue_usd desc, partner_id asc) as revenue_rank,
        count(*) over (partition by scope, scope_value) as partners
    from partner_revenue

),

scopes as (

    select
        shares.scope,
        shares.scope_value,
        max(shares.partners) as partners,
        sum(shares.revenue_usd) as revenue_usd,
        sum(shares.revenue_share * shares.revenue_share) * 10000 as hhi,
        max(shares.revenue_share) as max_partner_share,
        sum(
            case
                when shares.revenue_rank <= ceil(settings.top_share_fraction * shares.partners) then shares.revenue_share
                else 0
            end
        ) as top10pct_share,
        max(case when shares.revenue_rank <= ceil(settings.top_share_fraction * shares.partners) then shares.revenue_rank end)
            as top_partners
    from shares
    cross join settings
    group by shares.scope, shares.scope_value

),

all_scopes as (

    select distinct
        scope,
        scope_value
    from scoped
    where scope_value is not null

),

final as (

    select
        cast(all_scopes.scope as {{ dbt.type_string() }}) as scope,
        cast(all_scopes.scope_value as {{ dbt.type_string() }}) as scope_value,
        {{ last_closed_month() }} as month_start,
        cast(coalesce(scopes.partners, 0) as {{ dbt.type_bigint() }}) as partners,
        cast(coalesce(scopes.revenue_usd, 0) as {{ type_money() }}) as revenue_usd,
        cast(scopes.top_partners as {{ dbt.type_bigint() }}) as top_partners,
        cast(scopes.top10pct_share as {{ type_double() }}) as top10pct_share,
        cast(round(scopes.hhi, 1) as {{ type_double() }}) as hhi,
        cast(scopes.max_partner_share as {{ type_double() }}) as max_partner_share,
        coalesce(
            scopes.max_partner_share >= settings.dependency_max_partner_share
            or scopes.hhi >= settings.dependency_hhi,
            false
        ) as is_dependency_risk
    from all_scopes
    cross join settings
    left join scopes
        on
            all_scopes.scope = scopes.scope
            and all_scopes.scope_value = scopes.scope_value

)

select * from final
