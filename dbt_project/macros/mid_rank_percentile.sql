{#- Mid-rank percentile (DESIGN 3): 100 * (n_below + 0.5 * n_equal) / n of a measure within a
    partition (list of columns), n counting the non-null values; rank() - 1 counts the values
    strictly below (nulls ranked in a partition of their own). Shared by the health score and
    partner_performance. -#}
{% macro mid_rank_percentile(measure, partition_columns) -%}
    {%- set partition = partition_columns | join(', ') -%}
    (
        100.0 * (
            rank() over (
                partition by {{ partition }}, case when {{ measure }} is null then 1 else 0 end
                order by {{ measure }}
            )
            - 1
            + 0.5 * count({{ measure }}) over (partition by {{ partition }}, {{ measure }})
        )
        / count({{ measure }}) over (partition by {{ partition }})
    )
{%- endmacro %}
