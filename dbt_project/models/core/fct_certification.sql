-- One row per certification. is_valid_as_of: valid at the end of the as_of day, by the
-- month-end rule of DESIGN 3 (issued_at < t and coalesce(expires_at, t) >= t).

with

certifications as (

    select * from {{ ref('stg_lms__certifications') }}

),

courses as (

    select * from {{ ref('stg_lms__courses') }}

),

final as (

    select
        certifications.certification_id,
        certifications.course_id,
        certifications.contact_id,
        certifications.partner_id,
        courses.pillar,
        certifications.issued_at,
        certifications.expires_at,
        (
            certifications.issued_at < {{ as_of_cutoff() }}
            and coalesce(certifications.expires_at, {{ as_of_cutoff() }}) >= {{ as_of_cutoff() }}
        ) as is_valid_as_of,
        certifications.is_orphan
    from certifications
    left join courses
        on certifications.course_id = courses.course_id

)

select * from final
