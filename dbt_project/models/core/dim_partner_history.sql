-- Slowly changing dimension (type 2) of the partner's segment attributes, from every PRM
-- version: one row per partner per version, valid in [valid_from, valid_to). The first version
-- is valid from the beginning of time (attributes before the first record are those of the
-- first record); valid_to is the next version's updated_at, null for the current version.
-- "Attributes as of the period" (DESIGN 3): the version valid at the period's end instant E is
-- the one with valid_from < E and (valid_to is null or valid_to >= E) - macro
-- partner_version_at. The unknown member (partner_id 'UNKNOWN', segment 'unknown') has one
-- version valid forever, so facts without a known partner keep a segment.

with

versions as (

    select * from {{ ref('stg_prm__partner_versions') }}

),

ordered as (

    select
        partner_id,
        updated_at,
        partner_type,
        tier,
        region,
        country,
        specializations,
        status,
        row_number() over (partition by partner_id order by updated_at) as version_number,
        lead(updated_at) over (partition by partner_id order by updated_at) as next_updated_at
    from versions

),

known_partner_versions as (

    select
        partner_id,
        cast(version_number as {{ dbt.type_int() }}) as version_number,
        case
            when version_number = 1 then cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
            else updated_at
        end as valid_from,
        next_updated_at as valid_to,
        updated_at,
        partner_type,
        tier,
        region,
        country,
        specializations,
        status,
        next_updated_at is null as is_current,
        false as is_unknown_member
    from ordered

),

unknown_member as (

    select
        {{ unknown_partner_id() }} as partner_id,
        cast(1 as {{ dbt.type_int() }}) as version_number,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at,
        {{ unknown_segment() }} as partner_type,
        {{ unknown_segment() }} as tier,
        {{ unknown_segment() }} as region,
        {{ unknown_segment() }} as country,
        cast(null as {{ dbt.type_string() }}) as specializations,
        {{ unknown_segment() }} as status,
        true as is_current,
        true as is_unknown_member

),

final as (

    select * from known_partner_versions
    union all
    select * from unknown_member

)

select * from final
