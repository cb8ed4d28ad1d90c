-- Partner alerts (DESIGN 3 "Alerts"): one row per partner per month per rule that fired, for the
-- real partners active in the month - a row of fct_partner_month before the partner's termination
-- month (no alert in or after it; not the unknown member) - with the rule's severity from seed
-- alert_rules (a rule whose row is deleted is switched off) and a message a partner manager can
-- act on. Month end E = month_end, or the end of the as_of day for the provisional month (as in
-- fct_partner_month); events after the as_of day are ignored. Target-based rules never fire in
-- an open month (closed-month rule); event rules (SLA, expiring certifications) may.
--   early_warning: partner_health_score.early_warning in the month (computed scores: overrides
--     change `band` only, never the early warning; never in an open month).
--   band_to_at_risk: computed_band is at_risk in M and healthy or watch in M-1 (a move from
--     insufficient_data, or a month without a previous score, does not count; open months have
--     no band).
--   registration_sla_breached (threshold = SLA hours): registrations that stopped waiting in M
--     (fct_deal_registration.closed_at: approved, rejected, or expired undecided - the worst
--     breach) more than SLA hours after submission, plus registrations still waiting at E more
--     than SLA hours after submission. Exactly at the SLA is not a breach. A registration waiting
--     across several month ends counts in each of them and again in the month it closes late.
--   certification_expiring (threshold = days): certifications valid at E (issued_at < E <=
--     expires_at) expiring at most `threshold` days after E.
--   tier_downgrade_due: partner_tier_fit recommends a lower tier with a full 12-month window
--     (has_full_window). partner_tier_fit evaluates the last closed month only, so the alert is
--     for that month (no history).
--   pulse_detractor_or_drop (threshold = NPS points): in the month a relationship or pulse survey
--     wave closed (before the as_of day), the partner's NPS in it (partner_pulse_partner, only
--     for surveys that are not anonymous - never for an anonymous one) has the detractor band
--     (mean answer below 7) or fell by at least `threshold` points since its previous wave of
--     the same kind. Several such waves in a month: the lowest NPS is reported.

with

partner_months as (

    select * from {{ ref('fct_partner_month') }}

),

health_scores as (

    select * from {{ ref('partner_health_score') }}

),

registrations as (

    select * from {{ ref('fct_deal_registration') }}

),

certifications as (

    select * from {{ ref('fct_certification') }}

),

tier_recommendations as (

    select * from {{ ref('partner_tier_fit') }}

),

pulse_partners as (

    select * from {{ ref('partner_pulse_partner') }}

),

alert_rules as (

    select * from {{ ref('alert_rules') }}

),

-- ---------------------------------------------------------------- configuration

rule_thresholds as (

    select
        max(case when rule = 'registration_sla_breached' then threshold end) as sla_hours,
        max(case when rule = 'certification_expiring' then threshold end) as expiry_days,
        max(case when rule = 'pulse_detractor_or_drop' then threshold end) as pulse_drop_points
    from alert_rules

),

