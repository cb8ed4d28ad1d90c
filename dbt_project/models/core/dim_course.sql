-- The LMS course catalogue.

with

courses as (

    select * from {{ ref('stg_lms__courses') }}

),

final as (

    select
        course_id,
        course_title,
        pillar,
        is_certification,
        certification_valid_days
    from courses

)

select * from final
