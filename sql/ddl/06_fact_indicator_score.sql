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
