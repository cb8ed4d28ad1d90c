{#- Data types used in casts, one place to change them per engine. -#}

{#- Money in USD, exact to the cent: sums of credits equal the opportunity amount exactly. -#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'partner_pulse')()) }}
{%- endmacro %}

{% macro default__type_money() -%}
    decimal(18, 2)
{%- endmacro %}

{#- 8-byte floating point (dbt.type_float() is 4-byte FLOAT on some engines). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'partner_pulse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}

{#- A count that is zero when the left-joined aggregate is absent. -#}
{% macro count_or_zero(expr) -%}
    cast(coalesce({{ expr }}, 0) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- A USD sum that is zero when the left-joined aggregate is absent. -#}
{% macro money_or_zero(expr) -%}
    cast(coalesce({{ expr }}, 0) as {{ type_money() }})
{%- endmacro %}
