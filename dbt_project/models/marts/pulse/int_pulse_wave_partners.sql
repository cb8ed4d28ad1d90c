-- One row per reported wave per partner invited to it or answering it: invitations sent and
-- responses submitted up to the as_of day, and the partner's segment attributes (partner_type,
-- region, tier) from its SCD2 version valid at the wave close (DESIGN 3 "attributes as of the
-- period"; at the as_of cutoff while the wave is open). Invitations and responses whose partner is
-- unknown to PRM land on the unknown member (partner_id 'UNKNOWN', segment 'unknown'), so nothing
-- falls out of the wave totals. uninvited_respondents: responses without a matching invitation of
-- the same wave and partner (the invitation was quarantined or names another partner): they were
-- invited all the same, so response rates divide by invitations + uninvited_respondents and stay
-- within 0..1. Counts only: no contact id.

with

waves as (

    select * from {{ ref('int_pulse_waves') }}

),

invitations as (

    select * from {{ ref('stg_survey__invitations') }}

),

responses as (

    select * from {{ ref('stg_survey__responses') }}

),

partners as (

    select * from {{ ref('dim_partner') }}

),

partner_history as (

    select * from {{ ref('dim_partner_history') }}

),

known_partners as (

    select partner_id
    from partners
    where not is_unknown_member

),

invitation_counts as (

    select
        invitations.wave_id,
        {{ partner_key('known_partners.partner_id') }} as partner_id,
        count(*) as invitations,
        count(distinct invitations.contact_id) as invited_contacts
    from invitations
    left join known_partners
        on invitations.partner_id = known_partners.partner_id
    where invitations.sent_at < {{ as_of_cutoff() }}
    group by invitations.wave_id, {{ partner_key('known_partners.partner_id') }}

),

response_counts as (

    select
        responses.wave_id,
        {{ partner_key('known_partners.partner_id') }} as partner_id,
        count(*) as respondents,
        sum(case when invitations.invitation_id is null then 1 else 0 end) as uninvited_respondents
    from responses
    left join known_partners
        on responses.partner_id = known_partners.partner_id
    left join invitations
        on
            responses.invitation_id = invitations.invitation_id
            and responses.wave_id = invitations.wave_id
            and responses.partner_id = invitations.partner_id
            and invitations.sent_at < {{ as_of_cutoff() }}
    where responses.submitted_at < {{ as_of_cutoff() }}
    group by responses.wave_id, {{ partner_key('known_partners.partner_id') }}

),

wave_partner_keys as (

    select
        wave_id,
        partner_id
    from invitation_counts
    union
    select
        wave_id,
        partner_id
    from response_counts

),

final as (

    select
        wave_partner_keys.wave_id,
        wave_partner_keys.partner_id,
        waves.survey_kind,
        waves.is_anonymous,
        waves.opened_at,
        waves.closed_at,
        waves.is_closed,
        coalesce(partner_history.partner_type, {{ unknown_segment() }}) as partner_type,
        coalesce(partner_history.region, {{ unknown_segment() }}) as region,
        coalesce(partner_history.tier, {{ unknown_segment() }}) as tier,
        coalesce(invitation_counts.invitations, 0) as invitations,
        coalesce(invitation_counts.invited_contacts, 0) as invited_contacts,
        coalesce(response_counts.respondents, 0) as respondents,
        coalesce(response_counts.uninvited_respondents, 0) as uninvited_respondents
    from wave_partner_keys
    inner join waves
        on wave_partner_keys.wave_id = waves.wave_id
    left join invitation_counts
        on
            wave_partner_keys.wave_id = invitation_counts.wave_id
            and wave_partner_keys.partner_id = invitation_counts.partner_id
    left join response_counts
        on
            wave_partner_keys.wave_id = response_counts.wave_id
            and wave_partner_keys.partner_id = response_counts.partner_id
    left join partner_history
        on {{ partner_version_at('partner_history', 'wave_partner_keys.partner_id', 'waves.segment_at') }}

)

select * from final
