-- What the backup reads per row, over a sample range (the dry run's estimate).
SELECT count(hashtextextended(row(entry_date, title, minutes, created_at, updated_at)::text, 0))
       AS rows
FROM public.entries
WHERE id BETWEEN %(first_id)s AND %(last_id)s;
