-- Checksums are sums of 64-bit row hashes: order-free, so no sort of the whole table.
SELECT count(*) AS backup_rows,
       min(id) AS min_id,
       max(id) AS max_id,
       count(*) FILTER (WHERE
           week_start IS DISTINCT FROM entry_date - (extract(isodow FROM entry_date)::int - 1)
           OR iso_year IS DISTINCT FROM extract(isoyear FROM entry_date)::smallint
           OR iso_week IS DISTINCT FROM extract(week FROM entry_date)::smallint
       ) AS rows_to_change,
       coalesce(sum(hashtextextended(row(id, week_start, iso_year, iso_week)::text, 0)), 0)::text
           AS backup_checksum,
       coalesce(sum(hashtextextended(row(id, untouched)::text, 0)), 0)::text
           AS untouched_checksum
FROM semaine_migration.{backup};
