SELECT count(*) AS total_rows,
       count(*) FILTER (WHERE week_start <> public.iso_week_start(week_start)) AS not_monday,
       count(*) FILTER (WHERE NOT entry_date BETWEEN week_start AND week_start + 6)
           AS outside_week,
       count(*) FILTER (WHERE iso_year IS DISTINCT FROM public.iso_week_year(entry_date)
                          OR iso_week IS DISTINCT FROM public.iso_week_number(entry_date))
           AS iso_mismatch
FROM public.entries;
