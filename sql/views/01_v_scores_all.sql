-- v_scores_all: every indicator score with its district, year, indicator and
-- the report's status (valid · invalid); analysts filter on status.
create or replace view v_scores_all as
with scores as (
    select * from fact_indicator_score
),

reports as (
    select
        report_id, source_id, status, doc_kind, grade, grade_is_derived, title, source_url,
        raw_path
    from dim_report
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
        s.origin,
        s.printed_text,
        s.deduction_reason,
        r.grade,
        r.grade_is_derived,
        r.title,
        r.source_url,
        r.raw_path
    from scores as s
    inner join reports as r using (report_id)
    inner join dim_district as d using (district_code)
    inner join dim_indicator as i using (indicator_code)
    inner join dim_department as dep using (department_code)
)

select * from final;

comment on view v_scores_all is 'Every indicator score with its district, year, department, indicator and the report''s status (valid · invalid): filter on status.';
comment on column v_scores_all.report_id is 'The report the score was read from (sha256) → dim_report';
comment on column v_scores_all.source_id is 'Manifest entry id of the report';
comment on column v_scores_all.status is 'The report''s status: valid · invalid';
comment on column v_scores_all.doc_kind is 'How the figures were read: score_table · narrative · scanned';
comment on column v_scores_all.province is 'Province (省)';
comment on column v_scores_all.city is 'Prefecture-level city (市)';
comment on column v_scores_all.district is 'District or county (区/县)';
comment on column v_scores_all.district_code is '6-digit 行政区划代码';
comment on column v_scores_all.year is 'Fiscal year evaluated (评价年度)';
comment on column v_scores_all.department_kind is 'Canonical department kind, e.g. 政务服务数据管理局';
comment on column v_scores_all.level is 'Indicator level: 0 = 总分, 1, 2, 3';
comment on column v_scores_all.path is 'Indicator path, e.g. 管理效率/采购管理/合同备案时效性';
comment on column v_scores_all.indicator is 'Canonical indicator name';
comment on column v_scores_all.indicator_code is 'Hierarchical indicator code → dim_indicator';
comment on column v_scores_all.weight is '分值 as printed';
comment on column v_scores_all.score is '得分 as printed, or summed from children when is_derived';
comment on column v_scores_all.score_rate is 'score / weight (0–1)';
comment on column v_scores_all.is_derived is 'true when computed from the children rows, not printed';
comment on column v_scores_all.printed_name is 'Indicator name as printed';
comment on column v_scores_all.source_page is 'Page (1-based) the numbers were read from';
comment on column v_scores_all.origin is 'table · prose · derived';
comment on column v_scores_all.printed_text is 'The table row or sentence the numbers were read from';
comment on column v_scores_all.deduction_reason is '未达标原因 / 扣分原因 as printed';
comment on column v_scores_all.grade is 'The report''s grade 优/良/中/差, as printed or derived from the total';
comment on column v_scores_all.grade_is_derived is 'true when the report''s grade was derived from its total, not printed';
comment on column v_scores_all.title is 'Title of the report';
comment on column v_scores_all.source_url is 'http(s) address the report was fetched from; NULL for a local file';
comment on column v_scores_all.raw_path is 'Where the report''s bytes are stored on disk';
