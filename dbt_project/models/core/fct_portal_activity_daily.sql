-- Portal activity per partner per UTC day: events, distinct active contacts, logins.

with

portal_events as (

    select * from {{ ref('stg_prm__portal_events') }}

),

daily as (

    select
        partner_id,
        cast(occurred_at as date) as activity_date,
        count(*) as events,
        count(distinct contact_id) as active_contacts,
        sum(case when event_type = 'login' then 1 else 0 end) as logins
    from portal_events
    group by partner_id, cast(occurred_at as date)

),

final as (

    select
        partner_id,
        activity_date,
        cast(events as {{ dbt.type_bigint() }}) as events,
        cast(active_contacts as {{ dbt.type_bigint() }}) as active_contacts,
        cast(logins as {{ dbt.type_bigint() }}) as logins
    from daily

)

select * from final
