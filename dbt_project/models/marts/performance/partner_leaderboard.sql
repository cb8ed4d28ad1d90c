-- Partner leaderboard (DESIGN 3 "Partner Performance"): per quarter, the top partners overall,
-- per region and per partner_type, ranked by gamification points. Points = sum over the actions
-- of seed performance_gamification_points of (quantity in the quarter x points per unit), from
-- the quarter rows of partner_performance; revenue actions count per 10,000 USD. Ties on points
-- are broken by attributed revenue, then partner_id, so a board always has a deterministic
-- top leaderboard_top_n (seed performance_settings). Only partners with points in the quarter
-- take part (a board of zeros ranks nobody); the current quarter is provisional.

with

performance as (

    select * from {{ ref('partner_performance') }}

),

points_per_action as (

    select * from {{ ref('performance_gamification_points') }}

),

settings as (

    select * from {{ ref('performance_settings') }}

),

quarters as (

    select *
    from performance
    where period_grain = 'quarter'

),

action_quantities as (

    select
        partner_id,
        period_start,
        'won_deal' as action_name,
        cast(won_deals as {{ type_double() }}) as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'sourced_revenue' as action_name,
        cast(sourced_revenue_usd as {{ type_double() }}) / 10000.0 as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'influenced_revenue' as action_name,
        cast(influenced_revenue_usd as {{ type_double() }}) / 10000.0 as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'new_customer' as action_name,
        cast(new_customers as {{ type_double() }}) as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'registration_approved' as action_name,
        cast(registrations_approved as {{ type_double() }}) as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'registration_converted' as action_name,
        cast(registrations_converted as {{ type_double() }}) as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'co_sell' as action_name,
        cast(co_sell_count as {{ type_double() }}) as quantity
    from quarters
    union all
    select
        partner_id,
        period_start,
        'revenue_target_met' as action_name,
        case when revenue_attainment >= 1 then 1.0 else 0.0 end as quantity
    from quarters

),

partner_points as (

    select
        action_quantities.partner_id,
        action_quantities.period_start,
        sum(action_quantities.quantity * points_per_action.points) as points
    from action_quantities
    inner join points_per_action
        on action_quantities.action_name = points_per_action.action_name
    group by action_quantities.partner_id, action_quantities.period_start

),

scored as (

    select
        quarters.partner_id,
        quarters.period_start,
        quarters.partner_name,
        quarters.partner_type,
        quarters.tier,
        quarters.region,
        quarters.is_provisional,
        quarters.attributed_revenue_usd,
        quarters.won_deals,
        quarters.new_customers,
        quarters.revenue_attainment,
        coalesce(partner_points.points, 0) as points
    from quarters
    left join partner_points
        on
            quarters.partner_id = partner_points.partner_id
            and quarters.period_start = partner_points.period_start

),

boards as (

    select
        scored.*,
        'overall' as board_type,
        'all' as board_value
    from scored
    where scored.points > 0
    union all
    select
        scored.*,
        'region' as board_type,
        scored.region as board_value
    from scored
    where scored.points > 0
    union all
    select
        scored.*,
        'partner_type' as board_type,
        scored.partner_type as board_value
    from scored
    where scored.points > 0

),

ranked as (

    select
        boards.*,
        row_number() over (
            partition by boards.period_start, boards.board_type, boards.board_value
            order by boards.points desc, boards.attributed_revenue_usd desc, boards.partner_id asc
        ) as leaderboard_rank,
        count(*) over (
            partition by boards.period_start, boards.board_type, boards.board_value
        ) as board_partners
    from boards

),

final as (

    select
        ranked.period_start,
        cast(ranked.board_type as {{ dbt.type_string() }}) as board_type,
        cast(ranked.board_value as {{ dbt.type_string() }}) as board_value,
        cast(ranked.leaderboard_rank as {{ dbt.type_bigint() }}) as leaderboard_rank,
        ranked.partner_id,
        ranked.partner_name,
        ranked.partner_type,
        ranked.tier,
        ranked.region,
        cast(round(ranked.points, 1) as {{ type_double() }}) as points,
        ranked.attributed_revenue_usd,
        ranked.won_deals,
        ranked.new_customers,
        ranked.revenue_attainment,
        cast(ranked.board_partners as {{ dbt.type_bigint() }}) as board_partners,
        ranked.is_provisional
    from ranked
    cross join settings
    where ranked.leaderboard_rank <= settings.leaderboard_top_n

)

select * from final
