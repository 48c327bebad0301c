-- check_result: every validation outcome, passed or not.
create table if not exists check_result (
    report_id varchar not null,
    check_name varchar not null,
    subject varchar not null,   -- the indicator path, budget line or document part checked
    severity varchar not null,  -- error · warning
    passed boolean not null,
    observed varchar,
    expected varchar,
    detail varchar,
    primary key (report_id, check_name, subject)
);
