-- dim_year: fiscal years evaluated (评价年度), one row per year seen.
create table if not exists dim_year (
    year integer primary key
);

comment on table dim_year is 'Fiscal years evaluated (评价年度), one row per year seen in a loaded report.';
comment on column dim_year.year is 'Fiscal year evaluated (评价年度), not the year of publication (key)';
