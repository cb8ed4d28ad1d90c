-- The real partner-months (not the unknown member) of the 12 closed months ending with the last
-- closed month [L - 11, L], with the attributes valid at each month end (SCD2: partner_type,
-- tier, region from fct_partner_month, specializations from dim_partner_history), the month's
-- attributed revenue, and is_active_at_end: the partner is active at the end of L (a row in L,
-- not after termination, not terminated by then). Months after termination are kept (late won
-- credits stay in the revenue). Shared by ecosystem_coverage and ecosystem_concentration.

{%- set last_month = last_closed_month() %}

with

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

history as (

    select * from {{ ref('dim_partner_history') }}

),

window_months as (

    select *
    from partner_months
    where
        not is_unknown_member
        and month_start >= {{ add_months(last_month, -11) }}
        and month_start <= {{ last_month }}

),

final as (

    select
        window_months.partner_id,
        window_months.month_start,
        window_months.partner_type,
        window_months.tier,
        window_months.region,
        history.specializations,
        cast(window_months.attributed_revenue_usd as {{ type_double() }}) as attributed_revenue_usd,
        (
            window_months.month_start = {{ last_month }}
            and not window_months.is_after_termination
            and (
                partners.terminated_at is null
                or partners.terminated_at >= cast({{ add_months(last_month, 1) }} as {{ dbt.type_timestamp() }})
            )
        ) as is_active_at_end
    from window_months
    left join partners
        on window_months.partner_id = partners.partner_id
    left join history
        on {{ partner_version_at('history', 'window_months.partner_id', 'cast(window_months.month_end as ' ~ dbt.type_timestamp() ~ ')') }}

)

select * from final
