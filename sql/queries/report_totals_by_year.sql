-- How did a district's total and level-1 scores change from year to year?
-- Valid reports of every year, for one district ($district, a 行政区划代码) or,
-- when it is null, for every district of $year that has more than one year.
-- Parameters: $year, $district.
with scores as (
    select * from v_scores
    where level <= 1
),

districts as (
    select district_code
    from v_scores
    where level = 0
    group by district_code
    having count(distinct year) > 1 and bool_or(year = $year)
),

chosen as (
    select s.*
    from scores as s
    where
        ($district is not null and s.district_code = $district)
        or ($district is null and s.district_code in (select district_code from districts))
),

final as (
    select
        c.district,
        c.district_code,
        c.department_kind,
        c.year,
        c.level,
        c.indicator_code,
        c.indicator,
        c.weight,
        c.score,
        c.is_derived,
        c.score - lag(c.score) over (
            partition by c.district_code, c.department_kind, c.indicator_code order by c.year
        ) as change,
        c.report_id,
        c.title,
        c.source_url,
        c.raw_path,
        c.source_page,
        c.printed_text
    from chosen as c
)

select * from final
order by district_code, department_kind, indicator_code, year
