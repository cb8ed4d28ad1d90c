{#- Month helpers. Months are half-open windows [month_start, next_month_start). -#}

{#- First day of the month of a date or timestamp, as a date. An instant at exactly 00:00 on
    the 1st belongs to that (new) month. -#}
{% macro month_start(expr) -%}
    cast({{ dbt.date_trunc('month', expr) }} as date)
{%- endmacro %}

{#- The first day of the month `n` months after the month starting at `month_start_expr`. -#}
{% macro add_months(month_start_expr, n=1) -%}
    cast({{ dbt.dateadd('month', n, month_start_expr) }} as date)
{%- endmacro %}

{#- Elapsed hours between two timestamps, fractional (not hour boundaries crossed). -#}
{% macro hours_between(start_ts, end_ts) -%}
    ({{ dbt.datediff(start_ts, end_ts, 'second') }} / 3600.0)
{%- endmacro %}

{#- A list of integers 0 .. n-1 as a one-column relation (`n`), portable (no generate_series):
    a cross join of digit relations, one per power of ten. -#}
{% macro integers(n) -%}
    {%- set ns = namespace(powers=[1]) -%}
    {%- for _ in range(11) -%}
        {%- if ns.powers[-1] * 10 < n -%}
            {%- set ns.powers = ns.powers + [ns.powers[-1] * 10] -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set terms = [] -%}
    {%- set joins = [] -%}
    {%- for p in ns.powers -%}
        {%- do terms.append('d' ~ loop.index ~ '.v * ' ~ p) -%}
        {%- if not loop.first -%}
            {%- do joins.append('cross join ' ~ digits() ~ ' as d' ~ loop.index) -%}
        {%- endif -%}
    {%- endfor %}
    select numbers.n
    from (
        select {{ terms | join(' + ') }} as n
        from {{ digits() }} as d1
        {{ joins | join(' ') }}
    ) as numbers
    where numbers.n < {{ n }}
{%- endmacro %}

{#- The digits 0-9 as a one-column (`v`) derived table. -#}
{% macro digits() -%}
    (
        select 0 as v union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    )
{%- endmacro %}

{#- The instant E at which month-end states of the month starting at `month_start_expr` are
    taken: the month end, or the end of the as_of day for the open as_of month. -#}
{% macro month_state_at(month_start_expr) -%}
    least(
        cast({{ add_months(month_start_expr, 1) }} as {{ dbt.type_timestamp() }}),
        {{ as_of_cutoff() }}
    )
{%- endmacro %}
