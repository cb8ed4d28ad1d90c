{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['partitioned_monthly'],
        pre_hook="{{ health_delete_rewrite_months(this) }}"
    )
}}

-- Partner Health Score (DESIGN 3, seed 003): one row per partner per month of fct_partner_month.
-- Components are scored 0-100 (against the partner's own revenue target where one exists, else
-- against peers with the mid-rank percentile of macro health_peer_percentile), missing ones are
-- left out and the remaining weights rescaled, the score is banded, compared with earlier
-- months (lags, trend, early warning) and its change explained per component.
-- Missing is not zero: a component is missing when nothing could be observed - the month lies
-- before the first month with any activity in the sources (data_start_month: history starts
-- there), the partner is younger than a 3-month window (revenue, pipeline, deal_registration),
-- no tier certification requirement (enablement), no eligible survey wave (satisfaction), no
-- support case opened, closed or open in the window (support).
-- Incremental: with vars min_date/max_date the run writes [min_date, max_date + 14 months)
-- (macro health_rewrite_horizon_months: later months' trailing windows and lags depend on the
-- rewritten months), after a pre-hook deleted them; it scores [min_date - 3 months, ...) and
-- takes the scores of the 3 months before min_date from the rows already stored (recomputed
-- when absent), so lag columns always match the stored earlier rows. Without vars: all months.

{%- set components = health_components() %}
{%- set write_start = health_write_start() %}
{%- set write_end = health_write_end() %}
{%- set compute_start = add_months(write_start, -3) %}
{%- set input_start = add_months(write_start, -14) %}
{%- set real_bands = "('healthy', 'watch', 'at_risk')" %}

with

partner_months_all as (

    select * from {{ ref('fct_partner_month') }}

),

support_cases as (

    select * from {{ ref('stg_prm__support_cases') }}

),

survey_answers as (

    select * from {{ ref('fct_survey_answer') }}

),

surveys as (

    select * from {{ ref('stg_survey__surveys') }}

),

partner_targets as (

    select * from {{ ref('stg_prm__partner_targets') }}

),

weights as (

    select * from {{ ref('health_weights') }}

),

thresholds as (

    select * from {{ ref('health_thresholds') }}

),

tier_certifications as (

    select * from {{ ref('health_tier_certifications') }}

),

band_overrides as (

    select * from {{ ref('health_band_overrides') }}

),

-- ---------------------------------------------------------------- configuration

