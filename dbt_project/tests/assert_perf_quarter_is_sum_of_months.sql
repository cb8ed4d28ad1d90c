-- partner_performance: every quarter row holds the sums of its month rows (additive measures),
-- and every month row has its quarter row.

with

performance as (

    select * from {{ ref('partner_performance') }}

),

months as (

    select
        partner_id,
        cast({{ dbt.date_trunc('quarter', 'period_start') }} as date) as quarter_start,
        sum(attributed_revenue_usd) as attributed_revenue_usd,
        sum(sourced_revenue_usd) as sourced_revenue_usd,
        sum(won_deals) as won_deals,
        sum(lost_deals) as lost_deals,
        sum(pipeline_created_usd) as pipeline_created_usd,
        sum(registrations_submitted) as registrations_submitted,
        sum(registrations_converted) as registrations_converted,
        sum(new_customers) as new_customers,
        sum(co_sell_count) as co_sell_count,
        sum(mdf_paid_usd) as mdf_paid_usd
    from performance
    where period_grain = 'month'
    group by partner_id, cast({{ dbt.date_trunc('quarter', 'period_start') }} as date)

),

quarters as (

    select *
    from performance
    where period_grain = 'quarter'

),

final as (

    select
        months.partner_id,
        months.quarter_start
    from months
    left join quarters
        on
            months.partner_id = quarters.partner_id
            and months.quarter_start = quarters.period_start
    where
        quarters.partner_id is null
        or months.attributed_revenue_usd != quarters.attributed_revenue_usd
        or months.sourced_revenue_usd != quarters.sourced_revenue_usd
        or months.won_deals != quarters.won_deals
        or months.lost_deals != quarters.lost_deals
        or months.pipeline_created_usd != quarters.pipeline_created_usd
        or months.registrations_submitted != quarters.registrations_submitted
        or months.registrations_converted != quarters.registrations_converted
        or months.new_customers != quarters.new_customers
        or months.co_sell_count != quarters.co_sell_count
        or months.mdf_paid_usd != quarters.mdf_paid_usd

)

select * from final
