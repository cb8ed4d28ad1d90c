{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['partitioned_monthly'],
        pre_hook="{{ health_delete_rewrite_months(this) }}"
    )
}}

-- Partner Health Score (DESIGN 3, seed 003): one row per partner per month it is scored in (every
-- month of fct_partner_month of a real partner up to its termination month). The components are
-- scored in int_health_*_scores and combined, renormalized and banded in
-- int_health_scores_banded; this model adds the history: the scores 1 and 3 months earlier,
-- deltas, trend, early warning, the explanation of the change (contributions that add up to
-- delta_1m exactly) and of the level (components furthest below the segment median), and the
-- band overrides of seed health_band_overrides (computed_band kept beside band).
-- The open month (is_provisional) is scored to date only: no band, no trend, no early warning,
-- no change explanation - it is never compared with full months (closed-month rule).
-- Incremental: with vars min_date/max_date the run writes [min_date, max_date + 14 months)
-- (macro health_rewrite_horizon_months: later months' trailing windows and lags depend on the
-- rewritten months), after a pre-hook deleted them; it scores [min_date - 3 months, ...) and
-- takes the scores of the 3 months before min_date from the rows already stored (recomputed
-- when absent), so lag columns always match the stored earlier rows. Without vars: all months.

{%- set components = health_components() %}
{%- set write_start = health_write_start() %}
{%- set write_end = health_write_end() %}
{%- set compute_start = add_months(write_start, -3) %}
{%- set real_bands = "('healthy', 'watch', 'at_risk')" %}

with

banded as (

    select * from {{ ref('int_health_scores_banded') }}

),

