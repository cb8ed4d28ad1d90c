{#- The closed-month rule (DESIGN 3 "Time rules"): the one definition every model reuses.
    Month M (starting at `month_start`) is closed when
        as_of_date >= next_month_start + closed_month_grace_days   (seed reporting_calendar)
    and provisional (open) otherwise. An open month is scored to date but never compared with
    full-month targets: no band, no early warning, no target-based alert. "Latest" in BI, the
    demo and the monthly close means last_closed_month(). -#}

{#- The grace period in days, a scalar subquery on the seed (default 0 when the row is absent). -#}
{% macro closed_month_grace_days() -%}
    coalesce(
        (
            select max({{ dbt.safe_cast('value', dbt.type_int()) }})
            from {{ ref('reporting_calendar') }}
            where parameter = 'closed_month_grace_days'
        ),
        0
    )
{%- endmacro %}

{#- The day month `month_start_expr` closes (as_of_date on or after it: closed). -#}
{% macro month_closes_on(month_start_expr) -%}
    cast({{ dbt.dateadd('day', closed_month_grace_days(), add_months(month_start_expr, 1)) }} as date)
{%- endmacro %}

{#- Boolean: the month starting at `month_start_expr` is closed at the run's as_of_date. -#}
{% macro month_is_closed(month_start_expr) -%}
    ({{ as_of_date() }} >= {{ month_closes_on(month_start_expr) }})
{%- endmacro %}

{#- The latest closed month (a date): the month before the month of as_of_date - grace days. -#}
{% macro last_closed_month() -%}
    {{ add_months(
        month_start(dbt.dateadd('day', '-1 * ' ~ closed_month_grace_days(), as_of_date())), -1
    ) }}
{%- endmacro %}

{#- Share of the month observed at as_of (1 for a month whose end is past, elapsed days / days
    in the month for the as_of month, 0 for a later month): pro-rates targets of an open month. -#}
{% macro month_elapsed_share(month_start_expr) -%}
    (
        case
            when {{ add_months(month_start_expr, 1) }} <= {{ as_of_date() }} then 1.0
            when {{ month_start_expr }} > {{ as_of_date() }} then 0.0
            else
                ({{ dbt.datediff(month_start_expr, as_of_date(), 'day') }} + 1.0)
                / {{ dbt.datediff(month_start_expr, add_months(month_start_expr, 1), 'day') }}
        end
    )
{%- endmacro %}
