-- v_scores_all: every indicator score with its district, year, indicator and
-- the report's status (valid · invalid); analysts filter on status.
create or replace view v_scores_all as
with scores as (
    select * from fact_indicator_score
),

reports as (
    select report_id, source_id, status, doc_kind, grade from dim_report
),

final as (
    select
        s.report_id,
        r.source_id,
        r.status,
        r.doc_kind,
        d.province,
        d.city,
        d.district,
        s.district_code,
        s.year,
        dep.department_kind,
        i.level,
        i.path,
        i.name as indicator,
        s.indicator_code,
        s.weight,
        s.score,
        s.score_rate,
        s.is_derived,
        s.printed_name,
        s.source_page,
        s.origin
    from scores as s
    inner join reports as r using (report_id)
    inner join dim_district as d using (district_code)
    inner join dim_indicator as i using (indicator_code)
    inner join dim_department as dep using (department_code)
)

select * from final
