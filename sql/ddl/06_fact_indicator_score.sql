-- fact_indicator_score: one score per report and indicator, every printed
-- subtotal included; is_derived when computed from children, not printed.
create table if not exists fact_indicator_score (
    report_id varchar not null,
    indicator_code varchar not null,
    district_code varchar not null,
    year integer not null,
    department_code varchar not null,
    weight decimal(9, 3),           -- 分值 as printed
    score decimal(9, 3),            -- 得分 as printed
    score_rate decimal(9, 4),       -- score / weight
    is_derived boolean not null,
    printed_name varchar,           -- null when the row had no name
    deduction_reason varchar,       -- 未达标原因 / 扣分原因
    improvement varchar,            -- 改进措施
    source_page integer,
    printed_text varchar,           -- the row or sentence the numbers were read from
    origin varchar,                 -- table · prose · derived
    ocr_confidence double,          -- scans: min OCR confidence of the boxes its numbers came from
    source_location varchar,        -- Excel: sheet!cell; Word/HTML: table, row, column; PDF: null
    primary key (report_id, indicator_code)
);

-- warehouses created before OCR landed get the column too
alter table fact_indicator_score add column if not exists ocr_confidence double;
alter table fact_indicator_score add column if not exists source_location varchar;

comment on table fact_indicator_score is 'One score per report and indicator, every printed subtotal included (level 0 = 总分 … 3); is_derived when computed from children.';
comment on column fact_indicator_score.report_id is 'The report the score was read from → dim_report';
comment on column fact_indicator_score.indicator_code is 'The indicator → dim_indicator';
comment on column fact_indicator_score.district_code is '行政区划代码 of the report''s district → dim_district';
comment on column fact_indicator_score.year is 'Fiscal year evaluated → dim_year';
comment on column fact_indicator_score.department_code is 'Department kind → dim_department';
comment on column fact_indicator_score.weight is '分值 (points available) as printed; NULL when the report states none';
comment on column fact_indicator_score.score is '得分 (points scored) as printed, or summed from children when is_derived';
comment on column fact_indicator_score.score_rate is 'score / weight (0–1); NULL without a weight';
comment on column fact_indicator_score.is_derived is 'true when computed from the children rows, not printed';
comment on column fact_indicator_score.printed_name is 'Indicator name as printed; NULL when the row had no name';
comment on column fact_indicator_score.deduction_reason is '未达标原因 / 扣分原因 as printed';
comment on column fact_indicator_score.improvement is '改进措施 as printed';
comment on column fact_indicator_score.source_page is 'Page (1-based) the numbers were read from';
comment on column fact_indicator_score.printed_text is 'The table row or sentence the numbers were read from';
comment on column fact_indicator_score.origin is 'Where the numbers came from: table · prose · derived';
comment on column fact_indicator_score.ocr_confidence is 'Scans: lowest OCR confidence (0–1) of the boxes its numbers came from; NULL for text';
comment on column fact_indicator_score.source_location is 'Where in the document the row was read: sheet!cell (xlsx), table/row/col (docx, HTML), or NULL for a PDF page';