threshold_labels as (

    select
        sla_hours,
        expiry_days,
        case
            when sla_hours = round(sla_hours, 0)
                then cast(cast(sla_hours as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
            else cast(sla_hours as {{ dbt.type_string() }})
        end as sla_hours_label,
        case
            when expiry_days = round(expiry_days, 0)
                then cast(cast(expiry_days as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
            else cast(expiry_days as {{ dbt.type_string() }})
        end as expiry_days_label
    from rule_thresholds

),

partners as (

    select * from {{ ref('dim_partner') }}

),

active_months as (

    select
        partner_months.partner_id,
        partner_months.month_start,
        partner_months.partner_type,
        partner_months.tier,
        partner_months.region,
        partner_months.is_provisional,
        cast(partner_months.month_start as {{ dbt.type_timestamp() }}) as month_start_at,
        {{ month_state_at('partner_months.month_start') }} as state_at,
        case when partner_months.is_provisional then 'today' else 'month end' end as state_label,
        case when partner_months.is_provisional then 'today' else 'at month end' end as state_phrase
    from partner_months
    inner join partners
        on partner_months.partner_id = partners.partner_id
    where
        not partner_months.is_unknown_member
        and (
            partners.terminated_at is null
            or partner_months.month_start < {{ month_start('partners.terminated_at') }}
        )

),

-- ---------------------------------------------------------------- health rules

early_warning_alerts as (

    select
        partner_id,
        month_start,
        'early_warning' as alert_rule,
        'delta_3m' as metric_name,
        cast(delta_3m as {{ type_double() }}) as metric_value,
        'Early warning: '
        || coalesce(early_warning_reason, 'health score declining')
        || '. Health score '
        || coalesce(cast(health_score_3m_ago as {{ dbt.type_string() }}) || '→', '')
        || coalesce(cast(health_score as {{ dbt.type_string() }}), 'n/a')
        || case when health_score_3m_ago is not null then ' over 3 months' else '' end
        || coalesce('; largest driver last month: ' || top_driver, '')
        || coalesce(' (' || explanation || ')', '')
        || '. Review the account plan with the partner.' as message
    from health_scores
    where early_warning

),

band_changes as (

    select
        current_month.partner_id,
        current_month.month_start,
        current_month.health_score,
        current_month.delta_1m,
        current_month.top_driver,
        previous_month.computed_band as previous_band,
        previous_month.health_score as previous_health_score
    from health_scores as current_month
    inner join health_scores as previous_month
        on
            current_month.partner_id = previous_month.partner_id
            and {{ add_months('current_month.month_start', -1) }} = previous_month.month_start
    where
        current_month.computed_band = 'at_risk'
        and previous_month.computed_band in ('healthy', 'watch')

),

band_to_at_risk_alerts as (

    select
        partner_id,
        month_start,
        'band_to_at_risk' as alert_rule,
        'delta_1m' as metric_name,
        cast(delta_1m as {{ type_double() }}) as metric_value,
        'Health band dropped from '
        || previous_band
        || ' to at_risk: score '
        || coalesce(cast(previous_health_score as {{ dbt.type_string() }}), 'n/a')
        || '→'
        || coalesce(cast(health_score as {{ dbt.type_string() }}), 'n/a')
        || coalesce('; largest driver: ' || top_driver, '')
        || '. Agree a recovery plan with the partner.' as message
    from band_changes

),

-- ---------------------------------------------------------------- registration approval SLA

late_decisions as (

    select
        active_months.partner_id,
        active_months.month_start,
        case when registrations.is_expired then 'expired' else 'decided' end as breach_kind,
        registrations.wait_hours as breach_hours
    from active_months
    cross join rule_thresholds
    inner join registrations
        on
            active_months.partner_id = registrations.partner_id
            and active_months.month_start_at <= registrations.closed_at
            and active_months.state_at > registrations.closed_at
    where registrations.wait_hours > rule_thresholds.sla_hours

),

overdue_pending as (

    select
        active_months.partner_id,
        active_months.month_start,
        'pending' as breach_kind,
        {{ hours_between('registrations.submitted_at', 'active_months.state_at') }} as breach_hours
    from active_months
    cross join rule_thresholds
    inner join registrations
        on
            active_months.partner_id = registrations.partner_id
            and active_months.state_at > registrations.submitted_at
            and (
                registrations.closed_at is null
                or active_months.state_at <= registrations.closed_at
            )
    where
        {{ hours_between('registrations.submitted_at', 'active_months.state_at') }}
        > rule_thresholds.sla_hours

),

sla_breaches as (

    select * from late_decisions
    union all
    select * from overdue_pending

),

sla_summary as (

    select
        partner_id,
        month_start,
        count(*) as breaches,
        sum(case when breach_kind = 'decided' then 1 else 0 end) as late_decisions,
        max(case when breach_kind = 'decided' then breach_hours end) as worst_decision_hours,
        sum(case when breach_kind = 'expired' then 1 else 0 end) as expired_undecided,
        sum(case when breach_kind = 'pending' then 1 else 0 end) as overdue_pending,
        max(case when breach_kind = 'pending' then breach_hours end) as oldest_pending_hours
    from sla_breaches
    group by partner_id, month_start

),

registration_sla_alerts as (

    select
        sla_summary.partner_id,
        sla_summary.month_start,
        'registration_sla_breached' as alert_rule,
        'registrations_breaching_sla' as metric_name,
        cast(sla_summary.breaches as {{ type_double() }}) as metric_value,
        case
            when sla_summary.late_decisions > 0
                then cast(sla_summary.late_decisions as {{ dbt.type_string() }})
                    || ' deal registration(s) decided after the '
                    || threshold_labels.sla_hours_label
                    || ' h approval SLA this month (worst '
                    || cast(
                        cast(round(sla_summary.worst_decision_hours, 1) as decimal(12, 1))
                        as {{ dbt.type_string() }}
                    )
                    || ' h)'
            else ''
        end
        || case
            when sla_summary.expired_undecided > 0
                then case when sla_summary.late_decisions > 0 then '; ' else '' end
                    || cast(sla_summary.expired_undecided as {{ dbt.type_string() }})
                    || ' deal registration(s) expired this month without any decision'
            else ''
        end
        || case
            when
                (sla_summary.late_decisions > 0 or sla_summary.expired_undecided > 0)
                and sla_summary.overdue_pending > 0
                then '; '
            else ''
        end
        || case
            when sla_summary.overdue_pending > 0
                then cast(sla_summary.overdue_pending as {{ dbt.type_string() }})
                    || ' deal registration(s) still awaiting a decision past the '
                    || threshold_labels.sla_hours_label
                    || ' h SLA '
                    || active_months.state_phrase
                    || ' (oldest '
                    || cast(
                        cast(round(sla_summary.oldest_pending_hours, 1) as decimal(12, 1))
                        as {{ dbt.type_string() }}
                    )
                    || ' h)'
            else ''
        end
        || case
            when sla_summary.overdue_pending > 0
                then '. Chase the pending decisions with the channel desk.'
            else '. Review the approval turnaround with the channel desk.'
        end as message
    from sla_summary
    cross join threshold_labels
    inner join active_months
        on
            sla_summary.partner_id = active_months.partner_id
            and sla_summary.month_start = active_months.month_start

),

-- ---------------------------------------------------------------- certifications

expiring_certifications as (

    select
        active_months.partner_id,
        active_months.month_start,
        active_months.state_label,
        count(*) as expiring_certifications,
        count(distinct certifications.contact_id) as expiring_contacts,
        min(certifications.expires_at) as first_expires_at
    from active_months
    cross join rule_thresholds
    inner join certifications
        on
            active_months.partner_id = certifications.partner_id
            and active_months.state_at > certifications.issued_at
            and active_months.state_at <= certifications.expires_at
    where
        {{ hours_between('active_months.state_at', 'certifications.expires_at') }}
        <= rule_thresholds.expiry_days * 24
    group by active_months.partner_id, active_months.month_start, active_months.state_label

),

certification_alerts as (

    select
        expiring_certifications.partner_id,
        expiring_certifications.month_start,
        'certification_expiring' as alert_rule,
        'certifications_expiring' as metric_name,
        cast(expiring_certifications.expiring_certifications as {{ type_double() }}) as metric_value,
        cast(expiring_certifications.expiring_certifications as {{ dbt.type_string() }})
        || ' certification(s) of '
        || cast(expiring_certifications.expiring_contacts as {{ dbt.type_string() }})
        || ' contact(s) expire within '
        || threshold_labels.expiry_days_label
        || ' days of '
        || expiring_certifications.state_label
        || ' (earliest '
        || cast(cast(expiring_certifications.first_expires_at as date) as {{ dbt.type_string() }})
        || '). Plan the renewals with the partner enablement lead.' as message
    from expiring_certifications
    cross join threshold_labels

),

-- ---------------------------------------------------------------- tier

tier_downgrades as (

    select
        partner_id,
        evaluation_month as month_start,
        'tier_downgrade_due' as alert_rule,
        'tier_steps' as metric_name,
        cast(tier_steps as {{ type_double() }}) as metric_value,
        'Tier review: qualifies for '
        || recommended_tier
        || ', below the current '
        || current_tier
        || ' (trailing 12 months: '
        || cast(cast(round(revenue_12m_usd, 0) as decimal(18, 0)) as {{ dbt.type_string() }})
        || ' USD attributed revenue, '
        || cast(registrations_12m as {{ dbt.type_string() }})
        || ' approved registrations, '
        || cast(certified_people as {{ dbt.type_string() }})
        || ' certified people)'
        || case
            when next_tier is not null
                then '; to reach '
                    || next_tier
                    || ' it lacks '
                    || substring(
                        case
                            when revenue_gap_to_next_tier_usd > 0
                                then ', '
                                    || cast(
                                        cast(round(revenue_gap_to_next_tier_usd, 0) as decimal(18, 0))
                                        as {{ dbt.type_string() }}
                                    )
                                    || ' USD revenue'
                            else ''
                        end
                        || case
                            when certified_people_gap_to_next_tier > 0
                                then ', '
                                    || cast(certified_people_gap_to_next_tier as {{ dbt.type_string() }})
                                    || ' certified people'
                            else ''
                        end
                        || case
                            when registrations_gap_to_next_tier > 0
                                then ', '
                                    || cast(registrations_gap_to_next_tier as {{ dbt.type_string() }})
                                    || ' approved registrations'
                            else ''
                        end,
                        3
                    )
            else ''
        end
        || '. Agree a growth plan with the partner or prepare the downgrade.' as message
    from tier_recommendations
    where
        tier_fit = 'downgrade'
        and has_full_window

),

-- ---------------------------------------------------------------- partner pulse

pulse_flags as (

    select
        pulse_partners.partner_id,
        {{ month_start('pulse_partners.wave_closed_at') }} as month_start,
        pulse_partners.wave_id,
        pulse_partners.partner_nps,
        pulse_partners.mean_nps_answer,
        pulse_partners.nps_answer_band,
        pulse_partners.previous_nps_wave_id,
        pulse_partners.previous_partner_nps,
        pulse_partners.change,
        row_number() over (
            partition by pulse_partners.partner_id, {{ month_start('pulse_partners.wave_closed_at') }}
            order by pulse_partners.partner_nps, pulse_partners.wave_id
        ) as wave_order
    from pulse_partners
    cross join rule_thresholds
    where
        not pulse_partners.is_anonymous
        and pulse_partners.is_wave_closed
        and pulse_partners.survey_kind in ('relationship', 'pulse')
        and pulse_partners.partner_nps is not null
        and (
            pulse_partners.nps_answer_band = 'detractor'
            or pulse_partners.change <= -1 * rule_thresholds.pulse_drop_points
        )

),

pulse_alerts as (

    select
        partner_id,
        month_start,
        'pulse_detractor_or_drop' as alert_rule,
        'partner_nps' as metric_name,
        cast(partner_nps as {{ type_double() }}) as metric_value,
        'Partner Pulse: NPS '
        || cast(cast(round(partner_nps, 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        || ' in survey '
        || wave_id
        || ' (mean answer '
        || cast(cast(round(mean_nps_answer, 1) as decimal(4, 1)) as {{ dbt.type_string() }})
        || ', '
        || nps_answer_band
        || ')'
        || case
            when change is not null
                then '; previous wave '
                    || previous_nps_wave_id
                    || ': '
                    || cast(cast(round(previous_partner_nps, 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                    || ' (change '
                    || cast(cast(round(change, 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                    || ' pts)'
            else ''
        end
        || '. Call the respondents back (restricted follow-up list) and agree actions.' as message
    from pulse_flags
    where wave_order = 1

),

-- ---------------------------------------------------------------- assemble

fired as (

    select * from early_warning_alerts
    union all
    select * from band_to_at_risk_alerts
    union all
    select * from registration_sla_alerts
    union all
    select * from certification_alerts
    union all
    select * from tier_downgrades
    union all
    select * from pulse_alerts

),

final as (

    select
        cast(fired.partner_id as {{ dbt.type_string() }}) as partner_id,
        cast(fired.month_start as date) as month_start,
        cast(fired.alert_rule as {{ dbt.type_string() }}) as rule,  -- noqa: RF04
        cast(alert_rules.severity as {{ dbt.type_string() }}) as severity,
        cast(fired.message as {{ dbt.type_string() }}) as message,
        active_months.partner_type,
        active_months.tier,
        active_months.region,
        active_months.is_provisional,
        cast(fired.metric_name as {{ dbt.type_string() }}) as metric_name,
        fired.metric_value,
        cast(alert_rules.threshold as {{ type_double() }}) as rule_threshold,
        health_scores.health_score,
        health_scores.computed_band
    from fired
    inner join active_months
        on
            fired.partner_id = active_months.partner_id
            and fired.month_start = active_months.month_start
    inner join alert_rules
        on fired.alert_rule = alert_rules.rule
    left join health_scores
        on
            fired.partner_id = health_scores.partner_id
            and fired.month_start = health_scores.month_start

)

select * from final
