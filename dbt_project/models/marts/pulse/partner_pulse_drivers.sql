-- Partner Pulse key drivers (DESIGN 3): one row per reported wave x lifecycle pillar of its likert
-- questions. coefficient = Pearson correlation, over the wave's respondents with both, of the
-- respondent's pillar score (0-100, int_pulse_observations) with their NPS answer (0-10); n =
-- those respondents. 95 % confidence interval by the Fisher z transform: z = atanh(r),
-- se = 1 / sqrt(n - 3), [tanh(z - q se), tanh(z + q se)] with q = confidence_z (null for n <= 3;
-- [r, r] when |r| = 1). Null coefficient when either side has no variance. rank 1 = the pillar
-- most positively correlated with NPS in the wave. Suppressed (coefficient, CI and rank null)
-- when n < k (min_respondents). Correlation, not causation; waves are independent samples.

with

observations as (

    select * from {{ ref('int_pulse_observations') }}

),

waves as (

    select * from {{ ref('int_pulse_waves') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

nps_scores as (

    select
        response_id,
        observed_value as nps_answer
    from observations
    where metric = 'nps'

),

pairs as (

    select
        observations.wave_id,
        substring(observations.metric, 8) as pillar,
        observations.observed_value as pillar_score,
        nps_scores.nps_answer
    from observations
    inner join nps_scores
        on observations.response_id = nps_scores.response_id
    where substring(observations.metric, 1, 7) = 'pillar_'

),

sums as (

    select
        wave_id,
        pillar,
        count(*) as n,
        avg(pillar_score) as mean_pillar_score,
        sum(pillar_score) as sx,
        sum(nps_answer) as sy,
        sum(pillar_score * pillar_score) as sxx,
        sum(nps_answer * nps_answer) as syy,
        sum(pillar_score * nps_answer) as sxy
    from pairs
    group by wave_id, pillar

),

correlated as (

    select
        wave_id,
        pillar,
        n,
        mean_pillar_score,
        (n * sxy - sx * sy)
        / nullif(sqrt(greatest(n * sxx - sx * sx, 0.0) * greatest(n * syy - sy * sy, 0.0)), 0.0) as raw_r
    from sums

),

clamped as (

    select
        correlated.*,
        case
            when correlated.raw_r > 1.0 then 1.0
            when correlated.raw_r < -1.0 then -1.0
            else correlated.raw_r
        end as r
    from correlated

),

fisher as (

    select
        clamped.*,
        parameters.min_respondents,
        case
            when clamped.n > 3 and abs(clamped.r) < 1.0
                then 0.5 * ln((1.0 + clamped.r) / (1.0 - clamped.r))
        end as z,
        case when clamped.n > 3 then parameters.confidence_z / sqrt(clamped.n - 3.0) end as z_half_width
    from clamped
    cross join parameters

),

bounded as (

    select
        fisher.*,
        case
            when abs(fisher.r) = 1.0 and fisher.n > 3 then fisher.r
            else (exp(2.0 * (fisher.z - fisher.z_half_width)) - 1.0) / (exp(2.0 * (fisher.z - fisher.z_half_width)) + 1.0)
        end as r_low,
        case
            when abs(fisher.r) = 1.0 and fisher.n > 3 then fisher.r
            else (exp(2.0 * (fisher.z + fisher.z_half_width)) - 1.0) / (exp(2.0 * (fisher.z + fisher.z_half_width)) + 1.0)
        end as r_high,
        fisher.n < fisher.min_respondents as is_suppressed
    from fisher

),

final as (

    select
        cast(bounded.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(bounded.pillar as {{ dbt.type_string() }}) as pillar,
        cast(waves.survey_kind as {{ dbt.type_string() }}) as survey_kind,
        waves.closed_at as wave_closed_at,
        waves.is_closed as is_wave_closed,
        cast(bounded.n as {{ dbt.type_bigint() }}) as respondents,
        cast(case when not bounded.is_suppressed then bounded.mean_pillar_score end as {{ type_double() }})
            as mean_pillar_score,
        cast(case when not bounded.is_suppressed then bounded.r end as {{ type_double() }}) as coefficient,
        cast(case when not bounded.is_suppressed then bounded.r_low end as {{ type_double() }}) as ci_low,
        cast(case when not bounded.is_suppressed then bounded.r_high end as {{ type_double() }}) as ci_high,
        cast(
            case
                when not bounded.is_suppressed and bounded.r is not null
                    then rank() over (
                            partition by
                                bounded.wave_id,
                                case when not bounded.is_suppressed and bounded.r is not null then 1 else 0 end
                            order by bounded.r desc
                        )
            end as {{ dbt.type_int() }}
        ) as rank,  -- noqa: RF04
        bounded.is_suppressed
    from bounded
    inner join waves
        on bounded.wave_id = waves.wave_id

)

select * from final
