-- Which district scored what in one year: every report's scores down to a level,
-- with the district's place in the 行政区划代码 table for filtering and the report's
-- indicator framework (totals compare across frameworks, deeper levels within one).
-- Parameters: $year; $max_level (0 = total only, 1 = total + level 1, …);
-- $province, $city: a name or its start (广东, 广州市) or a code prefix (44, 4401), or null;
-- $framework: a framework code (guangdong, mof-dept, printed …), or null for every one.
with scores as (
    select * from v_scores
    where year = $year
      and level <= $max_level
),

reports as (
    select
        r.report_id,
        r.framework_code,
        f.name as framework
    from dim_report as r
    left join dim_framework as f using (framework_code)
    where $framework is null or r.framework_code = $framework
),

districts as (
    select * from dim_district
    where ($province is null or starts_with(province, $province)
           or starts_with(district_code, $province))
      and ($city is null or starts_with(city, $city) or starts_with(district_code, $city))
),

final as (
    select
        s.report_id,
        s.district_code,
        d.province,
        d.city,
        d.district,
        s.department_kind,
        r.framework_code,
        r.framework,
        s.indicator_code,
        s.level,
        s.indicator,
        s.weight,
        s.score,
        s.score_rate,
        s.is_derived
    from scores as s
    inner join districts as d using (district_code)
    inner join reports as r using (report_id)
)

select * from final
order by district_code, report_id, indicator_code
