{#- Generic test: every non-null value of the column lies in [min_value, max_value] (either bound
    optional; no dbt_utils on this network).
    Usage: data_tests: [{perf_accepted_range: {arguments: {min_value: 0, max_value: 100}}}] -#}
{% test perf_accepted_range(model, column_name, min_value=none, max_value=none) %}

    {%- set violations = ([column_name ~ ' < ' ~ min_value] if min_value is not none else [])
        + ([column_name ~ ' > ' ~ max_value] if max_value is not none else []) %}

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null and ({{ violations | join(' or ') if violations else '1 = 0' }})

{% endtest %}
