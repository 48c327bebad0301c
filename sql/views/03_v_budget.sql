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

select * from final;

comment on view v_budget is 'Budget figures of valid reports with their city and district, amounts in 万元 too for reading.';
comment on column v_budget.report_id is 'The report the figure was read from (sha256) → dim_report';
comment on column v_budget.city is 'Prefecture-level city (市)';
comment on column v_budget.district is 'District or county (区/县)';
comment on column v_budget.district_code is '6-digit 行政区划代码';
comment on column v_budget.year is 'Fiscal year evaluated (评价年度)';
comment on column v_budget.item is 'Budget line: 部门预算 · 基本支出 · 项目支出 · 三公经费 … or a project''s printed name';
comment on column v_budget.amount_wan_yuan is 'The same amount in 万元 (amount_yuan / 10000)';
comment on column v_budget.rate is 'Fraction (0.9882 = 98.82%), for execution_rate';
comment on column v_budget.unit_corrected is 'true when the printed unit was replaced, proved by sibling arithmetic';
