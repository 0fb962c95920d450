SELECT id, entry_date,
       week_start AS week_start_before, iso_year AS iso_year_before, iso_week AS iso_week_before,
       public.iso_week_start(entry_date) AS week_start_after,
       public.iso_week_year(entry_date) AS iso_year_after,
       public.iso_week_number(entry_date) AS iso_week_after
FROM public.entries
WHERE (week_start, iso_year, iso_week) IS DISTINCT FROM
      (public.iso_week_start(entry_date), public.iso_week_year(entry_date),
       public.iso_week_number(entry_date))
ORDER BY id
LIMIT %(limit)s;
