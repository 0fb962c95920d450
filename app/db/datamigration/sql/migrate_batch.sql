-- Only rows still wrong: rows the service wrote meanwhile are already right and stay as is.
-- The week fields come from the ISO-week functions (app/db/week_functions.py).
UPDATE public.entries AS e
SET week_start = public.iso_week_start(e.entry_date),
    iso_year = public.iso_week_year(e.entry_date),
    iso_week = public.iso_week_number(e.entry_date)
WHERE e.id BETWEEN %(first_id)s AND %(last_id)s
  AND (e.week_start, e.iso_year, e.iso_week) IS DISTINCT FROM
      (public.iso_week_start(e.entry_date), public.iso_week_year(e.entry_date),
       public.iso_week_number(e.entry_date));
