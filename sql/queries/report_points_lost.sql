-- Where were points lost in a year? Every deepest indicator a report gives
-- (one without children in that report) scored below its weight, with the
-- printed reason. A report that states only its total loses its points at 总分.
-- Valid reports only. Parameters: $year.
with scores as (
    select * from v_scores
    where year = $year
),

parents as (
    select distinct c.report_id, i.parent_code as indicator_code
    from scores as c
    inner join dim_indicator as i using (indicator_code)
    where i.parent_code is not null
),

leaves as (
    select s.*
    from scores as s
    anti join parents as p using (report_id, indicator_code)
    where s.weight is not null and s.score < s.weight
),

reports as (
    select report_id, title, source_url, raw_path from dim_report
),

facts as (
    select report_id, indicator_code, printed_text, deduction_reason from fact_indicator_score
),

final as (
    select
        l.district,
        l.district_code,
        l.department_kind,
        l.report_id,
        l.indicator_code,
        l.level,
        l.path,
        l.indicator,
        l.weight,
        l.score,
        l.weight - l.score as points_lost,
        l.is_derived,
        f.deduction_reason,
        r.title,
        r.source_url,
        r.raw_path,
        l.source_page,
        f.printed_text
    from leaves as l
    inner join reports as r using (report_id)
    left join facts as f using (report_id, indicator_code)
)

select * from final
order by points_lost desc, district_code, indicator_code
