-- N legacy rows (Sunday week_start, no ISO fields) at every calendar edge: the days around
-- 1 January and 31 December of 1990-2040 (all weekdays, years of 52 and 53 ISO weeks,
-- ISO years that differ from the calendar year), plus dates spread over the range.
INSERT INTO public.entries (entry_date, title, minutes, week_start, created_at, updated_at)
SELECT d, 'legacy entry ' || i, (i * 7) %% 480 + 1,
       d - extract(dow FROM d)::int,
       t, t
FROM (
    SELECT i,
           CASE i %% 3
               WHEN 0 THEN make_date(1990 + (i / 3) %% 51, 1, 1) + ((i / 153) %% 7 - 3)
               WHEN 1 THEN make_date(1990 + (i / 3) %% 51, 12, 31) + ((i / 153) %% 7 - 3)
               ELSE date '1990-01-01' + (i * 37) %% 18628
           END AS d,
           timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => i) AS t
    FROM generate_series(1, %(rows)s) AS i
) AS generated;