band_overrides as (

    select * from {{ ref('health_band_overrides') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

score_levels as (

    select * from {{ ref('int_health_score_levels') }}

),

-- ---------------------------------------------------------------- history for the lags

current_scores as (

    select
        partner_id,
        month_start,
        health_score,
        computed_band,
    {%- for component in components %}
        {{ component }}_score,
        {{ component }}_weight{{ "," if not loop.last }}
    {%- endfor %}
    from banded

),

stored_scores as (

    select
        partner_id,
        month_start,
        health_score,
        computed_band,
    {%- for component in components %}
        {{ component }}_score,
        {{ component }}_weight{{ "," if not loop.last }}
    {%- endfor %}
    {%- if is_incremental() %}
        from {{ this }}
        where
            month_start >= {{ compute_start }}
            and month_start < {{ write_start }}
    {%- else %}
        from current_scores
        where 1 = 0
    {%- endif %}

),

score_history as (

    select * from stored_scores
    union all
    select current_scores.*
    from current_scores
    left join stored_scores
        on
            current_scores.partner_id = stored_scores.partner_id
            and current_scores.month_start = stored_scores.month_start
    where
        current_scores.month_start >= {{ write_start }}
        or stored_scores.partner_id is null

),

lagged as (

    select
        banded.*,
        prev_1.health_score as health_score_prev_month,
        prev_2.health_score as health_score_2m_ago,
        prev_3.health_score as health_score_3m_ago,
        prev_1.computed_band as computed_band_prev_month,
        prev_1.partner_id is not null as has_prev_month,
        {%- for component in components %}
            prev_1.{{ component }}_score as {{ component }}_score_prev,
            prev_1.{{ component }}_weight as {{ component }}_weight_prev,
        {%- endfor %}
        case
            when not banded.is_provisional
                then cast(banded.health_score - prev_1.health_score as decimal(5, 1))
        end as delta_1m,
        case
            when not banded.is_provisional
                then cast(banded.health_score - prev_3.health_score as decimal(5, 1))
        end as delta_3m
    from banded
    left join score_history as prev_1
        on
            banded.partner_id = prev_1.partner_id
            and {{ add_months('banded.month_start', -1) }} = prev_1.month_start
    left join score_history as prev_2
        on
            banded.partner_id = prev_2.partner_id
            and {{ add_months('banded.month_start', -2) }} = prev_2.month_start
    left join score_history as prev_3
        on
            banded.partner_id = prev_3.partner_id
            and {{ add_months('banded.month_start', -3) }} = prev_3.month_start
    where
        banded.month_start >= {{ write_start }}
        and banded.month_start < {{ write_end }}

),

-- A component is present when it has a score and a positive weight.
component_sets as (

    select
        partner_id,
        month_start,
        trim(
            ''
            {%- for component in components %}
                || case
                    when
                        coalesce({{ component }}_weight, 0) > 0
                        and coalesce({{ component }}_weight_prev, 0) <= 0
                        then ' +{{ component }}'
                    when
                        coalesce({{ component }}_weight, 0) <= 0
                        and coalesce({{ component }}_weight_prev, 0) > 0
                        then ' −{{ component }}'
                    else ''
                end
            {%- endfor %}
        ) as component_set_changes
    from lagged
    where has_prev_month

),

warning_triggers as (

    select
        lagged.partner_id,
        lagged.is_provisional,
        lagged.month_start,
        case
            when lagged.delta_1m is null then null
            when abs(lagged.delta_1m) < parameters.trend_flat_threshold then 'flat'
            when lagged.delta_1m > 0 then 'up'
            else 'down'
        end as trend,
        coalesce(component_sets.component_set_changes, '') <> '' as components_changed,
        coalesce(lagged.delta_3m <= parameters.early_warning_delta_3m, false) as is_delta_3m_drop,
        coalesce(
            parameters.early_warning_band_worsened = 1
            and lagged.computed_band_prev_month in {{ real_bands }}
            and lagged.computed_band in {{ real_bands }}
            and (case lagged.computed_band when 'healthy' then 3 when 'watch' then 2 else 1 end)
            < (case lagged.computed_band_prev_month when 'healthy' then 3 when 'watch' then 2 else 1 end),
            false
        ) as is_band_worsened,
        coalesce(
            lagged.health_score_3m_ago - lagged.health_score_2m_ago > parameters.early_warning_decline_points
            and lagged.health_score_2m_ago - lagged.health_score_prev_month
            > parameters.early_warning_decline_points
            and lagged.health_score_prev_month - lagged.health_score > parameters.early_warning_decline_points,
            false
        ) as is_three_declines
    from lagged
    cross join parameters
    left join component_sets
        on
            lagged.partner_id = component_sets.partner_id
            and lagged.month_start = component_sets.month_start

),

-- No early warning in an open month, nor in a month whose set of present components changed
-- (renormalization alone moves the score then).
warnings as (

    select
        warning_triggers.*,
        not warning_triggers.is_provisional
        and not warning_triggers.components_changed
        and (
            warning_triggers.is_delta_3m_drop
            or warning_triggers.is_band_worsened
            or warning_triggers.is_three_declines
        ) as is_early_warning
    from warning_triggers

),

-- ---------------------------------------------------------------- explanation

-- Contribution of component i to delta_1m: w_i(M) * s_i(M) - w_i(M-1) * s_i(M-1) (normalized
-- weights, a missing component contributes 0), so the contributions add up to the change.
contributions as (

    {%- for component in components %}
        select
            partner_id,
            month_start,
            delta_1m,
            '{{ component }}' as component,
            {{ loop.index }} as component_order,
            {{ component }}_score_prev as score_prev,
            {{ component }}_score as score_current,
            coalesce({{ component }}_weight * {{ component }}_score, 0.0)
            - coalesce({{ component }}_weight_prev * {{ component }}_score_prev, 0.0) as raw_change
        from lagged
        where delta_1m is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

rounded_contributions as (

    select
        contributions.*,
        cast(round(contributions.raw_change, 1) as decimal(6, 1)) as rounded_change,
        row_number() over (
            partition by contributions.partner_id, contributions.month_start
            order by abs(contributions.raw_change) desc, contributions.component_order
        ) as raw_rank
    from contributions

),

rounding_residuals as (

    select
        partner_id,
        month_start,
        max(delta_1m) - sum(rounded_change) as residual
    from rounded_contributions
    group by partner_id, month_start

),

-- Rounded to 0.1 point; the rounding residual goes to the largest contribution, so the
-- published contributions add up to delta_1m exactly.
adjusted_contributions as (

    select
        rounded_contributions.partner_id,
        rounded_contributions.month_start,
        rounded_contributions.component,
        rounded_contributions.component_order,
        rounded_contributions.score_prev,
        rounded_contributions.score_current,
        rounded_contributions.raw_change,
        rounded_contributions.raw_rank,
        cast(
            rounded_contributions.rounded_change
            + case when rounded_contributions.raw_rank = 1 then rounding_residuals.residual else 0 end
            as decimal(6, 1)
        ) as change_points
    from rounded_contributions
    inner join rounding_residuals
        on
            rounded_contributions.partner_id = rounding_residuals.partner_id
            and rounded_contributions.month_start = rounding_residuals.month_start

),

-- Ranked by the unrounded contribution (raw_rank), so top_driver is the component with the
-- largest absolute contribution even when rounding makes two look alike.
ranked_contributions as (

    select
        adjusted_contributions.*,
        adjusted_contributions.raw_rank as change_rank,
        adjusted_contributions.component
        || ' '
        || coalesce(
            cast(cast(round(adjusted_contributions.score_prev, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }}),
            'n/a'
        )
        || '→'
        || coalesce(
            cast(cast(round(adjusted_contributions.score_current, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }}),
            'n/a'
        )
        || ' ('
        || {{ health_signed_points('adjusted_contributions.change_points') }}
        || ' pts)' as change_text
    from adjusted_contributions

),

explanations as (

    select
        partner_id,
        month_start,
        {%- for component in components %}
            max(case when component = '{{ component }}' then change_points end)
                as {{ component }}_change_points,
        {%- endfor %}
        max(case when change_rank = 1 and abs(raw_change) >= 0.05 then component end) as top_driver,
        max(case when change_rank = 1 and change_points <> 0 then change_text end) as change_text_1,
        max(case when change_rank = 2 and change_points <> 0 then change_text end) as change_text_2,
        max(case when change_rank = 3 and change_points <> 0 then change_text end) as change_text_3,
        cast(sum(case when change_rank > 3 then change_points else 0 end) as decimal(6, 1))
            as other_change_points
    from ranked_contributions
    group by partner_id, month_start

),

-- ---------------------------------------------------------------- overrides

override_matches as (

    select
        lagged.partner_id,
        lagged.month_start,
        band_overrides.band,
        band_overrides.reason,
        row_number() over (
            partition by lagged.partner_id, lagged.month_start
            order by band_overrides.effective_from desc
        ) as override_rank
    from lagged
    inner join band_overrides
        on
            lagged.partner_id = band_overrides.partner_id
            and band_overrides.effective_from
            <= least(
                cast({{ dbt.dateadd('day', -1, 'lagged.month_end') }} as date), {{ as_of_date() }}
            )
            and (
                band_overrides.expires_on is null
                or band_overrides.expires_on
                > least(
                    cast({{ dbt.dateadd('day', -1, 'lagged.month_end') }} as date), {{ as_of_date() }}
                )
            )

),

-- ---------------------------------------------------------------- assemble

final as (

    select
        lagged.partner_id,
        lagged.month_start,
        lagged.is_provisional,
        lagged.partner_type,
        lagged.tier,
        lagged.region,
        lagged.segment,
        lagged.health_score,
        coalesce(override_matches.band, lagged.computed_band) as band,
        lagged.computed_band,
        override_matches.band is not null as is_overridden,
        override_matches.reason as override_reason,
        cast(lagged.data_completeness as {{ type_double() }}) as data_completeness,
        {%- for component in components %}
            cast(lagged.{{ component }}_score as {{ type_double() }}) as {{ component }}_score,
        {%- endfor %}
        {%- for component in components %}
            cast(lagged.{{ component }}_weight as {{ type_double() }}) as {{ component }}_weight,
        {%- endfor %}
        lagged.health_score_prev_month,
        lagged.health_score_3m_ago,
        lagged.delta_1m,
        lagged.delta_3m,
        warnings.trend,
        warnings.is_early_warning as early_warning,
        case
            when warnings.is_early_warning
                then substring(
                        case
                            when warnings.is_delta_3m_drop
                                then '; score ' || {{ health_signed_points('lagged.delta_3m') }} || ' pts in 3 months'
                            else ''
                        end
                        || case
                            when warnings.is_band_worsened
                                then '; band ' || lagged.computed_band_prev_month || '→' || lagged.computed_band
                            else ''
                        end
                        || case
                            when warnings.is_three_declines then '; three monthly declines in a row'
                            else ''
                        end,
                        3
                    )
        end as early_warning_reason,
        explanations.top_driver,
        case
            when lagged.delta_1m is null then null
            else
                case
                    when warnings.components_changed
                        then 'components changed (' || component_sets.component_set_changes || '); '
                    else ''
                end
                || coalesce(
                    explanations.change_text_1
                    || coalesce('; ' || explanations.change_text_2, '')
                    || coalesce('; ' || explanations.change_text_3, '')
                    || case
                        when explanations.other_change_points <> 0
                            then '; other components ('
                                || {{ health_signed_points('explanations.other_change_points') }}
                                || ' pts)'
                        else ''
                    end,
                    'no change'
                )
        end as explanation,
        {%- for component in components %}
            explanations.{{ component }}_change_points,
        {%- endfor %}
        score_levels.weakest_component,
        score_levels.level_explanation,
        parameters.methodology_version
    from lagged
    cross join parameters
    inner join warnings
        on
            lagged.partner_id = warnings.partner_id
            and lagged.month_start = warnings.month_start
    left join component_sets
        on
            lagged.partner_id = component_sets.partner_id
            and lagged.month_start = component_sets.month_start
    left join explanations
        on
            lagged.partner_id = explanations.partner_id
            and lagged.month_start = explanations.month_start
    left join score_levels
        on
            lagged.partner_id = score_levels.partner_id
            and lagged.month_start = score_levels.month_start
    left join override_matches
        on
            lagged.partner_id = override_matches.partner_id
            and lagged.month_start = override_matches.month_start
            and override_matches.override_rank = 1

)

select * from final
