-- Partner Pulse per partner (DESIGN 3): one row per partner per reported wave it was invited to
-- or answered (the unknown member collects invitations and responses unknown to PRM), with
-- invitations, responses, the response rate, and - only for a survey that is not anonymous - the
-- partner's NPS from the shared definition (int_survey_partner_waves <- int_survey_nps_responses,
-- the same numbers the health score's satisfaction component reads), its band and the change since
-- the partner's previous wave of the same survey kind with an NPS. For an anonymous survey every
-- NPS column is null: a partner-level NPS of an anonymous wave could identify its few respondents.
-- nps_answer_band = the NPS category of the partner's mean NPS answer in the wave (promoter >= 9,
-- passive >= 7, detractor below; macro nps_category). Survey fatigue: invitations and responses of
-- the partner in the waves (all kinds) opened in the fatigue_window_months (12) up to this wave's
-- opening, this wave included, and the response rate over them.

with

wave_partners as (

    select * from {{ ref('int_pulse_wave_partners') }}

),

partner_waves as (

    select * from {{ ref('int_survey_partner_waves') }}

),

nps_responses as (

    select * from {{ ref('int_survey_nps_responses') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

mean_answers as (

    select
        wave_id,
        partner_id,
        avg(cast(nps_answer as {{ type_double() }})) as mean_nps_answer
    from nps_responses
    where
        partner_id is not null
        and not is_anonymous
    group by wave_id, partner_id

),

identified_nps as (

    select
        wave_partners.wave_id,
        wave_partners.partner_id,
        wave_partners.survey_kind,
        wave_partners.opened_at,
        partner_waves.respondents as nps_respondents,
        partner_waves.promoters,
        partner_waves.passives,
        partner_waves.detractors,
        partner_waves.nps,
        mean_answers.mean_nps_answer
    from wave_partners
    inner join partner_waves
        on
            wave_partners.wave_id = partner_waves.wave_id
            and wave_partners.partner_id = partner_waves.partner_id
    left join mean_answers
        on
            partner_waves.wave_id = mean_answers.wave_id
            and partner_waves.partner_id = mean_answers.partner_id
    where not wave_partners.is_anonymous

),

nps_history as (

    select
        identified_nps.*,
        lag(identified_nps.nps) over (
            partition by identified_nps.partner_id, identified_nps.survey_kind
            order by identified_nps.opened_at, identified_nps.wave_id
        ) as previous_nps,
        lag(identified_nps.wave_id) over (
            partition by identified_nps.partner_id, identified_nps.survey_kind
            order by identified_nps.opened_at, identified_nps.wave_id
        ) as previous_wave_id
    from identified_nps

),

fatigue as (

    select
        wave_partners.wave_id,
        wave_partners.partner_id,
        sum(earlier.invitations) as invitations_window,
        sum(earlier.uninvited_respondents) as uninvited_window,
        sum(earlier.respondents) as responses_window,
        count(distinct case when earlier.invitations > 0 then earlier.wave_id end) as waves_invited_window
    from wave_partners
    cross join parameters
    inner join wave_partners as earlier
        on
            wave_partners.partner_id = earlier.partner_id
            and wave_partners.opened_at >= earlier.opened_at
            and earlier.opened_at
            > {{ dbt.dateadd('month', '-1 * parameters.fatigue_window_months', 'wave_partners.opened_at') }}
    group by wave_partners.wave_id, wave_partners.partner_id

),

final as (

    select
        cast(wave_partners.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(wave_partners.wave_id as {{ dbt.type_string() }}) as wave_id,
        cast(wave_partners.survey_kind as {{ dbt.type_string() }}) as survey_kind,
        wave_partners.is_anonymous,
        wave_partners.opened_at as wave_opened_at,
        wave_partners.closed_at as wave_closed_at,
        wave_partners.is_closed as is_wave_closed,
        wave_partners.partner_type,
        wave_partners.region,
        wave_partners.tier,
        cast(wave_partners.invitations as {{ dbt.type_bigint() }}) as invited,
        cast(wave_partners.invited_contacts as {{ dbt.type_bigint() }}) as invited_contacts,
        cast(wave_partners.respondents as {{ dbt.type_bigint() }}) as responded,
        cast(
            case
                when wave_partners.invitations > 0
                    then 1.0 * wave_partners.respondents
                        / (wave_partners.invitations + wave_partners.uninvited_respondents)
            end as {{ type_double() }}
        ) as response_rate,
        cast(nps_history.promoters as {{ dbt.type_bigint() }}) as promoters,
        cast(nps_history.passives as {{ dbt.type_bigint() }}) as passives,
        cast(nps_history.detractors as {{ dbt.type_bigint() }}) as detractors,
        cast(nps_history.nps as {{ type_double() }}) as partner_nps,
        cast(nps_history.mean_nps_answer as {{ type_double() }}) as mean_nps_answer,
        cast(
            case
                when nps_history.mean_nps_answer is not null
                    then {{ nps_category('nps_history.mean_nps_answer') }}
            end as {{ dbt.type_string() }}
        ) as nps_answer_band,
        cast(nps_history.previous_wave_id as {{ dbt.type_string() }}) as previous_nps_wave_id,
        cast(nps_history.previous_nps as {{ type_double() }}) as previous_partner_nps,
        cast(nps_history.nps - nps_history.previous_nps as {{ type_double() }}) as change,  -- noqa: RF04
        cast(fatigue.invitations_window as {{ dbt.type_bigint() }}) as invitations_12m,
        cast(fatigue.responses_window as {{ dbt.type_bigint() }}) as responses_12m,
        cast(fatigue.waves_invited_window as {{ dbt.type_bigint() }}) as waves_invited_12m,
        cast(
            case
                when fatigue.invitations_window > 0
                    then 1.0 * fatigue.responses_window / (fatigue.invitations_window + fatigue.uninvited_window)
            end as {{ type_double() }}
        ) as response_rate_12m
    from wave_partners
    left join nps_history
        on
            wave_partners.wave_id = nps_history.wave_id
            and wave_partners.partner_id = nps_history.partner_id
    left join fatigue
        on
            wave_partners.wave_id = fatigue.wave_id
            and wave_partners.partner_id = fatigue.partner_id

)

select * from final
