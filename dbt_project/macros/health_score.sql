{#- Helpers of the Partner Health Score (models/marts/health). -#}

{#- The seven health components, in display order (also the tie-break order of drivers). -#}
{% macro health_components() -%}
    {{ return(['revenue', 'pipeline', 'deal_registration', 'engagement', 'enablement', 'satisfaction', 'support']) }}
{%- endmacro %}

{#- Peer percentile, mid-rank (DESIGN 3): 100 * (n_below + 0.5 * n_equal) / n among the partners
    of the same month with a non-null measure, within partner_type x tier; when that group has
    fewer than `min_group_size` partners with the measure (the partner itself included), within
    partner_type; then within all partners of the month. A measure of zero scores 0; a missing
    (null) measure stays null. Window functions only, so it runs on any engine. -#}
{% macro health_peer_percentile(
    measure, min_group_size, month='month_start', partner_type='partner_type', tier='tier'
) -%}
    case
        when {{ measure }} is null then null
        when {{ measure }} = 0 then 0.0
        when count({{ measure }}) over (partition by {{ month }}, {{ partner_type }}, {{ tier }})
            >= {{ min_group_size }}
            then {{ mid_rank_percentile(measure, [month, partner_type, tier]) }}
        when count({{ measure }}) over (partition by {{ month }}, {{ partner_type }})
            >= {{ min_group_size }}
            then {{ mid_rank_percentile(measure, [month, partner_type]) }}
        else {{ mid_rank_percentile(measure, [month]) }}
    end
{%- endmacro %}

{#- Months since year 0 of a date: consecutive months differ by 1 (for range window frames). -#}
{% macro health_month_index(expr) -%}
    (extract(year from {{ expr }}) * 12 + extract(month from {{ expr }}))
{%- endmacro %}

{#- A change in points as text with its sign: "+1.5", "−2.7" (U+2212 minus, as in the docs). -#}
{% macro health_signed_points(expr) -%}
    (case when {{ expr }} < 0 then '−' else '+' end || cast(abs({{ expr }}) as {{ dbt.type_string() }}))
{%- endmacro %}

{#- Months the health score carries after a rewritten month and that change with it: 3 months of
    lag columns (prev month, 3 months ago, three declines in a row) on top of the longest
    trailing window (12 months of course completions, 12 months of survey carry-forward), so
    rerunning month M also rewrites M+1 .. M+14 and no score or lag of a later month is stale. -#}
{% macro health_rewrite_horizon_months() -%}
    {{ return(14) }}
{%- endmacro %}

{#- First month written by a run (inclusive): min_date, else every month. -#}
{% macro health_write_start() -%}
    {{ date_var('min_date', "cast('1900-01-01' as date)") }}
{%- endmacro %}

{#- End of the months written by a run (exclusive): max_date + the rewrite horizon, else every
    month (months after the as_of month have no partner-month rows). -#}
{% macro health_write_end() -%}
    {%- if has_date_var('max_date') -%}
        {{ add_months(date_var('max_date', none), health_rewrite_horizon_months()) }}
    {%- else -%}
        cast('9999-12-01' as date)
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of partner_health_score: delete the months the run rewrites, so rerunning a range is
    idempotent. No-op on a first or full-refresh build. -#}
{% macro health_delete_rewrite_months(relation) -%}
    {%- if is_incremental() -%}
        delete from {{ relation }}
        where month_start >= {{ health_write_start() }}
            and month_start < {{ health_write_end() }}
    {%- else -%}
        select 1 as noop
    {%- endif -%}
{%- endmacro %}
