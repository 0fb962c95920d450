SELECT count(*) AS total_rows,
       count(*) FILTER (WHERE extract(isodow FROM week_start) <> 1) AS not_monday,
       count(*) FILTER (WHERE NOT entry_date BETWEEN week_start AND week_start + 6)
           AS outside_week,
       count(*) FILTER (WHERE iso_year IS DISTINCT FROM extract(isoyear FROM entry_date)
                          OR iso_week IS DISTINCT FROM extract(week FROM entry_date))
           AS iso_mismatch
FROM public.entries;
