-- Backtest of the Partner Health Score (DESIGN 3): does the score predict churn? For each month M
-- with scores whose six-month outcome window has passed (month_start + 7 months <= as_of_date), among the
-- partners with a health row in M that are not terminated before the month end E: the share of
-- each computed band that terminates in months M+1..M+6, and per month (band 'all') the AUC =
-- P(score of a partner who stays > score of one who churns), ties counting 1/2, on the continuous
-- health_score of the partners in a real band (healthy, watch, at_risk). The AUC is the
-- Mann-Whitney U of the stayers from mid-ranks; auc_pairs and auc_concordant_pairs let
-- health_score_backtest_summary pool months. Overrides are ignored (computed_band).

{%- set real_bands = "('healthy', 'watch', 'at_risk')" %}

with

health_scores as (

    select * from {{ ref('partner_health_score') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

-- Months before the sources' history starts have no scores: they are not backtested.
scored_months as (

    select distinct month_start
    from health_scores
    where health_score is not null

),

population as (

    select
        health_scores.partner_id,
        health_scores.month_start,
        health_scores.health_score,
        health_scores.computed_band,
        health_scores.methodology_version,
        coalesce(
            partners.terminated_at
            < cast({{ add_months('health_scores.month_start', 7) }} as {{ dbt.type_timestamp() }}),
            false
        ) as is_churned_6m
    from health_scores
    inner join scored_months
        on health_scores.month_start = scored_months.month_start
    inner join partners
        on health_scores.partner_id = partners.partner_id
    where
        {{ add_months('health_scores.month_start', 7) }} <= {{ as_of_date() }}
        and (
            partners.terminated_at is null
            or partners.terminated_at
            >= cast({{ add_months('health_scores.month_start', 1) }} as {{ dbt.type_timestamp() }})
        )

),

band_rows as (

    select
        month_start,
        computed_band as band,
        count(*) as partners,
        sum(case when is_churned_6m then 1 else 0 end) as churned_6m,
        avg(cast(health_score as {{ type_double() }})) as mean_health_score,
        max(methodology_version) as methodology_version
    from population
    group by month_start, computed_band

),

ranked as (

    select
        month_start,
        is_churned_6m,
        rank() over (partition by month_start order by health_score)
        + (count(*) over (partition by month_start, health_score) - 1) / 2.0 as mid_rank
    from population
    where
        computed_band in {{ real_bands }}
        and health_score is not null

),

rank_sums as (

    select
        month_start,
        sum(case when is_churned_6m then 0 else 1 end) as stayers,
        sum(case when is_churned_6m then 1 else 0 end) as churners,
        sum(case when is_churned_6m then 0 else mid_rank end) as stayer_rank_sum
    from ranked
    group by month_start

),

auc_by_month as (

    select
        month_start,
        cast(stayers * churners as {{ type_double() }}) as auc_pairs,
        stayer_rank_sum - stayers * (stayers + 1) / 2.0 as auc_concordant_pairs
    from rank_sums

),

all_rows as (

    select
        population.month_start,
        'all' as band,
        count(*) as partners,
        sum(case when population.is_churned_6m then 1 else 0 end) as churned_6m,
        avg(cast(population.health_score as {{ type_double() }})) as mean_health_score,
        max(population.methodology_version) as methodology_version
    from population
    group by population.month_start

),

final as (

    select
        band_rows.month_start,
        band_rows.band,
        cast(band_rows.partners as {{ dbt.type_bigint() }}) as partners,
        cast(band_rows.churned_6m as {{ dbt.type_bigint() }}) as churned_6m,
        cast(1.0 * band_rows.churned_6m / band_rows.partners as {{ type_double() }}) as churn_rate_6m,
        band_rows.mean_health_score,
        cast(null as {{ type_double() }}) as auc,
        cast(null as {{ type_double() }}) as auc_pairs,
        cast(null as {{ type_double() }}) as auc_concordant_pairs,
        band_rows.methodology_version
    from band_rows
    union all
    select
        all_rows.month_start,
        all_rows.band,
        cast(all_rows.partners as {{ dbt.type_bigint() }}) as partners,
        cast(all_rows.churned_6m as {{ dbt.type_bigint() }}) as churned_6m,
        cast(1.0 * all_rows.churned_6m / all_rows.partners as {{ type_double() }}) as churn_rate_6m,
        all_rows.mean_health_score,
        cast(
            case
                when auc_by_month.auc_pairs > 0
                    then auc_by_month.auc_concordant_pairs / auc_by_month.auc_pairs
            end as {{ type_double() }}
        ) as auc,
        coalesce(auc_by_month.auc_pairs, 0.0) as auc_pairs,
        coalesce(auc_by_month.auc_concordant_pairs, 0.0) as auc_concordant_pairs,
        all_rows.methodology_version
    from all_rows
    left join auc_by_month
        on all_rows.month_start = auc_by_month.month_start

)

select * from final
