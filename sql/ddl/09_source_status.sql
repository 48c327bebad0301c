-- source_status: the latest attempt at each manifest source.
create table if not exists source_status (
    source_id varchar primary key,
    run_id varchar not null,
    report_id varchar,          -- null when nothing could be fetched
    stage varchar not null,     -- fetch · extract · validate · load
    status varchar not null,    -- loaded · unchanged · failed
    error_class varchar,
    message varchar,
    attempted_at timestamp not null
);

comment on table source_status is 'The latest ingest attempt at each manifest source, whether it loaded or failed.';
comment on column source_status.source_id is 'Manifest entry id (key)';
comment on column source_status.run_id is 'Id of the ingest run that made the attempt';
comment on column source_status.report_id is 'sha256 of the fetched document → dim_report; NULL when nothing could be fetched';
comment on column source_status.stage is 'Last stage reached: fetch · extract · validate · load';
comment on column source_status.status is 'loaded · unchanged (same bytes, not extracted again) · failed';
comment on column source_status.error_class is 'Kind of failure (e.g. timeout, not_a_pdf, http_404, manifest); NULL when it did not fail';
comment on column source_status.message is 'What went wrong, in words';
comment on column source_status.attempted_at is 'When the attempt was made';
