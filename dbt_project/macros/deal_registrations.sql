{#- A deal registration's status as of instant `at_expr` (rows of fct_deal_registration as
    `registration`): its final status once it closed before the instant, else 'pending'.
    A month's counts use the status at its end E, so a registration approved the month after
    it was submitted is pending in its first month and "approved" never changes after the fact. -#}
{% macro registration_status_at(registration, at_expr) -%}
    case
        when {{ registration }}.closed_at is not null and {{ registration }}.closed_at < {{ at_expr }}
            then {{ registration }}.status
        else 'pending'
    end
{%- endmacro %}

{#- Converted as of the instant: approved by then and its opportunity won (closed) by then. -#}
{% macro registration_converted_at(registration, at_expr) -%}
    (
        {{ registration_status_at(registration, at_expr) }} = 'approved'
        and {{ registration }}.is_converted
        and cast({{ registration }}.opportunity_close_date as {{ dbt.type_timestamp() }}) < {{ at_expr }}
    )
{%- endmacro %}
