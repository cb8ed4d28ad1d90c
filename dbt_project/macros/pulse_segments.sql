{#- The segment types of partner_pulse_results, in order; 'overall' has the one value 'all'. -#}
{% macro pulse_segment_types() -%}
    {{ return(['overall', 'partner_type', 'region', 'tier']) }}
{%- endmacro %}

{#- The segment value of a row for `segment_type` (a column of that name, or 'all'). -#}
{% macro pulse_segment_value(segment_type) -%}
    {%- if segment_type == 'overall' -%}
        'all'
    {%- else -%}
        {{ segment_type }}
    {%- endif -%}
{%- endmacro %}
