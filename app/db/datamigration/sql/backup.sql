-- The affected columns of every row, plus what rollback and validation compare against:
-- entry_date and updated_at (to tell the service's later writes apart) and a digest of
-- the columns the migration must never touch.
CREATE TABLE semaine_migration.{backup} AS
SELECT id, entry_date, week_start, iso_year, iso_week, updated_at,
       hashtextextended(row(entry_date, title, minutes, created_at, updated_at)::text, 0)
           AS untouched
FROM public.entries;

ALTER TABLE semaine_migration.{backup} ADD PRIMARY KEY (id);
