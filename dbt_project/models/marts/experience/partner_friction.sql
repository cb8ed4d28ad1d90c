-- Partner friction (DESIGN 3 "Partner Experience"): one row per touchpoint x persona
-- (partner_type as of the month end) x closed month. The open month is left out (closed-month
-- rule): a month to date is never compared with full months. Per row: median and p90 of the
-- touchpoint's measure (rounded to 0.01; rates to 0.0001) (int_experience_friction_events: registration wait hours including
-- expired-undecided registrations, MDF payout days, support resolution hours, onboarding days,
-- training completion days, portal events per active contact), the touchpoint's rate
-- (registration rejection rate; portal events per active contact), and the mean transactional
-- CSAT (1-5) of the survey answers tagged with the touchpoint, published from
-- csat_min_respondents distinct responses (seed experience_settings). Each of median, rate and
-- csat is compared with the median of its own values over the trailing_months closed months
-- before the row (at least min_trailing_months with a value); worse by more than
-- worsening_tolerance (higher for waits, durations and rejections; lower for portal activity
-- and CSAT) sets is_<metric>_worsening, and is_worsening is any of them.

with

events as (

    select * from {{ ref('int_experience_friction_events') }}

),

answers as (

    select * from {{ ref('fct_survey_answer') }}

),

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

settings as (

    select * from {{ ref('experience_settings') }}

),

measures as (

    select
        touchpoint,
        persona,
        month_start,
        count(*) as events,
        {{ percentile_cont('measured_value', 0.5) }} as median_value,
        {{ percentile_cont('measured_value', 0.9) }} as p90_value,
        sum(rate_numerator) / nullif(sum(rate_denominator), 0) as rate_value
    from events
    where {{ month_is_closed('month_start') }}
    group by touchpoint, persona, month_start

),

csat_answers as (

    select
        answers.touchpoint,
        partner_months.partner_type as persona,
        partner_months.month_start,
        answers.response_id,
        answers.numeric_value
    from answers
    inner join partner_months
        on
            answers.partner_id = partner_months.partner_id
            and {{ month_start('answers.submitted_at') }} = partner_months.month_start
    where
        answers.survey_kind = 'transactional'
        and answers.question_type = 'csat'
        and answers.touchpoint is not null
        and answers.numeric_value is not null
        and not partner_months.is_unknown_member
        and {{ month_is_closed('partner_months.month_start') }}

),

csat as (

    select
        csat_answers.touchpoint,
        csat_answers.persona,
        csat_answers.month_start,
        count(distinct csat_answers.response_id) as csat_respondents,
        case
            when count(distinct csat_answers.response_id) >= max(settings.csat_min_respondents)
                then avg(csat_answers.numeric_value)
        end as csat
    from csat_answers
    cross join settings
    group by csat_answers.touchpoint, csat_answers.persona, csat_answers.month_start

),

keys as (

    select
        touchpoint,
        persona,
        month_start
    from measures
    union
    select
        touchpoint,
        persona,
        month_start
    from csat

),

monthly as (

    select
        keys.touchpoint,
        keys.persona,
        keys.month_start,
        coalesce(measures.events, 0) as events,
        measures.median_value,
        measures.p90_value,
        measures.rate_value,
        coalesce(csat.csat_respondents, 0) as csat_respondents,
        csat.csat
    from keys
    left join measures
        on
            keys.touchpoint = measures.touchpoint
            and keys.persona = measures.persona
            and keys.month_start = measures.month_start
    left join csat
        on
            keys.touchpoint = csat.touchpoint
            and keys.persona = csat.persona
            and keys.month_start = csat.month_start

),

