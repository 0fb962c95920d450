-- Read-only: how many rows a migration would change, and the id range it would cover.
SELECT count(*) AS total_rows,
       count(*) FILTER (WHERE
           week_start IS DISTINCT FROM entry_date - (extract(isodow FROM entry_date)::int - 1)
           OR iso_year IS DISTINCT FROM extract(isoyear FROM entry_date)::smallint
           OR iso_week IS DISTINCT FROM extract(week FROM entry_date)::smallint
       ) AS rows_to_change,
       min(id) AS min_id,
       max(id) AS max_id
FROM public.entries;
