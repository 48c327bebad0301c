-- table_lineage: each table read from a report: Camelot's parsing report (PDF), or where
-- the table sits in a Word, Excel or HTML document (source_location).
create table if not exists table_lineage (
    report_id varchar not null,
    table_index integer not null,   -- order in the document
    page integer not null,
    flavor varchar not null,        -- lattice · stream · network · ocr · xlsx · docx · html
    accuracy double,
    whitespace double,
    n_rows integer,
    n_cols integer,
    role varchar,                   -- score_table · budget · other
    source_location varchar,        -- e.g. sheet 部门整体支出绩效自评表 A1:J40, table 2
    primary key (report_id, table_index)
);

alter table table_lineage add column if not exists source_location varchar;
