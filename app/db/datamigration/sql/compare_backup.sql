-- The backed-up rows against the table now. Rows the service changed since the backup
-- (another updated_at or entry_date) are counted apart: they are the service's to keep.
SELECT count(*) AS backup_rows,
       count(e_id) AS present,
       count(*) FILTER (WHERE e_id IS NOT NULL AND NOT same_version) AS changed_by_service,
       count(*) FILTER (WHERE same_version AND e_untouched <> untouched) AS untouched_changed,
       count(*) FILTER (WHERE same_version
                          AND (e_week_start, e_iso_year, e_iso_week)
                              IS DISTINCT FROM (week_start, iso_year, iso_week))
           AS differ_from_backup,
       coalesce(sum(hashtextextended(row(id, e_week_start, e_iso_year, e_iso_week)::text, 0))
                FILTER (WHERE e_id IS NOT NULL), 0)::text AS current_checksum,
       coalesce(sum(hashtextextended(row(id, e_untouched)::text, 0))
                FILTER (WHERE e_id IS NOT NULL), 0)::text AS untouched_checksum
FROM (
    SELECT b.id, b.week_start, b.iso_year, b.iso_week, b.untouched,
           e.id AS e_id, e.week_start AS e_week_start, e.iso_year AS e_iso_year,
           e.iso_week AS e_iso_week,
           hashtextextended(row(e.entry_date, e.title, e.minutes, e.created_at,
                                e.updated_at)::text, 0) AS e_untouched,
           coalesce(e.updated_at = b.updated_at AND e.entry_date = b.entry_date, false)
               AS same_version
    FROM semaine_migration.{backup} AS b
    LEFT JOIN public.entries AS e ON e.id = b.id
) AS compared;
