-- The registration expiry parses as a whole, positive number of days.

with

policy as (

    select * from {{ ref('deal_registration_policy') }}

),

expiry as (

    select
        value,
        {{ dbt.safe_cast('value', dbt.type_int()) }} as expiry_days
    from policy
    where parameter = 'expiry_days'

)

select value
from expiry
where
    expiry_days is null
    or expiry_days <= 0
    or cast(expiry_days as {{ dbt.type_string() }}) <> trim(value)
