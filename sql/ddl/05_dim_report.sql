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
comment on table dim_report is 'One row per ingested document (its sha256): the current version of each manifest source, with its verdict.';
comment on column dim_report.report_id is 'sha256 of the document bytes (key)';
comment on column dim_report.source_id is 'Manifest entry id (sources/*.yaml)';
comment on column dim_report.district_code is '行政区划代码 of the district (manifest, authoritative) → dim_district';
comment on column dim_report.year is 'Fiscal year evaluated (manifest, authoritative) → dim_year';
comment on column dim_report.department_code is 'Department kind (manifest, authoritative) → dim_department';
comment on column dim_report.department_name is 'Department name as printed in the document';
comment on column dim_report.title is 'Title of the document (manifest, else as printed)';
comment on column dim_report.source_url is 'http(s) address the document was fetched from; NULL for a local file';
comment on column dim_report.raw_path is 'Where the fetched bytes are stored on disk';
comment on column dim_report.n_pages is 'Number of pages';
comment on column dim_report.doc_kind is 'How the figures were read: score_table · narrative (prose only) · scanned (OCR)';
comment on column dim_report.grade is 'Grade 优/良/中/差, as printed or derived from the total';
comment on column dim_report.grade_is_derived is 'true when the grade was derived from the total score, not printed';
comment on column dim_report.status is 'valid (every blocking check passed) · invalid (loaded with its failing checks) · unparsed (no facts)';
comment on column dim_report.status_reason is 'Why the report is invalid or unparsed; NULL when valid';
comment on column dim_report.extractor_version is 'Version of the extractor that read the document; a new version re-extracts';
comment on column dim_report.ingested_at is 'When this version of the report was loaded';
comment on column dim_report.source_format is 'Format read from the bytes, not the name: pdf · docx · doc · xlsx · xls · html';
comment on column dim_report.doc_type is 'Document type from the classifier: dept_self_eval_table · dept_self_eval_report · project_self_eval_table · final_accounts · budget · target_table · third_party_evaluation · other';
comment on column dim_report.doc_type_reason is 'Why the classifier chose doc_type: the title, headings and table headers it saw';
