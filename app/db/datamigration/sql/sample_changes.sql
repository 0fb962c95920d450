SELECT id, entry_date,
       week_start AS week_start_before, iso_year AS iso_year_before, iso_week AS iso_week_before,
       entry_date - (extract(isodow FROM entry_date)::int - 1) AS week_start_after,
       extract(isoyear FROM entry_date)::smallint AS iso_year_after,
       extract(week FROM entry_date)::smallint AS iso_week_after
FROM public.entries
WHERE week_start IS DISTINCT FROM entry_date - (extract(isodow FROM entry_date)::int - 1)
   OR iso_year IS DISTINCT FROM extract(isoyear FROM entry_date)::smallint
   OR iso_week IS DISTINCT FROM extract(week FROM entry_date)::smallint
ORDER BY id
LIMIT %(limit)s;
