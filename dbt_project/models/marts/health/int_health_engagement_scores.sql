{{ config(tags=['partitioned_monthly']) }}

-- Health components engagement and enablement (DESIGN 3, seed 003) per partner per month:
--   engagement: mean of the peer percentiles of portal active days and active contacts in the
--     month itself
--   enablement: 70 * min(1, certified people at E / min_certified_people of the partner's tier)
--     + 30 * peer percentile of course completions over the trailing 12 months; missing when
--     the tier requires no certified people (seed tier_requirements, the one definition shared
--     with partner_tier_fit)
-- Nothing is observed before the sources' history starts (is_observed).

{%- set compute_start = add_months(health_write_start(), -3) %}

with

health_months as (

    select * from {{ ref('int_health_months') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

tier_requirements as (

    select * from {{ ref('tier_requirements') }}

),

trailing_measures as (

    select
        partner_id,
        month_start,
        partner_type,
        tier,
        is_observed,
        portal_active_days,
        portal_active_contacts,
        certified_contacts,
        sum(course_completions) over (
            partition by partner_id order by month_index range between 11 preceding and current row
        ) as course_completions_12m
    from health_months

),

measures as (

    select
        trailing_measures.partner_id,
        trailing_measures.month_start,
        trailing_measures.partner_type,
        trailing_measures.tier,
        case when trailing_measures.is_observed then trailing_measures.portal_active_days end
            as active_days_measure,
        case when trailing_measures.is_observed then trailing_measures.portal_active_contacts end
            as active_contacts_measure,
        case when trailing_measures.is_observed then trailing_measures.course_completions_12m end
            as completions_measure,
        case when trailing_measures.is_observed then trailing_measures.certified_contacts end
            as certified_people,
        case
            when tier_requirements.min_certified_people > 0
                then tier_requirements.min_certified_people
        end as required_certified_people
    from trailing_measures
    left join tier_requirements
        on trailing_measures.tier = tier_requirements.tier
    where trailing_measures.month_start >= {{ compute_start }}

),

percentiles as (

    select
        measures.*,
    {%- for measure in ['active_days', 'active_contacts', 'completions'] %}
        {{ health_peer_percentile('measures.' ~ measure ~ '_measure', 'parameters.peer_min_group_size') }}
            as {{ measure }}_percentile{{ "," if not loop.last }}
    {%- endfor %}
    from measures
    cross join parameters

),

final as (

    select
        partner_id,
        month_start,
        active_days_measure as portal_active_days,
        active_contacts_measure as portal_active_contacts,
        completions_measure as course_completions_12m,
        certified_people,
        required_certified_people,
        (active_days_percentile + active_contacts_percentile) / 2.0 as engagement_score,
        case
            when required_certified_people is not null and certified_people is not null
                then 70.0 * least(1.0, 1.0 * certified_people / required_certified_people)
                    + 0.3 * completions_percentile
        end as enablement_score
    from percentiles

)

select * from final
