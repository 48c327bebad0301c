-- fact_budget: budget figures (部门预算, 基本支出, 项目支出, 三公经费, key projects).
create table if not exists fact_budget (
    report_id varchar not null,
    item varchar not null,           -- 部门预算 · 基本支出 · 项目支出 · 三公经费 … or a project's printed name
    measure varchar not null,        -- initial_budget · adjustment · budget · actual · execution_rate
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
