-- table_lineage: each table Camelot read from a report, with its parsing report.
create table if not exists table_lineage (
    report_id varchar not null,
    table_index integer not null,   -- order in the document
    page integer not null,
    flavor varchar not null,        -- lattice · stream · network
    accuracy double,
    whitespace double,
    n_rows integer,
    n_cols integer,
    role varchar,                   -- score_table · budget · other
    primary key (report_id, table_index)
);
