-- fact_project_indicator: the indicator rows of each 项目支出绩效自评表 (fact_project):
-- fact_indicator_score's columns plus project_name.
create table if not exists fact_project_indicator (
    report_id varchar not null,
    project_name varchar not null,
    indicator_code varchar not null,
    district_code varchar not null,
    year integer not null,
    department_code varchar not null,
    weight decimal(9, 3),
    score decimal(9, 3),
    score_rate decimal(9, 4),
    is_derived boolean not null,
    printed_name varchar,
    deduction_reason varchar,
    improvement varchar,
    source_page integer,
    printed_text varchar,
    origin varchar,
    ocr_confidence double,
    source_location varchar,
    primary key (report_id, project_name, indicator_code)
);

comment on table fact_project_indicator is 'One score per project form and indicator (fact_indicator_score''s columns plus project_name); level 0 = the form''s 总分, level 1 = 预算执行率 and 产出/效益/满意度指标.';
comment on column fact_project_indicator.report_id is 'The report the form was read from → dim_report';
comment on column fact_project_indicator.project_name is 'The project → fact_project';
comment on column fact_project_indicator.indicator_code is 'The indicator → dim_indicator (mof-project:…)';
comment on column fact_project_indicator.district_code is '行政区划代码 of the report''s district → dim_district';
comment on column fact_project_indicator.year is 'Fiscal year evaluated → dim_year';
comment on column fact_project_indicator.department_code is 'Department kind → dim_department';
comment on column fact_project_indicator.weight is '分值 as printed';
comment on column fact_project_indicator.score is '得分 as printed, or summed from children when is_derived';
comment on column fact_project_indicator.score_rate is 'score / weight (0–1); NULL without a weight';
comment on column fact_project_indicator.is_derived is 'true when computed from the children rows, not printed';
comment on column fact_project_indicator.printed_name is 'Indicator name as printed';
comment on column fact_project_indicator.deduction_reason is '偏差原因 / 扣分原因 as printed';
comment on column fact_project_indicator.improvement is '改进措施 as printed';
comment on column fact_project_indicator.source_page is 'Page (1-based) the numbers were read from';
comment on column fact_project_indicator.printed_text is 'The table row the numbers were read from';
comment on column fact_project_indicator.origin is 'Where the numbers came from: table · derived';
comment on column fact_project_indicator.ocr_confidence is 'Scans: lowest OCR confidence (0–1) of its numbers; NULL for text';
comment on column fact_project_indicator.source_location is 'Where in the document the row was read: sheet!cell, table/row/col, or NULL for a PDF page';
