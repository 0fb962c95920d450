-- Read-only: how many rows a migration would change, and the id range it would cover.
SELECT count(*) AS total_rows,
       count(*) FILTER (WHERE
           (week_start, iso_year, iso_week) IS DISTINCT FROM
           (public.iso_week_start(entry_date), public.iso_week_year(entry_date),
            public.iso_week_number(entry_date))
       ) AS rows_to_change,
       min(id) AS min_id,
       max(id) AS max_id
FROM public.entries;
