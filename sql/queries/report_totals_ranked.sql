-- Which districts scored the highest total (总分) in a year? Valid reports only,
-- with where each total was printed.
-- Parameters: $year.
with totals as (
    select * from v_scores
    where year = $year and level = 0
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
        t.grade,
        t.grade_is_derived,
        t.title,
        t.source_url,
        t.raw_path,
        t.source_page,
        t.printed_text,
        rank() over (order by t.score desc) as rank
    from totals as t
)

select * from final
order by rank, district_code, department_kind
