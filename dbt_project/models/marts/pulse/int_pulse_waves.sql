-- Survey waves the Partner Pulse marts report (DESIGN 3, seed 000): every wave opened on or before
-- the as_of day, with its kind, anonymity, whether it is closed at the as_of day (closed_at before
-- the end of the as_of day; an open wave is reported to date, is_closed false) and the previous
-- wave of the same survey kind (by opened_at, then wave_id), the baseline of every change.

with

surveys as (

    select * from {{ ref('stg_survey__surveys') }}

),

reported as (

    select
        wave_id,
        survey_id,
        kind as survey_kind,
        coalesce(is_anonymous, true) as is_anonymous,
        opened_at,
        closed_at
    from surveys
    where
        wave_id is not null
        and opened_at < {{ as_of_cutoff() }}

),

final as (

    select
        wave_id,
        survey_id,
        survey_kind,
        is_anonymous,
        opened_at,
        closed_at,
        coalesce(closed_at < {{ as_of_cutoff() }}, false) as is_closed,
        -- segment attributes are taken at the wave close, or at the as_of cutoff while it is open
        case
            when closed_at < {{ as_of_cutoff() }} then closed_at
            else {{ as_of_cutoff() }}
        end as segment_at,
        lag(wave_id) over (
            partition by survey_kind order by opened_at, wave_id
        ) as previous_wave_id
    from reported

)

select * from final
