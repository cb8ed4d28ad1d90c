{#- Mid-rank percentile of `value` within the window partition `partition_by` (a list of column
    expressions), DESIGN 3: 100 * (n_below + 0.5 * n_equal) / n, where n counts the rows of the
    partition, n_below those with a smaller value and n_equal those with the same value (the row
    itself included). A value of zero scores 0; a null value scores null (pass non-null values:
    a null still counts in n). Portable: rank() - 1 is n_below, count(*) over (partition, value)
    is n_equal. -#}
{% macro perf_mid_rank_percentile(value, partition_by) -%}
    case
        when {{ value }} is null then null
        when {{ value }} = 0 then 0.0
        else
            100.0 * (
                (rank() over (partition by {{ partition_by | join(', ') }} order by {{ value }}) - 1)
                + 0.5 * count(*) over (partition by {{ partition_by | join(', ') }}, {{ value }})
            )
            / count(*) over (partition by {{ partition_by | join(', ') }})
    end
{%- endmacro %}
