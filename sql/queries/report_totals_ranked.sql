-- Which districts scored the highest total (总分) in a year? Valid reports only,
-- with where each total was printed.
-- Parameters: $year.
with totals as (
    select * from v_scores
    where year = $year and level = 0
),

reports as (
    select report_id, title, source_url, raw_path, grade, grade_is_derived from dim_report
),

printed as (
    select report_id, indicator_code, printed_text from fact_indicator_score
),

final as (
    select
        t.district,
        t.district_code,
        t.city,
        t.department_kind,
        t.report_id,
        t.weight,
        t.score,
        t.score_rate,
        t.is_derived,
        r.grade,
        r.grade_is_derived,
        r.title,
        r.source_url,
        r.raw_path,
        t.source_page,
        p.printed_text,
        rank() over (order by t.score desc) as rank
    from totals as t
    inner join reports as r using (report_id)
    left join printed as p using (report_id, indicator_code)
)

select * from final
order by rank, district_code, department_kind
