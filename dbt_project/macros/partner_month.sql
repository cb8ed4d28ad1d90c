{#- Helpers of the incremental month-grain facts (fct_partner_month).
    A run builds the months [min_date, max_date) when those vars are set, else every month
    up to the as_of month. -#}

{#- First month built by this run (inclusive), a date expression. -#}
{% macro build_range_start() -%}
    {{ date_var('min_date', "cast('1900-01-01' as date)") }}
{%- endmacro %}

{#- End of the months built by this run (exclusive), a date expression. -#}
{% macro build_range_end() -%}
    {{ date_var('max_date', "cast('9999-12-01' as date)") }}
{%- endmacro %}

{#- Predicate: a timestamp/date lies before the as_of cutoff and, when min_date / max_date
    are set, inside the months being built (prunes the scan of large event tables). -#}
{% macro in_build_range(expr) -%}
    {{ expr }} < {{ as_of_cutoff() }}
    {%- if has_date_var('min_date') %}
        and {{ expr }} >= {{ build_range_start() }}
    {%- endif %}
    {%- if has_date_var('max_date') %}
        and {{ expr }} < {{ build_range_end() }}
    {%- endif %}
{%- endmacro %}

{#- Pre-hook: delete the months this run rebuilds, so rerunning a month range is idempotent
    (without min_date/max_date every month is rebuilt). No-op on a first or full-refresh build. -#}
{% macro delete_build_months(relation) -%}
    {%- if is_incremental() -%}
        delete from {{ relation }}
        where month_start >= {{ build_range_start() }}
            and month_start < {{ build_range_end() }}
    {%- else -%}
        select 1 as noop
    {%- endif -%}
{%- endmacro %}
