-- One row per LMS enrollment with its course's pillar and completion.

with

enrollments as (

    select * from {{ ref('stg_lms__enrollments') }}

),

courses as (

    select * from {{ ref('stg_lms__courses') }}

),

final as (

    select
        enrollments.enrollment_id,
        enrollments.course_id,
        enrollments.contact_id,
        enrollments.partner_id,
        courses.pillar,
        courses.is_certification as is_certification_course,
        enrollments.enrolled_at,
        enrollments.completed_at,
        enrollments.status,
        enrollments.score,
        enrollments.completed_at is not null as is_completed,
        case
            when enrollments.completed_at is not null
                then {{ hours_between('enrollments.enrolled_at', 'enrollments.completed_at') }} / 24.0
        end as days_to_complete,
        enrollments.is_orphan
    from enrollments
    left join courses
        on enrollments.course_id = courses.course_id

)

select * from final
