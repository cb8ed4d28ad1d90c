{#- Peer percentile of partner_performance: the shared mid-rank percentile (macro
    mid_rank_percentile, nulls left out of n) with DESIGN 3's rules that a value of zero
    scores 0 and a null value scores null. -#}
{% macro perf_mid_rank_percentile(value, partition_by) -%}
    case
        when {{ value }} is null then null
        when {{ value }} = 0 then 0.0
        else {{ mid_rank_percentile(value, partition_by) }}
    end
{%- endmacro %}
