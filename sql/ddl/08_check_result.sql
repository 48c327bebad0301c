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

comment on table check_result is 'Every validation outcome per report, passed or not (Great Expectations suites and jixiao checks).';
comment on column check_result.report_id is 'The report checked → dim_report';
comment on column check_result.check_name is 'Name of the check, e.g. score_children_sum (docs/validation.md)';
comment on column check_result.subject is 'What was checked: an indicator path, a budget line or a document part';
comment on column check_result.severity is 'error (blocks: the report becomes invalid) · warning';
comment on column check_result.passed is 'true when the check passed';
comment on column check_result.observed is 'The value found';
comment on column check_result.expected is 'The value or range expected';
comment on column check_result.detail is 'Explanation in words';
