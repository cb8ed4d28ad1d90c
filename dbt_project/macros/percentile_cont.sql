{#- Continuous percentile (p in [0, 1]) as an aggregate expression; median = percentile_cont(x, 0.5).
    Dispatched so each engine uses its own function. -#}
{% macro percentile_cont(expr, p) -%}
    {{ return(adapter.dispatch('percentile_cont', 'partner_pulse')(expr, p)) }}
{%- endmacro %}

{% macro default__percentile_cont(expr, p) -%}
    percentile_cont({{ p }}) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__percentile_cont(expr, p) -%}
    quantile_cont({{ expr }}, {{ p }})
{%- endmacro %}

{% macro spark__percentile_cont(expr, p) -%}
    percentile({{ expr }}, {{ p }})
{%- endmacro %}
