-- How did each district score on each level-2 indicator in a year (得分率 = score / weight)?
-- Valid reports only; indicators without a weight have no rate and are left out.
-- Parameters: $year.
with level2 as (
    select * from v_scores
    where year = $year and level = 2 and score_rate is not null
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
        s.title,
        s.source_url,
        s.raw_path,
        s.source_page,
        s.printed_text
    from level2 as s
)

select * from final
order by indicator_code, district_code, department_kind
