-- v_scores: the scores analysts compare by default: valid reports only.
create or replace view v_scores as
select * from v_scores_all where status = 'valid';

comment on view v_scores is 'The scores analysts compare by default: v_scores_all restricted to valid reports.';
comment on column v_scores.report_id is 'The report the score was read from (sha256) → dim_report';
comment on column v_scores.source_id is 'Manifest entry id of the report';
comment on column v_scores.status is 'Always valid here';
comment on column v_scores.doc_kind is 'How the figures were read: score_table · narrative · scanned';
comment on column v_scores.province is 'Province (省)';
comment on column v_scores.city is 'Prefecture-level city (市)';
comment on column v_scores.district is 'District or county (区/县)';
comment on column v_scores.district_code is '6-digit 行政区划代码';
comment on column v_scores.year is 'Fiscal year evaluated (评价年度)';
comment on column v_scores.department_kind is 'Canonical department kind, e.g. 政务服务数据管理局';
comment on column v_scores.level is 'Indicator level: 0 = 总分, 1, 2, 3';
comment on column v_scores.path is 'Indicator path, e.g. 管理效率/采购管理/合同备案时效性';
comment on column v_scores.indicator is 'Canonical indicator name';
comment on column v_scores.indicator_code is 'Hierarchical indicator code → dim_indicator';
comment on column v_scores.weight is '分值 as printed';
comment on column v_scores.score is '得分 as printed, or summed from children when is_derived';
comment on column v_scores.score_rate is 'score / weight (0–1)';
comment on column v_scores.is_derived is 'true when computed from the children rows, not printed';
comment on column v_scores.printed_name is 'Indicator name as printed';
comment on column v_scores.source_page is 'Page (1-based) the numbers were read from';
comment on column v_scores.origin is 'table · prose · derived';
comment on column v_scores.printed_text is 'The table row or sentence the numbers were read from';
comment on column v_scores.deduction_reason is '未达标原因 / 扣分原因 as printed';
comment on column v_scores.grade is 'The report''s grade 优/良/中/差, as printed or derived from the total';
comment on column v_scores.grade_is_derived is 'true when the report''s grade was derived from its total, not printed';
comment on column v_scores.title is 'Title of the report';
comment on column v_scores.source_url is 'http(s) address the report was fetched from; NULL for a local file';
comment on column v_scores.raw_path is 'Where the report''s bytes are stored on disk';
