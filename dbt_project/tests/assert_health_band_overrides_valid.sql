-- Seed health_band_overrides: expires_on, when set, is later than effective_from.

with

overrides as (

    select * from {{ ref('health_band_overrides') }}

)

select *
from overrides
where expires_on is not null and expires_on <= effective_from
