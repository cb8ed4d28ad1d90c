{#- SHA-256 (hex) of a PII value, normalized (trimmed, lower-cased) so the same address always
    hashes alike. Dispatched: each engine has its own hash function name. -#}
{% macro hash_pii(expr) -%}
    {{ return(adapter.dispatch('hash_pii', 'partner_pulse')(expr)) }}
{%- endmacro %}

{% macro default__hash_pii(expr) -%}
    sha2(lower(trim({{ expr }})), 256)
{%- endmacro %}

{% macro duckdb__hash_pii(expr) -%}
    sha256(lower(trim({{ expr }})))
{%- endmacro %}

{% macro postgres__hash_pii(expr) -%}
    encode(sha256(convert_to(lower(trim({{ expr }})), 'UTF8')), 'hex')
{%- endmacro %}
