-- Only rows still wrong: rows the service wrote meanwhile are already right and stay as is.
UPDATE public.entries AS e
SET week_start = e.entry_date - (extract(isodow FROM e.entry_date)::int - 1),
    iso_year = extract(isoyear FROM e.entry_date)::smallint,
    iso_week = extract(week FROM e.entry_date)::smallint
WHERE e.id BETWEEN %(first_id)s AND %(last_id)s
  AND (e.week_start IS DISTINCT FROM e.entry_date - (extract(isodow FROM e.entry_date)::int - 1)
       OR e.iso_year IS DISTINCT FROM extract(isoyear FROM e.entry_date)::smallint
       OR e.iso_week IS DISTINCT FROM extract(week FROM e.entry_date)::smallint);
