-- How did each district score on each level-2 indicator in a year (得分率 = score / weight)?
-- Valid reports only; indicators without a weight have no rate and are left out.
-- Parameters: $year.
with level2 as (
    select * from v_scores
    where year = $year and level = 2 and score_rate is not null
),

reports as (
    select report_id, title, source_url, raw_path from dim_report
),

printed as (
    select report_id, indicator_code, printed_text from fact_indicator_score
),

final as (
    select
        s.district,
        s.district_code,
        s.department_kind,
        s.report_id,
        s.indicator_code,
        s.path,
        s.indicator,
        s.weight,
        s.score,
        s.score_rate,
        s.is_derived,
        r.title,
        r.source_url,
        r.raw_path,
        s.source_page,
        p.printed_text
    from level2 as s
    inner join reports as r using (report_id)
    left join printed as p using (report_id, indicator_code)
)

select * from final
order by indicator_code, district_code, department_kind
