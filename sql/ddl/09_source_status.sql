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
