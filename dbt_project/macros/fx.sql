{#- FX conversion shared by the int_*_converted models (rule in int_opportunities_converted):
    the latest rate on or before `fx_transaction_date`, or the currency's first rate when the
    date is older than every rate; USD needs no rate. -#}

{#- Select every column of `dated` (which must carry `currency` and `fx_transaction_date`) plus
    `usd_per_unit` and `fx_rate_date`, joined to int_fx_rates_windowed as `fx_rates`. -#}
{% macro fx_rate_lookup(dated, fx_rates='fx_rates') -%}
    select
        {{ dated }}.*,
        case
            when {{ dated }}.currency = 'USD' then 1.0 else {{ fx_rates }}.usd_per_unit
        end as usd_per_unit,
        case
            when {{ dated }}.currency = 'USD'
                then {{ dated }}.fx_transaction_date
            else {{ fx_rates }}.rate_date
        end as fx_rate_date
    from {{ dated }}
    left join {{ fx_rates }}
        on
            {{ dated }}.currency = {{ fx_rates }}.currency
            and {{ dated }}.fx_transaction_date >= {{ fx_rates }}.valid_from
            and {{ dated }}.fx_transaction_date < {{ fx_rates }}.valid_until
{%- endmacro %}

{#- The flags, the reason and the USD amount of a row produced by fx_rate_lookup. fx_status says
    how amount_usd was obtained: usd (no conversion), rate_on_or_before (the rule), stale_rate
    (older than fx_max_age_days), rate_after_transaction (no rate on or before the date: the
    currency's first rate), no_rate_for_currency (amount_usd null: counted by the warning test
    assert_fx_conversions_complete, never silent). -#}
{% macro fx_flags_and_amount(amount_local, amount_usd) -%}
    usd_per_unit is null as fx_is_missing,
    (
        usd_per_unit is null
        or fx_rate_date > fx_transaction_date
        or {{ dbt.datediff('fx_rate_date', 'fx_transaction_date', 'day') }}
        > {{ var('fx_max_age_days', 7) }}
    ) as fx_is_stale,
    case
        when currency = 'USD' then 'usd'
        when usd_per_unit is null then 'no_rate_for_currency'
        when fx_rate_date > fx_transaction_date then 'rate_after_transaction'
        when {{ dbt.datediff('fx_rate_date', 'fx_transaction_date', 'day') }} > {{ var('fx_max_age_days', 7) }}
            then 'stale_rate'
        else 'rate_on_or_before'
    end as fx_status,
    cast(round({{ amount_local }} * usd_per_unit, 2) as {{ type_money() }}) as {{ amount_usd }}
{%- endmacro %}