parameters as (

    select
        max(case when parameter = 'methodology_version' then value end) as methodology_version,
        max(
            case when parameter = 'healthy_min' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as healthy_min,
        max(
            case when parameter = 'watch_min' then {{ dbt.safe_cast('value', type_double()) }} end
        ) as watch_min,
        max(
            case
                when parameter = 'completeness_min' then {{ dbt.safe_cast('value', type_double()) }}
            end
        ) as completeness_min,
        max(
            case
                when parameter = 'trend_flat_threshold'
                    then {{ dbt.safe_cast('value', type_double()) }}
            end
        ) as trend_flat_threshold,
        max(
            case
                when parameter = 'early_warning_delta_3m'
                    then {{ dbt.safe_cast('value', type_double()) }}
            end
        ) as early_warning_delta_3m,
        max(
            case
                when parameter = 'early_warning_decline_points'
                    then {{ dbt.safe_cast('value', type_double()) }}
            end
        ) as early_warning_decline_points,
        max(
            case
                when parameter = 'survey_min_respondents'
                    then {{ dbt.safe_cast('value', dbt.type_bigint()) }}
            end
        ) as survey_min_respondents,
        max(
            case
                when parameter = 'survey_max_age_months'
                    then {{ dbt.safe_cast('value', dbt.type_int()) }}
            end
        ) as survey_max_age_months,
        max(
            case
                when parameter = 'peer_min_group_size'
                    then {{ dbt.safe_cast('value', dbt.type_bigint()) }}
            end
        ) as peer_min_group_size
    from thresholds

),

segment_weights as (

    select
        segment,
    {%- for component in components %}
        sum(case when component = '{{ component }}' then weight else 0 end)
            as {{ component }}_weight{{ "," if not loop.last }}
    {%- endfor %}
    from weights
    group by segment

),

-- ---------------------------------------------------------------- observability

partner_first_months as (

    select
        partner_id,
        min(month_start) as first_month
    from partner_months_all
    group by partner_id

),

-- The first month with any activity in any source: before it nothing could be observed.
data_start as (

    select min(month_start) as data_start_month
    from partner_months_all
    where
        attributed_revenue_usd <> 0
        or pipeline_created_usd <> 0
        or won_deals > 0
        or lost_deals > 0
        or registrations_submitted > 0
        or portal_events > 0
        or course_completions > 0
        or valid_certifications > 0
        or mdf_requested_usd <> 0
        or support_cases_opened > 0
        or support_cases_open_eom > 0
        or survey_responses > 0

),

revenue_targets as (

    select
        partner_id,
        {{ month_start(dbt.date_trunc('quarter', 'period_start')) }} as quarter_start,
        sum(target_value) as quarter_target
    from partner_targets
    where
        metric = 'revenue'
        and partner_id is not null
        and target_value is not null
    group by partner_id, {{ month_start(dbt.date_trunc('quarter', 'period_start')) }}

),

partner_months as (

    select
        partner_months_all.partner_id,
        partner_months_all.month_start,
        partner_months_all.month_end,
        partner_months_all.partner_type,
        partner_months_all.tier,
        partner_months_all.region,
        partner_months_all.is_provisional,
        {{ health_month_index('partner_months_all.month_start') }} as month_index,
        least(
            cast(partner_months_all.month_end as {{ dbt.type_timestamp() }}), {{ as_of_cutoff() }}
        ) as state_at,
        cast(partner_months_all.attributed_revenue_usd as {{ type_double() }})
            as attributed_revenue_usd,
        cast(partner_months_all.pipeline_created_usd as {{ type_double() }})
            as pipeline_created_usd,
        partner_months_all.registrations_submitted,
        partner_months_all.registrations_approved,
        partner_months_all.registrations_rejected,
        partner_months_all.portal_active_days,
        partner_months_all.portal_active_contacts,
        partner_months_all.course_completions,
        partner_months_all.valid_certifications,
        partner_months_all.support_cases_opened,
        partner_months_all.support_cases_open_eom,
        partner_months_all.high_priority_open_eom,
        revenue_targets.quarter_target / 3.0 as month_revenue_target,
        data_start.data_start_month is not null
        and partner_months_all.month_start >= data_start.data_start_month as is_observed,
        data_start.data_start_month is not null
        and partner_months_all.month_start >= data_start.data_start_month
        and partner_first_months.first_month <= {{ add_months('partner_months_all.month_start', -2) }}
        and data_start.data_start_month <= {{ add_months('partner_months_all.month_start', -2) }}
            as is_window_3m_observed
    from partner_months_all
    inner join partner_first_months
        on partner_months_all.partner_id = partner_first_months.partner_id
    cross join data_start
    left join revenue_targets
        on
            partner_months_all.partner_id = revenue_targets.partner_id
            and {{ month_start(dbt.date_trunc('quarter', 'partner_months_all.month_start')) }}
            = revenue_targets.quarter_start
    where
        partner_months_all.month_start >= {{ input_start }}
        and partner_months_all.month_start < {{ write_end }}

),

-- ---------------------------------------------------------------- measures

trailing_measures as (

    select
        partner_id,
        month_start,
        sum(attributed_revenue_usd) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as revenue_3m,
        sum(month_revenue_target) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as revenue_target_3m,
        count(month_revenue_target) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as revenue_target_months,
        sum(pipeline_created_usd) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as pipeline_3m,
        sum(registrations_submitted) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as registrations_submitted_3m,
        sum(registrations_approved) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as registrations_approved_3m,
        sum(registrations_approved + registrations_rejected) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as registrations_decided_3m,
        sum(support_cases_opened) over (
            partition by partner_id order by month_index range between 2 preceding and current row
        ) as support_cases_opened_3m,
        sum(course_completions) over (
            partition by partner_id order by month_index range between 11 preceding and current row
        ) as course_completions_12m
    from partner_months

),

support_resolution as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        count(*) as support_cases_closed_3m,
        {{ percentile_cont(hours_between('support_cases.opened_at', 'support_cases.closed_at'), 0.5) }}
            as median_resolution_hours_3m
    from partner_months
    inner join support_cases
        on
            partner_months.partner_id = support_cases.partner_id
            and support_cases.closed_at
            >= cast({{ add_months('partner_months.month_start', -2) }} as {{ dbt.type_timestamp() }})
            and partner_months.state_at > support_cases.closed_at
    where partner_months.month_start >= {{ compute_start }}
    group by partner_months.partner_id, partner_months.month_start

),

