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
        l.deduction_reason,
        l.title,
        l.source_url,
        l.raw_path,
        l.source_page,
        l.printed_text
    from leaves as l
)

select * from final
order by points_lost desc, district_code, indicator_code
