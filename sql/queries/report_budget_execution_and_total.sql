-- Did the districts that spent their budget score higher? Each valid report's
-- 部门预算 execution rate (as printed) beside its total score, in a year.
-- Reports without a printed rate are listed with a null rate.
-- Parameters: $year.
with totals as (
    select report_id, district, district_code, department_kind, score as total, source_page
    from v_scores
    where year = $year and level = 0
),

rates as (
    select report_id, rate as execution_rate, printed_text, source_page
    from fact_budget
    where item = '部门预算' and measure = 'execution_rate'
),

amounts as (
    -- one row per report, item and measure (the key): max() picks that one value
    select
        report_id,
        max(amount_yuan) filter (where measure = 'budget') as budget_yuan,
        max(source_page) filter (where measure = 'budget') as budget_page,
        max(printed_text) filter (where measure = 'budget') as budget_printed_text,
        max(amount_yuan) filter (where measure = 'actual') as actual_yuan,
        max(source_page) filter (where measure = 'actual') as actual_page,
        max(printed_text) filter (where measure = 'actual') as actual_printed_text
    from fact_budget
    where item = '部门预算'
    group by report_id
),

reports as (
    select report_id, title, source_url, raw_path from dim_report
),

printed as (
    select report_id, printed_text from fact_indicator_score where indicator_code = '0'
),

final as (
    select
        t.district,
        t.district_code,
        t.department_kind,
        t.report_id,
        t.total,
        t.source_page as total_page,
        p.printed_text as total_printed_text,
        x.execution_rate,
        x.source_page as rate_page,
        x.printed_text as rate_printed_text,
        a.budget_yuan,
        a.budget_page,
        a.budget_printed_text,
        a.actual_yuan,
        a.actual_page,
        a.actual_printed_text,
        r.title,
        r.source_url,
        r.raw_path
    from totals as t
    inner join reports as r using (report_id)
    left join printed as p using (report_id)
    left join rates as x using (report_id)
    left join amounts as a using (report_id)
)

select * from final
order by execution_rate desc nulls last, district_code
