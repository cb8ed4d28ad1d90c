{{ config(tags=['partitioned_monthly']) }}

-- Health component satisfaction (DESIGN 3, seed 003) per partner per month: (NPS + 100) / 2 of
-- the partner's latest relationship or pulse survey wave closed before E and at most
-- survey_max_age_months old, carried forward between waves; missing without such a wave.
-- Eligibility of a wave at partner level: an anonymous wave needs at least survey_min_respondents
-- NPS respondents of the partner (the pulse k: fewer could identify who answered); a
-- non-anonymous wave needs survey_min_respondents_identified (default 1) - the partner knows who
-- answered, so no anonymity is at stake. Transactional surveys measure touchpoints, not the
-- relationship, and feed the friction mart instead. NPS comes from the shared definition
-- (int_survey_partner_waves <- int_survey_nps_responses).

{%- set compute_start = add_months(health_write_start(), -3) %}

with

health_months as (

    select * from {{ ref('int_health_months') }}

),

partner_waves as (

    select * from {{ ref('int_survey_partner_waves') }}

),

parameters as (

    select * from {{ ref('int_health_parameters') }}

),

eligible_waves as (

    select partner_waves.*
    from partner_waves
    cross join parameters
    where
        partner_waves.survey_kind in ('relationship', 'pulse')
        and partner_waves.respondents >= case
            when partner_waves.is_anonymous then parameters.survey_min_respondents
            else parameters.survey_min_respondents_identified
        end
        and partner_waves.wave_closed_at < {{ as_of_cutoff() }}

),

ranked_waves as (

    select
        health_months.partner_id,
        health_months.month_start,
        eligible_waves.wave_id,
        eligible_waves.respondents,
        eligible_waves.nps,
        row_number() over (
            partition by health_months.partner_id, health_months.month_start
            order by eligible_waves.wave_closed_at desc, eligible_waves.wave_id desc
        ) as wave_rank
    from health_months
    cross join parameters
    inner join eligible_waves
        on
            health_months.partner_id = eligible_waves.partner_id
            and health_months.state_at > eligible_waves.wave_closed_at
            and eligible_waves.wave_closed_at
            >= {{ dbt.dateadd('month', '-1 * parameters.survey_max_age_months', 'health_months.state_at') }}
    where
        health_months.month_start >= {{ compute_start }}
        and health_months.is_observed

),

final as (

    select
        health_months.partner_id,
        health_months.month_start,
        ranked_waves.wave_id as satisfaction_wave_id,
        ranked_waves.respondents as satisfaction_respondents,
        ranked_waves.nps as satisfaction_nps,
        (ranked_waves.nps + 100.0) / 2.0 as satisfaction_score
    from health_months
    left join ranked_waves
        on
            health_months.partner_id = ranked_waves.partner_id
            and health_months.month_start = ranked_waves.month_start
            and ranked_waves.wave_rank = 1
    where health_months.month_start >= {{ compute_start }}

)

select * from final