trailing_values as (

    select
        monthly.touchpoint,
        monthly.persona,
        monthly.month_start,
        count(earlier.median_value) as trailing_median_months,
        count(earlier.rate_value) as trailing_rate_months,
        count(earlier.csat) as trailing_csat_months,
        {{ percentile_cont('earlier.median_value', 0.5) }} as trailing_median,
        {{ percentile_cont('earlier.rate_value', 0.5) }} as trailing_rate_median,
        {{ percentile_cont('earlier.csat', 0.5) }} as trailing_csat_median
    from monthly
    cross join settings
    inner join monthly as earlier
        on
            monthly.touchpoint = earlier.touchpoint
            and monthly.persona = earlier.persona
            and monthly.month_start > earlier.month_start
            and earlier.month_start >= {{ dbt.dateadd('month', '-1 * settings.trailing_months', 'monthly.month_start') }}
    group by monthly.touchpoint, monthly.persona, monthly.month_start

),

compared as (

    select
        monthly.*,
        case when trailing_stats.trailing_median_months >= settings.min_trailing_months then trailing_stats.trailing_median end
            as trailing_median,
        case when trailing_stats.trailing_rate_months >= settings.min_trailing_months then trailing_stats.trailing_rate_median end
            as trailing_rate_median,
        case when trailing_stats.trailing_csat_months >= settings.min_trailing_months then trailing_stats.trailing_csat_median end
            as trailing_csat_median,
        settings.worsening_tolerance,
        monthly.touchpoint = 'portal' as is_lower_worse
    from monthly
    cross join settings
    left join trailing_values as trailing_stats
        on
            monthly.touchpoint = trailing_stats.touchpoint
            and monthly.persona = trailing_stats.persona
            and monthly.month_start = trailing_stats.month_start

),

flagged as (

    select
        compared.*,
        case
            when compared.median_value is null or compared.trailing_median is null then null
            when compared.is_lower_worse then compared.median_value < compared.trailing_median * (1 - compared.worsening_tolerance)
            else compared.median_value > compared.trailing_median * (1 + compared.worsening_tolerance)
        end as is_median_worsening,
        case
            when compared.rate_value is null or compared.trailing_rate_median is null then null
            when compared.is_lower_worse then compared.rate_value < compared.trailing_rate_median * (1 - compared.worsening_tolerance)
            else compared.rate_value > compared.trailing_rate_median * (1 + compared.worsening_tolerance)
        end as is_rate_worsening,
        case
            when compared.csat is null or compared.trailing_csat_median is null then null
            else compared.csat < compared.trailing_csat_median * (1 - compared.worsening_tolerance)
        end as is_csat_worsening
    from compared

),

final as (

    select
        cast(touchpoint as {{ dbt.type_string() }}) as touchpoint,
        cast(persona as {{ dbt.type_string() }}) as persona,
        month_start,
        cast(
            case touchpoint
                when 'deal_registration' then 'registration_wait_hours'
                when 'mdf' then 'mdf_payout_days'
                when 'support' then 'support_resolution_hours'
                when 'onboarding' then 'onboarding_days'
                when 'training' then 'course_completion_days'
                when 'portal' then 'portal_events_per_active_contact'
            end
            as {{ dbt.type_string() }}
        ) as metric,
        cast(
            case touchpoint
                when 'deal_registration' then 'rejection_rate'
                when 'portal' then 'events_per_active_contact'
            end
            as {{ dbt.type_string() }}
        ) as rate_metric,
        cast(events as {{ dbt.type_bigint() }}) as events,
        cast(round(median_value, 2) as {{ type_double() }}) as median,
        cast(round(p90_value, 2) as {{ type_double() }}) as p90,
        cast(round(rate_value, 4) as {{ type_double() }}) as rate,
        cast(csat_respondents as {{ dbt.type_bigint() }}) as csat_respondents,
        cast(round(csat, 2) as {{ type_double() }}) as csat,
        cast(round(trailing_median, 2) as {{ type_double() }}) as trailing_median,
        cast(round(trailing_rate_median, 4) as {{ type_double() }}) as trailing_rate_median,
        cast(round(trailing_csat_median, 2) as {{ type_double() }}) as trailing_csat_median,
        is_median_worsening,
        is_rate_worsening,
        is_csat_worsening,
        coalesce(is_median_worsening, false)
        or coalesce(is_rate_worsening, false)
        or coalesce(is_csat_worsening, false) as is_worsening,
        false as is_provisional
    from flagged

)

select * from final
