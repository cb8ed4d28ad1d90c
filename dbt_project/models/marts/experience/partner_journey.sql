-- Partner journey (DESIGN 3 "Partner Experience"): one row per real partner of dim_partner (the
-- unknown member excluded) with the date of each stage, in program order
--   applied -> joined -> onboarded -> enabled (first certification) -> activated (first deal
--   registration) -> producing (first won revenue credit) -> exited (terminated)
-- A stage not reached is null, and so is every duration that touches it (never zero). Durations
-- are whole calendar days between the UTC dates of consecutive stages. A stage reached before a
-- stage that precedes it in the program order (e.g. a certification before joining) is kept
-- with its real date - its duration from the previous stage is then negative - and flagged:
-- is_out_of_order, first_out_of_order_stage (the first stage, in program order, dated before
-- the latest earlier stage). current_stage is the furthest stage reached in program order
-- (exited when terminated), whatever the dates. partner_type_at_join is the SCD2 version valid
-- at joined_at (the funnel's cohort persona).

{%- set stages = ['applied', 'joined', 'onboarded', 'enabled', 'activated', 'producing', 'exited'] %}
{%- set low = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" %}

with

partners as (

    select * from {{ ref('dim_partner') }}

),

history as (

    select * from {{ ref('dim_partner_history') }}

),

stage_events as (

    select * from {{ ref('int_experience_stage_events') }}

),

stage_dates as (

    select
        partners.partner_id,
        partners.partner_name,
        partners.partner_type,
        partners.tier,
        partners.region,
        partners.applied_at,
        partners.joined_at,
        partners.onboarded_at,
        stage_events.first_certified_at as enabled_at,
        stage_events.first_registration_at as activated_at,
        stage_events.first_revenue_at as producing_at,
        partners.terminated_at as exited_at
    from partners
    left join stage_events
        on partners.partner_id = stage_events.partner_id
    where not partners.is_unknown_member

),

ordered as (

    select
        stage_dates.*,
    {%- for stage in stages[1:] %}
        -- latest date of the stages before {{ stage }}, and whether {{ stage }} comes before it
        (
            {{ stage }}_at is not null
            and {{ stage }}_at < greatest(
                {%- for earlier in stages[:loop.index] %}
                    coalesce({{ earlier }}_at, {{ low }}){{ ',' if not loop.last }}
                {%- endfor %}
            )
        ) as is_{{ stage }}_out_of_order{{ ',' if not loop.last }}
    {%- endfor %}
    from stage_dates

),

with_persona as (

    select
        ordered.*,
        history.partner_type as partner_type_at_join
    from ordered
    left join history
        on {{ partner_version_at('history', 'ordered.partner_id', 'ordered.joined_at') }}

),

final as (

    select
        partner_id,
        partner_name,
        partner_type,
        tier,
        region,
        partner_type_at_join,
        applied_at,
        joined_at,
        onboarded_at,
        enabled_at as first_certified_at,
        activated_at as first_registration_at,
        producing_at as first_revenue_at,
        exited_at,
        {%- for stage in stages[1:] %}
            {%- set previous = stages[loop.index - 1] %}
            cast(
                {{ dbt.datediff('cast(' ~ previous ~ '_at as date)', 'cast(' ~ stage ~ '_at as date)', 'day') }}
                as {{ dbt.type_bigint() }}
            ) as days_{{ previous }}_to_{{ stage }},
        {%- endfor %}
        cast(
            {{ dbt.datediff('cast(joined_at as date)', 'cast(producing_at as date)', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as days_to_first_revenue,
        cast(
            case
                when exited_at is not null then 'exited'
                {%- for stage in stages[:-1] | reverse %}
                    when {{ stage }}_at is not null then '{{ stage }}'
                {%- endfor %}
            end
            as {{ dbt.type_string() }}
        ) as current_stage,
        (
            {%- for stage in stages[1:] %}
                is_{{ stage }}_out_of_order{{ ' or' if not loop.last }}
            {%- endfor %}
        ) as is_out_of_order,
        cast(
            case
                {%- for stage in stages[1:] %}
                    when is_{{ stage }}_out_of_order then '{{ stage }}'
                {%- endfor %}
            end
            as {{ dbt.type_string() }}
        ) as first_out_of_order_stage
    from with_persona

)

select * from final
