{#- ISO day of week of a date: 1 = Monday .. 7 = Sunday. -#}
{% macro iso_day_of_week(expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'partner_pulse')(expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(expr) -%}
    extract(isodow from {{ expr }})
{%- endmacro %}

{% macro spark__iso_day_of_week(expr) -%}
    (((dayofweek({{ expr }}) + 5) % 7) + 1)
{%- endmacro %}