nps_responses as (

    select
        survey_answers.partner_id,
        survey_answers.wave_id,
        survey_answers.response_id,
        max(surveys.closed_at) as wave_closed_at,
        max(survey_answers.numeric_value) as nps_answer
    from survey_answers
    inner join surveys
        on survey_answers.survey_id = surveys.survey_id
    where
        survey_answers.question_type = 'nps'
        and survey_answers.numeric_value is not null
        and survey_answers.partner_id is not null
        and survey_answers.submitted_at < {{ as_of_cutoff() }}
        and surveys.closed_at < {{ as_of_cutoff() }}
    group by survey_answers.partner_id, survey_answers.wave_id, survey_answers.response_id

),

partner_waves as (

    select
        partner_id,
        wave_id,
        max(wave_closed_at) as wave_closed_at,
        count(*) as respondents,
        100.0 * (
            sum(case when nps_answer >= 9 then 1 else 0 end)
            - sum(case when nps_answer <= 6 then 1 else 0 end)
        ) / count(*) as nps
    from nps_responses
    group by partner_id, wave_id

),

eligible_waves as (

    select partner_waves.*
    from partner_waves
    cross join parameters
    where partner_waves.respondents >= parameters.survey_min_respondents

),

latest_waves as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        eligible_waves.nps,
        row_number() over (
            partition by partner_months.partner_id, partner_months.month_start
            order by eligible_waves.wave_closed_at desc, eligible_waves.wave_id desc
        ) as wave_rank
    from partner_months
    cross join parameters
    inner join eligible_waves
        on
            partner_months.partner_id = eligible_waves.partner_id
            and partner_months.state_at > eligible_waves.wave_closed_at
            and eligible_waves.wave_closed_at
            >= {{ dbt.dateadd('month', '-1 * parameters.survey_max_age_months', 'partner_months.state_at') }}
    where partner_months.month_start >= {{ compute_start }}

),

