-- One row per reported wave x segment cell x metric observed in the wave (a cell without
-- observations of a metric gets the row with metric_respondents 0 and a null value): the
-- unsuppressed value and its sampling variance V (DESIGN 3), on the metric's 0-100 / -100..100
-- / 1-5 scale:
--   nps         value = 100 * (promoters - detractors) / n (macro nps_from_counts); V from one
--               pseudo-count added to each of promoters, passives and detractors (n' = n + 3):
--               pP = (promoters + 1) / n', pD = (detractors + 1) / n',
--               V = 10^4 * ((pP + pD) - (pP - pD)^2) / n'.
--   csat_top2   value = share of CSAT answers in the top box, in %; V = p (100 - p) / n.
--   csat_mean,  value = mean; V = s^2 / n with the sample variance s^2 (null for n = 1).
--   pillar_<p>
-- Suppression is applied downstream (partner_pulse_results); this model is not published.

with

observations as (

    select * from {{ ref('int_pulse_observations') }}

),

wave_partners as (

    select * from {{ ref('int_pulse_wave_partners') }}

),

cells as (

    select * from {{ ref('int_pulse_cells') }}

),

located as (

    select
        observations.wave_id,
        observations.metric,
        observations.observed_value,
        observations.nps_category,
        wave_partners.partner_type,
        wave_partners.region,
        wave_partners.tier
    from observations
    inner join wave_partners
        on
            observations.wave_id = wave_partners.wave_id
            and observations.partner_id = wave_partners.partner_id

),

segmented as (

    {%- for segment_type in pulse_segment_types() %}
        select
            wave_id,
            '{{ segment_type }}' as segment_type,
            {{ pulse_segment_value(segment_type) }} as segment_value,
            metric,
            observed_value,
            nps_category
        from located
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

sums as (

    select
        wave_id,
        segment_type,
        segment_value,
        metric,
        count(*) as metric_respondents,
        sum(observed_value) as sum_value,
        sum(observed_value * observed_value) as sum_sq_value,
        sum(case when nps_category = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_category = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_category = 'detractor' then 1 else 0 end) as detractors
    from segmented
    group by wave_id, segment_type, segment_value, metric

),

wave_metrics as (

    select distinct
        wave_id,
        metric
    from observations

),

cell_metrics as (

    select
        cells.wave_id,
        cells.segment_type,
        cells.segment_value,
        wave_metrics.metric
    from cells
    inner join wave_metrics
        on cells.wave_id = wave_metrics.wave_id

),

stats as (

    select
        cell_metrics.wave_id,
        cell_metrics.segment_type,
        cell_metrics.segment_value,
        cell_metrics.metric,
        coalesce(sums.metric_respondents, 0) as metric_respondents,
        coalesce(sums.promoters, 0) as promoters,
        coalesce(sums.passives, 0) as passives,
        coalesce(sums.detractors, 0) as detractors,
        sums.sum_value / sums.metric_respondents as mean_value,
        case
            when sums.metric_respondents > 1
                then
                    (sums.sum_sq_value - sums.sum_value * sums.sum_value / sums.metric_respondents)
                    / (sums.metric_respondents - 1)
        end as sample_variance,
        (sums.promoters + 1.0) / (sums.metric_respondents + 3.0) as pseudo_promoter_share,
        (sums.detractors + 1.0) / (sums.metric_respondents + 3.0) as pseudo_detractor_share
    from cell_metrics
    left join sums
        on
            cell_metrics.wave_id = sums.wave_id
            and cell_metrics.segment_type = sums.segment_type
            and cell_metrics.segment_value = sums.segment_value
            and cell_metrics.metric = sums.metric

),

final as (

    select
        wave_id,
        segment_type,
        segment_value,
        metric,
        metric_respondents,
        promoters,
        passives,
        detractors,
        case
            when metric = 'nps' then {{ nps_from_counts('promoters', 'detractors', 'metric_respondents') }}
            else mean_value
        end as metric_value,
        case
            when metric_respondents = 0 then null
            when metric = 'nps'
                then
                    10000.0 * (
                        (pseudo_promoter_share + pseudo_detractor_share)
                        - (pseudo_promoter_share - pseudo_detractor_share)
                        * (pseudo_promoter_share - pseudo_detractor_share)
                    ) / (metric_respondents + 3.0)
            when metric = 'csat_top2' then mean_value * (100.0 - mean_value) / metric_respondents
            else greatest(sample_variance, 0.0) / metric_respondents
        end as sampling_variance
    from stats

)

select * from final
