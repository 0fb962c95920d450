-- Checksums are sums of 64-bit row hashes: order-free, so no sort of the whole table.
SELECT count(*) AS backup_rows,
       min(id) AS min_id,
       max(id) AS max_id,
       count(*) FILTER (WHERE
           (week_start, iso_year, iso_week) IS DISTINCT FROM
           (public.iso_week_start(entry_date), public.iso_week_year(entry_date),
            public.iso_week_number(entry_date))
       ) AS rows_to_change,
       coalesce(sum(hashtextextended(row(id, week_start, iso_year, iso_week)::text, 0)), 0)::text
           AS backup_checksum,
       coalesce(sum(hashtextextended(row(id, untouched)::text, 0)), 0)::text
           AS untouched_checksum
FROM semaine_migration.{backup};
