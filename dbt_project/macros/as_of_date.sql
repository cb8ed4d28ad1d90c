{#- "Now" of a run: the `as_of_date` var ('YYYY-MM-DD') as a date literal, else current_date.
    Every model that needs "today" calls this, so a run with a fixed as_of_date is reproducible. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) in ('', 'none', 'None', 'null') -%}
        current_date
    {%- else -%}
        cast('{{ value | string | trim }}' as date)
    {%- endif -%}
{%- endmacro %}

{#- The instant that ends the as_of day: events at or after it are "in the future" for this run. -#}
{% macro as_of_cutoff() -%}
    cast({{ dbt.dateadd('day', 1, as_of_date()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- An optional date var ('YYYY-MM-DD') as a date literal, or the given default expression. -#}
{% macro date_var(name, default_sql) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim) in ('', 'none', 'None', 'null') -%}
        {{ default_sql }}
    {%- else -%}
        cast('{{ value | string | trim }}' as date)
    {%- endif -%}
{%- endmacro %}

{#- True when the var is set (used to switch between a month-range rebuild and a full build). -#}
{% macro has_date_var(name) -%}
    {%- set value = var(name, none) -%}
    {{- return(not (value is none or (value | string | trim) in ('', 'none', 'None', 'null'))) -}}
{%- endmacro %}
