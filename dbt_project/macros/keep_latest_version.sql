{#- The latest version of each key in a raw relation (CTE name or relation): by the version
    column (when the table has one), then _loaded_at, then _load_id, all descending. Adds
    `_version_rank`; the staging model selects its columns explicitly, dropping it. -#}
{% macro keep_latest_version(relation, key_columns, version_column=none) -%}
    {%- set order_columns = ([version_column ~ ' desc nulls last'] if version_column else [])
        + ['_loaded_at desc nulls last', '_load_id desc nulls last'] -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ order_columns | join(', ') }}
            ) as _version_rank
        from {{ relation }}
    ) as versions
    where _version_rank = 1
{%- endmacro %}
