-- dim_report: one row per ingested document (its sha256), the current version of a source.
create table if not exists dim_report (
    report_id varchar primary key,   -- sha256 of the document's bytes
    source_id varchar not null,      -- manifest id
    district_code varchar not null,
    year integer not null,           -- fiscal year evaluated (manifest, authoritative)
    department_code varchar not null,
    department_name varchar,         -- as printed in the document
    title varchar,
    source_url varchar,
    raw_path varchar,
    n_pages integer,                 -- null for Word, Excel and HTML (no pages)
    source_format varchar,           -- pdf · docx · doc · xlsx · xls · html, from the bytes
    doc_type varchar,                -- dept_self_eval_table · dept_self_eval_report ·
                                     -- project_self_eval_table · final_accounts · budget ·
                                     -- target_table · third_party_evaluation · other
    doc_type_reason varchar,         -- the evidence (title, headings, table headers, words)
    doc_kind varchar,                -- score_table · narrative · scanned
    grade varchar,                   -- 优/良/中/差, as printed or derived from the total
    grade_is_derived boolean,
    status varchar not null,         -- valid · invalid · unparsed
    status_reason varchar,           -- why invalid or unparsed
    extractor_version varchar,       -- re-extract when it changes
    ingested_at timestamp not null
);

-- warehouses created before document types landed get the columns too
alter table dim_report add column if not exists source_format varchar;
alter table dim_report add column if not exists doc_type varchar;
alter table dim_report add column if not exists doc_type_reason varchar;
