{#- Net Promoter Score (DESIGN 3, seed 000): the one definition. An answer counts only from a
    question typed `nps` on the whole-number 0-10 scale; promoters 9-10, passives 7-8,
    detractors 0-6; NPS = 100 * (promoters - detractors) / respondents, -100..100. -#}

{#- Boolean: the numeric answer lies on the NPS scale (whole number 0..10). -#}
{% macro is_valid_nps_answer(answer) -%}
    ({{ answer }} is not null and {{ answer }} >= 0 and {{ answer }} <= 10 and {{ answer }} = round({{ answer }}, 0))
{%- endmacro %}

{#- 'promoter' | 'passive' | 'detractor' of a valid answer. -#}
{% macro nps_category(answer) -%}
    case
        when {{ answer }} >= 9 then 'promoter'
        when {{ answer }} >= 7 then 'passive'
        else 'detractor'
    end
{%- endmacro %}

{#- NPS from counts; null without respondents. -#}
{% macro nps_from_counts(promoters, detractors, respondents) -%}
    case
        when {{ respondents }} > 0
            then 100.0 * ({{ promoters }} - {{ detractors }}) / {{ respondents }}
    end
{%- endmacro %}
