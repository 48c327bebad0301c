-- Which reports of a year are left out of the comparison, and why?
-- Reports whose status is invalid or unparsed, with the verdict's reason.
-- Parameters: $year.
with reports as (
    select * from dim_report
    where year = $year and status <> 'valid'
),

final as (
    select
        d.district,
        r.district_code,
        r.source_id,
        r.status,
        r.status_reason,
        r.title,
        r.source_url,
        r.raw_path
    from reports as r
    inner join dim_district as d using (district_code)
)

select * from final
order by district_code, source_id
