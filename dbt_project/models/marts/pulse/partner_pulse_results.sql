-- Partner Pulse results (DESIGN 3, seed 000): one row per reported wave x segment cell (overall,
-- partner_type, region, tier as of the wave close) x metric (nps, csat_top2, csat_mean,
-- pillar_<p>) with invitations, respondents, response rate, the value, the previous wave of the
-- same survey kind and the change with a 95 % margin of error of the change:
--   margin_of_error = z * sqrt(V_current + V_previous), is_significant_change = |change| > margin
-- (V per metric in int_pulse_cell_metrics; waves treated as independent). A suppressed cell
-- (int_pulse_cells: fewer than k respondents, or complementary) publishes counts only: value,
-- margins and change null. previous_value / change are null when either wave's cell is
-- suppressed, missing or without a value. A metric answered by fewer than k respondents of an
-- unsuppressed cell is also withheld (value null, suppression_reason metric_below_k).

with

cells as (

    select * from {{ ref('int_pulse_cells') }}

),

cell_metrics as (

    select * from {{ ref('int_pulse_cell_metrics') }}

),

waves as (

    select * from {{ ref('int_pulse_waves') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

published as (

    select
        cell_metrics.wave_id,
        cell_metrics.segment_type,
        cell_metrics.segment_value,
        cell_metrics.metric,
        cells.invitations,
        cells.respondents,
        cells.response_rate,
        cell_metrics.metric_respondents,
        cells.is_suppressed or cell_metrics.metric_respondents < parameters.min_respondents as is_withheld,
        cells.is_suppressed,
        case
            when cells.is_suppressed then cells.suppression_reason
            when cell_metrics.metric_respondents < parameters.min_respondents
                and cell_metrics.metric_respondents > 0
                then 'metric_below_k'
        end as suppression_reason,
        cell_metrics.metric_value,
        cell_metrics.sampling_variance
    from cell_metrics
    cross join parameters
    inner join cells
        on
            cell_metrics.wave_id = cells.wave_id
            and cell_metrics.segment_type = cells.segment_type
            and cell_metrics.segment_value = cells.segment_value

),

compared as (

    select
        published.*,
        waves.survey_kind,
        waves.is_anonymous,
        waves.opened_at,
        waves.closed_at,
        waves.is_closed,
        waves.previous_wave_id,
        case when not previous.is_withheld then previous.metric_value end as previous_metric_value,
        case when not previous.is_withheld then previous.sampling_variance end as previous_variance
    from published
    inner join waves
        on published.wave_id = waves.wave_id
    left join published as previous
        on
            waves.previous_wave_id = previous.wave_id
            and published.segment_type = previous.segment_type
            and published.segment_value = previous.segment_value
            and published.metric = previous.metric

),

final as (

    select
        cast(compared.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(compared.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(compared.segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(compared.metric as {{ dbt.type_string() }}) as metric,
        cast(compared.survey_kind as {{ dbt.type_string() }}) as survey_kind,
        compared.is_anonymous,
        compared.opened_at as wave_opened_at,
        compared.closed_at as wave_closed_at,
        compared.is_closed as is_wave_closed,
        cast(compared.invitations as {{ dbt.type_bigint() }}) as invitations,
        cast(compared.respondents as {{ dbt.type_bigint() }}) as respondents,
        cast(compared.response_rate as {{ type_double() }}) as response_rate,
        cast(
            case when not compared.is_suppressed then compared.metric_respondents end
            as {{ dbt.type_bigint() }}
        ) as metric_respondents,
        cast(
            case when not compared.is_withheld then compared.metric_value end as {{ type_double() }}
        ) as value,  -- noqa: RF04
        cast(
            case
                when not compared.is_withheld
                    then parameters.confidence_z * sqrt(compared.sampling_variance)
            end as {{ type_double() }}
        ) as value_margin_of_error,
        cast(compared.previous_wave_id as {{ dbt.type_string() }}) as previous_wave_id,
        cast(
            case
                when not compared.is_withheld and compared.metric_value is not null
                    then compared.previous_metric_value
            end as {{ type_double() }}
        ) as previous_value,
        cast(
            case
                when not compared.is_withheld
                    then compared.metric_value - compared.previous_metric_value
            end as {{ type_double() }}
        ) as change,  -- noqa: RF04
        cast(
            case
                when not compared.is_withheld and compared.previous_metric_value is not null
                    then parameters.confidence_z * sqrt(compared.sampling_variance + compared.previous_variance)
            end as {{ type_double() }}
        ) as margin_of_error,
        case
            when not compared.is_withheld and compared.previous_metric_value is not null
                then abs(compared.metric_value - compared.previous_metric_value)
                    > parameters.confidence_z * sqrt(compared.sampling_variance + compared.previous_variance)
        end as is_significant_change,
        compared.is_suppressed,
        cast(compared.suppression_reason as {{ dbt.type_string() }}) as suppression_reason
    from compared
    cross join parameters

)

select * from final
