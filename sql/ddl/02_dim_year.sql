-- dim_year: fiscal years evaluated (评价年度), one row per year seen.
create table if not exists dim_year (
    year integer primary key
);