measures as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        partner_months.month_end,
        partner_months.partner_type,
        partner_months.tier,
        partner_months.region,
        partner_months.is_provisional,
        case when partner_months.is_window_3m_observed then trailing_measures.revenue_3m end
            as revenue_measure,
        case
            when
                partner_months.is_window_3m_observed
                and trailing_measures.revenue_target_months = 3
                and trailing_measures.revenue_target_3m > 0
                then trailing_measures.revenue_target_3m
        end as revenue_target,
        case when partner_months.is_window_3m_observed then trailing_measures.pipeline_3m end
            as pipeline_measure,
        case
            when partner_months.is_window_3m_observed
                then trailing_measures.registrations_submitted_3m
        end as registrations_measure,
        case
            when
                partner_months.is_window_3m_observed
                and trailing_measures.registrations_decided_3m > 0
                then 1.0 * trailing_measures.registrations_approved_3m
                    / trailing_measures.registrations_decided_3m
        end as approval_rate_measure,
        case when partner_months.is_observed then partner_months.portal_active_days end
            as active_days_measure,
        case when partner_months.is_observed then partner_months.portal_active_contacts end
            as active_contacts_measure,
        case when partner_months.is_observed then trailing_measures.course_completions_12m end
            as completions_measure,
        case when partner_months.is_observed then partner_months.valid_certifications end
            as valid_certifications,
        tier_certifications.required_certifications,
        case
            when
                partner_months.is_observed
                and (
                    trailing_measures.support_cases_opened_3m > 0
                    or partner_months.support_cases_open_eom > 0
                    or support_resolution.support_cases_closed_3m > 0
                )
                then partner_months.high_priority_open_eom
        end as high_priority_open_measure,
        case when partner_months.is_observed then support_resolution.median_resolution_hours_3m end
            as resolution_hours_measure,
        case when partner_months.is_observed then latest_waves.nps end as nps
    from partner_months
    inner join trailing_measures
        on
            partner_months.partner_id = trailing_measures.partner_id
            and partner_months.month_start = trailing_measures.month_start
    left join support_resolution
        on
            partner_months.partner_id = support_resolution.partner_id
            and partner_months.month_start = support_resolution.month_start
    left join latest_waves
        on
            partner_months.partner_id = latest_waves.partner_id
            and partner_months.month_start = latest_waves.month_start
            and latest_waves.wave_rank = 1
    left join tier_certifications
        on partner_months.tier = tier_certifications.tier
    where partner_months.month_start >= {{ compute_start }}

),

-- ---------------------------------------------------------------- component scores

percentiles as (

    select
        measures.*,
        {{ health_peer_percentile('measures.revenue_measure', 'parameters.peer_min_group_size') }}
            as revenue_percentile,
        {{ health_peer_percentile('measures.pipeline_measure', 'parameters.peer_min_group_size') }}
            as pipeline_percentile,
        {{ health_peer_percentile('measures.registrations_measure', 'parameters.peer_min_group_size') }}
            as registrations_percentile,
        {{ health_peer_percentile('measures.approval_rate_measure', 'parameters.peer_min_group_size') }}
            as approval_rate_percentile,
        {{ health_peer_percentile('measures.active_days_measure', 'parameters.peer_min_group_size') }}
            as active_days_percentile,
        {{ health_peer_percentile('measures.active_contacts_measure', 'parameters.peer_min_group_size') }}
            as active_contacts_percentile,
        {{ health_peer_percentile('measures.completions_measure', 'parameters.peer_min_group_size') }}
            as completions_percentile,
        {{ health_peer_percentile('measures.high_priority_open_measure', 'parameters.peer_min_group_size') }}
            as high_priority_open_percentile,
        {{ health_peer_percentile('measures.resolution_hours_measure', 'parameters.peer_min_group_size') }}
            as resolution_hours_percentile
    from measures
    cross join parameters

),

component_scores as (

    select
        partner_id,
        month_start,
        month_end,
        partner_type,
        tier,
        region,
        is_provisional,
        case
            when revenue_measure is null then null
            when revenue_target is not null
                then greatest(0.0, least(100.0, 100.0 * revenue_measure / revenue_target))
            else revenue_percentile
        end as revenue_score,
        pipeline_percentile as pipeline_score,
        case
            when approval_rate_percentile is null then registrations_percentile
            else (registrations_percentile + approval_rate_percentile) / 2.0
        end as deal_registration_score,
        (active_days_percentile + active_contacts_percentile) / 2.0 as engagement_score,
        case
            when required_certifications > 0 and valid_certifications is not null
                then 70.0 * least(1.0, 1.0 * valid_certifications / required_certifications)
                    + 0.3 * completions_percentile
        end as enablement_score,
        (nps + 100.0) / 2.0 as satisfaction_score,
        case
            when high_priority_open_percentile is null and resolution_hours_percentile is null
                then null
            when resolution_hours_percentile is null then 100.0 - high_priority_open_percentile
            when high_priority_open_percentile is null then 100.0 - resolution_hours_percentile
            else 100.0 - (high_priority_open_percentile + resolution_hours_percentile) / 2.0
        end as support_score
    from percentiles

),

