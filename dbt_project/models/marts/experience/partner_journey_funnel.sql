-- Cohort funnel of the partner journey (DESIGN 3): one row per join quarter x partner_type (as
-- of joining, partner_journey.partner_type_at_join) x window (90, 180, 365 days). partners is
-- the cohort size (real partners with a joined_at); share_<stage> is the share of the cohort
-- that reached that stage AND every stage before it (onboarded -> enabled -> activated ->
-- producing) at most window_days calendar days after the join date - a funnel, so the shares
-- never increase from one stage to the next (tested). A stage dated before joining (out of
-- order) counts as reached. A cohort too young for the window - fewer than window_days days
-- between the cohort's end (the next quarter's first day) and as_of_date, so its last members
-- could not have been observed for the whole window - gets null counts and shares, not 0.
-- share_<stage>_alone: the share that reached the stage within the window whatever the earlier
-- stages (not a funnel: e.g. producing without a certification).

{%- set windows = [90, 180, 365] %}
{%- set stages = ['onboarded', 'enabled', 'activated', 'producing'] %}
{%- set stage_columns = {
    'onboarded': 'onboarded_at',
    'enabled': 'first_certified_at',
    'activated': 'first_registration_at',
    'producing': 'first_revenue_at'
} %}

with

journey as (

    select * from {{ ref('partner_journey') }}

),

windows as (

    {%- for window in windows %}
        select {{ window }} as window_days
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

cohort_members as (

    select
        partner_id,
        cast({{ dbt.date_trunc('quarter', 'joined_at') }} as date) as cohort_quarter,
        coalesce(partner_type_at_join, partner_type) as partner_type,
        cast(joined_at as date) as joined_date,
    {%- for stage in stages %}
        {{ dbt.datediff('cast(joined_at as date)', 'cast(' ~ stage_columns[stage] ~ ' as date)', 'day') }}
            as days_to_{{ stage }}{{ ',' if not loop.last }}
    {%- endfor %}
    from journey
    where joined_at is not null

),

reached as (

    select
        cohort_members.cohort_quarter,
        cohort_members.partner_type,
        windows.window_days,
    {%- for stage in stages %}
        case
            when
            {%- for earlier in stages[:loop.index] %}
                    coalesce(cohort_members.days_to_{{ earlier }} <= windows.window_days, false)
                    {{- ' and' if not loop.last }}
            {%- endfor %}
                then 1
            else 0
        end as reached_{{ stage }},
        case
            when coalesce(cohort_members.days_to_{{ stage }} <= windows.window_days, false) then 1
            else 0
        end as reached_{{ stage }}_alone{{ ',' if not loop.last }}
    {%- endfor %}
    from cohort_members
    cross join windows

),

cohorts as (

    select
        cohort_quarter,
        partner_type,
        window_days,
        cast({{ dbt.dateadd('month', 3, 'cohort_quarter') }} as date) as cohort_end,
        count(*) as partners,
    {%- for stage in stages %}
        sum(reached_{{ stage }}) as reached_{{ stage }},
        sum(reached_{{ stage }}_alone) as reached_{{ stage }}_alone{{ ',' if not loop.last }}
    {%- endfor %}
    from reached
    group by cohort_quarter, partner_type, window_days

),

final as (

    select
        cohort_quarter,
        partner_type,
        cast(window_days as {{ dbt.type_bigint() }}) as window_days,
        cohort_end,
        cast(partners as {{ dbt.type_bigint() }}) as partners,
        {{ dbt.datediff('cohort_end', as_of_date(), 'day') }} < window_days as is_too_young,
    {%- for stage in stages %}
        cast(
            case when {{ dbt.datediff('cohort_end', as_of_date(), 'day') }} >= window_days then reached_{{ stage }} end
            as {{ dbt.type_bigint() }}
        ) as reached_{{ stage }},
        cast(
            case
                when {{ dbt.datediff('cohort_end', as_of_date(), 'day') }} >= window_days
                    then 1.0 * reached_{{ stage }} / partners
            end
            as {{ type_double() }}
        ) as share_{{ stage }},
        cast(
            case
                when {{ dbt.datediff('cohort_end', as_of_date(), 'day') }} >= window_days
                    then 1.0 * reached_{{ stage }}_alone / partners
            end
            as {{ type_double() }}
        ) as share_{{ stage }}_alone{{ ',' if not loop.last }}
    {%- endfor %}
    from cohorts

)

select * from final
