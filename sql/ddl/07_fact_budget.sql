-- fact_budget: budget figures (部门预算, 基本支出, 项目支出, 三公经费, key projects).
create table if not exists fact_budget (
    report_id varchar not null,
    item varchar not null,           -- 部门预算 · 基本支出 · 项目支出 · 三公经费 … or a project's printed name
    measure varchar not null,        -- a code of reference/measures.yaml
    district_code varchar not null,
    year integer not null,
    department_code varchar not null,
    amount_yuan decimal(18, 2),      -- yuan; null for rates
    rate decimal(9, 6),              -- fraction, for execution_rate
    printed_text varchar,
    printed_unit varchar,            -- 元 · 万元 · 亿元 · % as printed
    unit_corrected boolean,          -- printed unit replaced, proved by sibling arithmetic
    source_page integer,
    origin varchar,                  -- table · prose
    ocr_confidence double,           -- scans: min OCR confidence of the box its number came from
    source_location varchar,         -- Excel: sheet!cell; Word/HTML: table, row, column; PDF: null
    primary key (report_id, item, measure)
);

-- warehouses created before OCR landed get the column too
alter table fact_budget add column if not exists ocr_confidence double;
alter table fact_budget add column if not exists source_location varchar;

comment on table fact_budget is 'Budget figures per report, item and measure: 部门预算 and its parts, 三公经费, key projects; amounts in yuan, rates as fractions.';
comment on column fact_budget.report_id is 'The report the figure was read from → dim_report';
comment on column fact_budget.item is 'Budget line: 部门预算 · 基本支出 · 项目支出 · 三公经费 and its parts, or a project''s printed name';
comment on column fact_budget.measure is 'What the figure measures, a code of src/jixiao/reference/measures.yaml: initial_budget 年初预算 · adjustment 年中调整 · budget (what execution is measured against) · actual 支出 · execution_rate …';
comment on column fact_budget.district_code is '行政区划代码 of the report''s district → dim_district';
comment on column fact_budget.year is 'Fiscal year evaluated → dim_year';
comment on column fact_budget.department_code is 'Department kind → dim_department';
comment on column fact_budget.amount_yuan is 'Amount in yuan (元), exact; NULL for rates';
comment on column fact_budget.rate is 'Fraction (0.9882 = 98.82%), for execution_rate; NULL for amounts';
comment on column fact_budget.printed_text is 'The table row or sentence the figure was read from';
comment on column fact_budget.printed_unit is 'Unit as printed: 元 · 万元 · 亿元 · %';
comment on column fact_budget.unit_corrected is 'true when the printed unit was replaced, proved by the arithmetic of sibling figures';
comment on column fact_budget.source_page is 'Page (1-based) the figure was read from';
comment on column fact_budget.origin is 'Where the figure came from: table · prose';
comment on column fact_budget.ocr_confidence is 'Scans: OCR confidence (0–1) of the box its number came from; NULL for text';
comment on column fact_budget.source_location is 'Where in the document the figure was read: sheet!cell (xlsx), table/row/col (docx, HTML), or NULL for a PDF page';
