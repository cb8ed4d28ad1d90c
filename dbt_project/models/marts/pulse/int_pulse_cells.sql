-- One row per reported wave per segment cell (segment_type overall / partner_type / region /
-- tier, attributes as of the wave close) with invitations, respondents (responses submitted up
-- to the as_of day), the response rate (null with zero invitations; respondents / (invitations +
-- respondents without a matching invitation), so it stays within 0..1) and the anonymity decision
-- (DESIGN 3), taken per (wave, segment type) on the respondent count with k = min_respondents:
--   primary suppression:       0 < respondents < k (a cell without respondents reveals nothing:
--                              its metrics are null anyway and it is not suppressed);
--   complementary suppression: while the suppressed siblings' respondents add up to fewer than
--                              k, the next-smallest sibling (ties by segment_value) is suppressed
--                              too, so no cell can be recovered by subtraction from the total.
-- With the cells of a type ordered by respondents, the primary ones are the smallest, so a cell
-- is suppressed when it is primary, or when its type has a primary cell and the respondents of
-- the cells before it add up to fewer than k.

with

wave_partners as (

    select * from {{ ref('int_pulse_wave_partners') }}

),

parameters as (

    select * from {{ ref('int_pulse_parameters') }}

),

segmented as (

    {%- for segment_type in pulse_segment_types() %}
        select
            wave_id,
            '{{ segment_type }}' as segment_type,
            {{ pulse_segment_value(segment_type) }} as segment_value,
            invitations,
            respondents,
            uninvited_respondents
        from wave_partners
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

cells as (

    select
        wave_id,
        cast(segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        sum(invitations) as invitations,
        sum(respondents) as respondents,
        sum(uninvited_respondents) as uninvited_respondents
    from segmented
    group by wave_id, segment_type, segment_value

),

flagged as (

    select
        cells.*,
        parameters.min_respondents,
        (cells.respondents > 0 and cells.respondents < parameters.min_respondents) as is_primary_suppressed
    from cells
    cross join parameters

),

ordered as (

    select
        flagged.*,
        max(case when flagged.is_primary_suppressed then 1 else 0 end) over (
            partition by flagged.wave_id, flagged.segment_type
        ) = 1 as type_has_primary,
        coalesce(
            sum(flagged.respondents) over (
                partition by flagged.wave_id, flagged.segment_type
                order by flagged.respondents, flagged.segment_value
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as respondents_before
    from flagged
    where flagged.respondents > 0

),

final as (

    select
        flagged.wave_id,
        flagged.segment_type,
        flagged.segment_value,
        flagged.invitations,
        flagged.respondents,
        case
            when flagged.invitations > 0
                then 1.0 * flagged.respondents / (flagged.invitations + flagged.uninvited_respondents)
        end as response_rate,
        coalesce(
            flagged.is_primary_suppressed
            or (ordered.type_has_primary and ordered.respondents_before < flagged.min_respondents),
            false
        ) as is_suppressed,
        case
            when flagged.is_primary_suppressed then 'below_k'
            when ordered.type_has_primary and ordered.respondents_before < flagged.min_respondents
                then 'complementary'
        end as suppression_reason
    from flagged
    left join ordered
        on
            flagged.wave_id = ordered.wave_id
            and flagged.segment_type = ordered.segment_type
            and flagged.segment_value = ordered.segment_value

)

select * from final
