-- Which district scored what on each indicator of one level, in one year?
-- Parameters: $year, $max_level (0 = total only, 1 = total + level 1, …),
-- $indicator (a canonical name, or null for all).
with scores as (
    select * from v_scores
    where year = $year
      and level <= $max_level
      and ($indicator is null or indicator = $indicator)
),

final as (
    select district, district_code, indicator_code, level, path, indicator, weight, score, is_derived
    from scores
)

select * from final
order by indicator_code, district_code
