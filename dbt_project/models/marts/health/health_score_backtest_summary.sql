-- One row: the backtest of health_score_backtest pooled over all complete months (the last six
-- months, whose outcomes are not complete, are not in it). auc = sum of concordant pairs / sum
-- of (stayer, churner) pairs over the months, i.e. pairs are only formed within a month; churn
-- rates are partner-months churned within 6 months / partner-months of the band (computed band).

with

backtest as (

    select * from {{ ref('health_score_backtest') }}

),

-- The methodology version(s) of the scores backtested ('a / b' when months were scored by two).
methodology as (

    select
        case
            when min(methodology_version) = max(methodology_version) then max(methodology_version)
            else min(methodology_version) || ' / ' || max(methodology_version)
        end as methodology_version
    from backtest
    where band = 'all'

),

pooled as (

    select
        sum(case when band = 'all' then auc_concordant_pairs else 0 end) as auc_concordant_pairs,
        sum(case when band = 'all' then auc_pairs else 0 end) as auc_pairs,
        sum(case when band = 'healthy' then churned_6m else 0 end) as churned_healthy,
        sum(case when band = 'healthy' then partners else 0 end) as partners_healthy,
        sum(case when band = 'watch' then churned_6m else 0 end) as churned_watch,
        sum(case when band = 'watch' then partners else 0 end) as partners_watch,
        sum(case when band = 'at_risk' then churned_6m else 0 end) as churned_at_risk,
        sum(case when band = 'at_risk' then partners else 0 end) as partners_at_risk,
        sum(case when band = 'all' then churned_6m else 0 end) as churned_all,
        sum(case when band = 'all' then partners else 0 end) as partners_all,
        count(distinct case when band = 'all' then month_start end) as months_covered,
        min(month_start) as first_month_start,
        max(month_start) as last_month_start
    from backtest

),

final as (

    select
        cast(
            case when pooled.auc_pairs > 0 then pooled.auc_concordant_pairs / pooled.auc_pairs end
            as {{ type_double() }}
        ) as auc,
        cast(
            case when pooled.partners_healthy > 0 then 1.0 * pooled.churned_healthy / pooled.partners_healthy end
            as {{ type_double() }}
        ) as churn_rate_healthy,
        cast(
            case when pooled.partners_watch > 0 then 1.0 * pooled.churned_watch / pooled.partners_watch end
            as {{ type_double() }}
        ) as churn_rate_watch,
        cast(
            case
                when pooled.partners_at_risk > 0 then 1.0 * pooled.churned_at_risk / pooled.partners_at_risk
            end as {{ type_double() }}
        ) as churn_rate_at_risk,
        cast(
            case when pooled.partners_all > 0 then 1.0 * pooled.churned_all / pooled.partners_all end
            as {{ type_double() }}
        ) as churn_rate_all,
        cast(pooled.months_covered as {{ dbt.type_bigint() }}) as months_covered,
        cast(coalesce(pooled.partners_all, 0) as {{ dbt.type_bigint() }}) as partner_months,
        cast(coalesce(pooled.churned_all, 0) as {{ dbt.type_bigint() }}) as churned_partner_months,
        cast(coalesce(pooled.auc_pairs, 0) as {{ type_double() }}) as auc_pairs,
        pooled.first_month_start,
        pooled.last_month_start,
        methodology.methodology_version
    from pooled
    cross join methodology

)

select * from final
