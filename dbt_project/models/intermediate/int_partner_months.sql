{{ config(tags=['partitioned_monthly']) }}

-- The partner-month spine of fct_partner_month: one row per partner per month it exists in,
-- with the segment attributes as of the month (the dim_partner_history version valid at the
-- month's end instant E; for the open month the end of the as_of day) and the time flags every
-- monthly model shares. Rebuilt with the run's vars (tag partitioned_monthly), since the
-- as_of_date decides the open month. The view covers every month whatever min_date/max_date say
-- (a view outlives the run that created it; a build range baked in would hide months from
-- later readers): the incremental fct_partner_month keeps the months it builds.
-- A partner exists from its joined month (or its first activity, if earlier or joined_at is
-- missing) to the as_of month, or to its termination month - extended to the last month with
-- an activity after termination (late won credits, cases closed later...), those months flagged
-- is_after_termination, so nothing falls out of a sum. Facts whose partner_id PRM does not know
-- belong to the unknown member 'UNKNOWN', which exists from its first such fact.

{%- set as_of_month = month_start(as_of_date()) %}

with

partners as (

    select * from {{ ref('dim_partner') }}

),

partner_history as (

    select * from {{ ref('dim_partner_history') }}

),

activity_dates as (

    select * from {{ ref('int_partner_activity_dates') }}

),

month_offsets as (

    {{ integers(1200) }}

),

activity_spans as (

    select
        partner_id,
        min(activity_at) as first_activity_at,
        max(activity_at) as last_activity_at
    from activity_dates
    where activity_at < {{ as_of_cutoff() }}
    group by partner_id

),

partner_windows as (

    select
        partners.partner_id,
        partners.is_unknown_member,
        partners.terminated_at,
        case
            when partners.terminated_at is not null then {{ month_start('partners.terminated_at') }}
        end as termination_month,
        {{ month_start(
            'least(coalesce(partners.joined_at, activity_spans.first_activity_at),'
            ~ ' coalesce(activity_spans.first_activity_at, partners.joined_at))'
        ) }} as first_month,
        case
            when partners.terminated_at is null then {{ as_of_month }}
            else least(
                    {{ as_of_month }},
                    greatest(
                        {{ month_start('partners.terminated_at') }},
                        coalesce(
                            {{ month_start('activity_spans.last_activity_at') }},
                            {{ month_start('partners.terminated_at') }}
                        )
                    )
                )
        end as last_month
    from partners
    left join activity_spans
        on partners.partner_id = activity_spans.partner_id

),

month_bounds as (

    select min(first_month) as min_month
    from partner_windows

),

months as (

    select {{ add_months('month_bounds.min_month', 'month_offsets.n') }} as month_start
    from month_offsets
    cross join month_bounds
    where
        month_bounds.min_month is not null
        and {{ add_months('month_bounds.min_month', 'month_offsets.n') }} <= {{ as_of_month }}

),

spine as (

    select
        partner_windows.partner_id,
        partner_windows.is_unknown_member,
        months.month_start,
        {{ add_months('months.month_start', 1) }} as month_end,
        cast({{ dbt.date_trunc('quarter', 'months.month_start') }} as date) as quarter_start,
        not{{ month_is_closed('months.month_start') }} as is_provisional,
        coalesce(months.month_start > partner_windows.termination_month, false)
            as is_after_termination,
        coalesce(months.month_start = partner_windows.termination_month, false)
            as is_termination_month,
        {{ month_elapsed_share('months.month_start') }} as month_elapsed_share,
        least(
            cast({{ add_months('months.month_start', 1) }} as {{ dbt.type_timestamp() }}),
            {{ as_of_cutoff() }}
        ) as state_at
    from partner_windows
    inner join months
        on
            partner_windows.first_month <= months.month_start
            and partner_windows.last_month >= months.month_start

),

final as (

    select
        spine.partner_id,
        spine.month_start,
        spine.month_end,
        spine.quarter_start,
        partner_history.partner_type,
        partner_history.tier,
        partner_history.region,
        partner_history.status as partner_status,
        spine.is_provisional,
        spine.is_unknown_member,
        spine.is_after_termination,
        spine.is_termination_month,
        spine.month_elapsed_share,
        spine.state_at
    from spine
    inner join partner_history
        on {{ partner_version_at('partner_history', 'spine.partner_id', 'spine.state_at') }}

)

select * from final