-- ---------------------------------------------------------------- weights, score, band

segmented as (

    select
        component_scores.*,
        coalesce(own_segment.segment, 'default') as segment
    from component_scores
    left join segment_weights as own_segment
        on component_scores.partner_type = own_segment.segment

),

present_weights as (

    select
        segmented.*,
        {%- for component in components %}
            segment_weights.{{ component }}_weight as {{ component }}_base_weight,
        {%- endfor %}
        0.0
        {%- for component in components %}
            + case
                when segmented.{{ component }}_score is not null
                    then segment_weights.{{ component }}_weight
                else 0.0
            end
        {%- endfor %}
            as present_weight
    from segmented
    inner join segment_weights
        on segmented.segment = segment_weights.segment

),

normalized as (

    select
        present_weights.*,
        {%- for component in components %}
            case
                when present_weights.{{ component }}_score is not null and present_weights.present_weight > 0
                    then present_weights.{{ component }}_base_weight / present_weights.present_weight
            end as {{ component }}_weight,
        {%- endfor %}
        round(present_weights.present_weight, 6) as data_completeness
    from present_weights

),

scored as (

    select
        normalized.*,
        0.0
        {%- for component in components %}
            + coalesce(normalized.{{ component }}_weight * normalized.{{ component }}_score, 0.0)
        {%- endfor %}
            as unrounded_health_score
    from normalized

),

banded as (

    select
        scored.partner_id,
        scored.month_start,
        scored.month_end,
        scored.partner_type,
        scored.tier,
        scored.region,
        scored.is_provisional,
        scored.segment,
        scored.data_completeness,
        {%- for component in components %}
            scored.{{ component }}_score,
            scored.{{ component }}_weight,
        {%- endfor %}
        case when scored.present_weight > 0 then cast(round(scored.unrounded_health_score, 1) as decimal(5, 1)) end
            as health_score,
        case
            when scored.present_weight <= 0 then 'insufficient_data'
            when scored.data_completeness < parameters.completeness_min then 'insufficient_data'
            when round(scored.unrounded_health_score, 1) >= parameters.healthy_min then 'healthy'
            when round(scored.unrounded_health_score, 1) >= parameters.watch_min then 'watch'
            else 'at_risk'
        end as computed_band
    from scored
    cross join parameters

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
        cast(banded.health_score - prev_1.health_score as decimal(5, 1)) as delta_1m,
        cast(banded.health_score - prev_3.health_score as decimal(5, 1)) as delta_3m
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

warnings as (

    select
        lagged.partner_id,
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
            lagged.computed_band_prev_month in {{ real_bands }}
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

ranked_contributions as (

    select
        adjusted_contributions.*,
        row_number() over (
            partition by adjusted_contributions.partner_id, adjusted_contributions.month_start
            order by abs(adjusted_contributions.change_points) desc, adjusted_contributions.component_order
        ) as change_rank,
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
        max(case when change_rank = 1 and change_points <> 0 then component end) as top_driver,
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
        not warnings.components_changed
        and (warnings.is_delta_3m_drop or warnings.is_band_worsened or warnings.is_three_declines)
            as early_warning,
        case
            when
                not warnings.components_changed
                and (warnings.is_delta_3m_drop or warnings.is_band_worsened or warnings.is_three_declines)
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
    left join override_matches
        on
            lagged.partner_id = override_matches.partner_id
            and lagged.month_start = override_matches.month_start
            and override_matches.override_rank = 1

)

select * from final
