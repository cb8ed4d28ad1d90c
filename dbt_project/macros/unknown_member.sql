{#- The unknown member (Kimball): facts whose partner_id is unknown to PRM are kept under
    partner_id 'UNKNOWN' with segment 'unknown', so nothing falls out of a sum (DESIGN 3). -#}

{% macro unknown_partner_id() -%}
    cast('UNKNOWN' as {{ dbt.type_string() }})
{%- endmacro %}

{% macro unknown_segment() -%}
    cast('unknown' as {{ dbt.type_string() }})
{%- endmacro %}

{#- The partner key of a fact: its partner_id when PRM knows it, else the unknown member.
    `known_partner_id` is the partner_id column of a left-joined dim_partner. -#}
{% macro partner_key(known_partner_id) -%}
    coalesce({{ known_partner_id }}, {{ unknown_partner_id() }})
{%- endmacro %}

{#- Join condition picking the SCD2 version of dim_partner_history valid at instant `at_expr`:
    valid_from < E <= valid_to (valid_to null for the current version). -#}
{% macro partner_version_at(history, partner_id_expr, at_expr) -%}
    {{ history }}.partner_id = {{ partner_id_expr }}
    and {{ history }}.valid_from < {{ at_expr }}
    and ({{ history }}.valid_to is null or {{ history }}.valid_to >= {{ at_expr }})
{%- endmacro %}

{#- Every column of the fact relation `fact_relation` plus `partner_key`: its partner_id when
    dim_partner knows it, else the unknown member. Facts aggregated per partner group by
    partner_key, so an orphan fact lands on 'UNKNOWN' instead of falling out of the sum. -#}
{% macro with_partner_key(fact_relation) -%}
    select
        fact.*,
        {{ partner_key('known_partners.partner_id') }} as partner_key
    from {{ fact_relation }} as fact
    left join {{ ref('dim_partner') }} as known_partners
        on
            fact.partner_id = known_partners.partner_id
            and not known_partners.is_unknown_member
{%- endmacro %}
