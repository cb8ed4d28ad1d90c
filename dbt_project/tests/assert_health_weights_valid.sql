-- Seed health_weights: every segment lists the seven components once, no weight is negative,
-- the weights of a segment sum to 1, and a `default` segment exists. Returns the offending
-- segments.

with

weights as (

    select * from {{ ref('health_weights') }}

),

segments as (

    select
        segment,
        count(distinct component) as components,
        count(*) as weight_rows,
        sum(weight) as total_weight,
        min(weight) as min_weight
    from weights
    group by segment

),

default_segment as (

    select count(*) as default_rows
    from weights
    where segment = 'default'

),

violations as (

    select
        segment,
        'segment must list the 7 components once, weights >= 0 summing to 1' as problem
    from segments
    where
        components != 7
        or weight_rows != 7
        or min_weight < 0
        or abs(total_weight - 1.0) > 0.000001
    union all
    select
        'default' as segment,
        'no default segment' as problem
    from default_segment
    where default_rows = 0

)

select * from violations
