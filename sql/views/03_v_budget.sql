-- v_budget: budget figures of valid reports, in 万元 too for reading.
create or replace view v_budget as
with budget as (
    select * from fact_budget
),

reports as (
    select report_id, status from dim_report where status = 'valid'
),

final as (
    select
        b.report_id,
        d.city,
        d.district,
        b.district_code,
        b.year,
        b.item,
        b.measure,
        b.amount_yuan,
        b.amount_yuan / 10000 as amount_wan_yuan,
        b.rate,
        b.printed_text,
        b.printed_unit,
        b.unit_corrected,
        b.source_page
    from budget as b
    inner join reports using (report_id)
    inner join dim_district as d using (district_code)
)

select * from final
