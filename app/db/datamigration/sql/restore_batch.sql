-- Undo the migration's writes only: a row the service changed since the backup (another
-- updated_at or entry_date) keeps the service's values, which are newer and correct.
UPDATE public.entries AS e
SET week_start = b.week_start, iso_year = b.iso_year, iso_week = b.iso_week
FROM semaine_migration.{backup} AS b
WHERE b.id BETWEEN %(first_id)s AND %(last_id)s
  AND e.id BETWEEN %(first_id)s AND %(last_id)s  -- repeated so both sides use their index
  AND e.id = b.id
  AND e.updated_at = b.updated_at
  AND e.entry_date = b.entry_date
  AND (e.week_start, e.iso_year, e.iso_week)
      IS DISTINCT FROM (b.week_start, b.iso_year, b.iso_week);
