-- Seed coverage_targets: regions are the program's (NA, LATAM, EMEA, APAC), a partner_type row
-- names a known partner type, a specialization row a single specialization (no ';' list), and
-- targets are whole numbers >= 0. Returns the offending rows.

with

targets as (

    select * from {{ ref('coverage_targets') }}

),

final as (

    select
        grain,
        region,
        segment_value,
        target_partners,
        case
            when region not in ('NA', 'LATAM', 'EMEA', 'APAC') then 'unknown region'
            when
                grain = 'partner_type'
                and segment_value not in ('reseller', 'system_integrator', 'technology', 'msp', 'referral')
                then 'unknown partner_type'
            when grain = 'specialization' and segment_value like '%;%' then 'a list, not one specialization'
            when target_partners < 0 then 'negative target'
        end as problem
    from targets

)

select * from final
where problem is not null
