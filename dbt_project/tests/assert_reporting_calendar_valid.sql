-- The closed-month grace period parses as a whole number of days in 0..27 (a month must close
-- before the next one does).

with

calendar as (

    select * from {{ ref('reporting_calendar') }}

),

grace as (

    select
        value,
        {{ dbt.safe_cast('value', dbt.type_int()) }} as grace_days
    from calendar
    where parameter = 'closed_month_grace_days'

)

select value
from grace
where
    grace_days is null
    or grace_days < 0
    or grace_days > 27
    or cast(grace_days as {{ dbt.type_string() }}) <> trim(value)
