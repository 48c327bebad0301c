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
comment on table table_lineage is 'Each table Camelot read from a report, with its parsing report: the lineage of table figures.';
comment on column table_lineage.report_id is 'The report → dim_report';
comment on column table_lineage.table_index is 'Order of the table in the document (0-based)';
comment on column table_lineage.page is 'Page (1-based) the table is on';
comment on column table_lineage.flavor is 'Camelot parser that read it: lattice · stream · network';
comment on column table_lineage.accuracy is 'Camelot''s accuracy score (0–100)';
comment on column table_lineage.whitespace is 'Camelot''s whitespace share (0–100, lower is denser)';
comment on column table_lineage.n_rows is 'Rows in the table';
comment on column table_lineage.n_cols is 'Columns in the table';
comment on column table_lineage.role is 'What the table was used for: score_table · budget · other';
comment on column table_lineage.source_location is 'Where the table is in a non-PDF document: sheet or table number; NULL for a PDF';
