"""What `--help` says about each data-migration verb, in both command lines."""

from __future__ import annotations

SUMMARY = {
    "migrate": "run the US1.6 data migration (resumable; --dry-run writes nothing)",
    "rollback": "restore a run's rows from its backup",
    "rehearse": "rehearse the whole migration on a THROWAWAY, empty database",
    "seed": "add legacy rows at every calendar edge to a THROWAWAY database (drills)",
}

DESCRIPTION = {
    "migrate": """\
Rewrite every legacy row of entries (a Sunday week_start, no ISO fields) to its
ISO 8601 week, in short batches while the service keeps running: the affected
columns are backed up first, the result is validated, and a failed run is
rolled back automatically. Interrupted, it resumes when run again. --dry-run
counts, samples and estimates without writing anything.

The schema must be at 0002_us16_expand; once the run completes, apply the
contract with `python -m app db upgrade head`.""",
    "rollback": """\
Restore a run's rows from the backup it took (default: the latest completed
run), then check that they equal the data before the run. Rows the service
changed since the backup keep the service's values. The schema must be at
0002_us16_expand (after the contract: python -m app db downgrade
0002_us16_expand first).""",
    "rehearse": """\
Rehearse the whole data migration on a THROWAWAY, EMPTY database: N legacy rows
at every calendar edge, expand, migrate, roll back (the table must come back
byte-identical), migrate again, contract. Writes the timings and checks as JSON
(the pipeline's migrations stage reads it).""",
    "seed": """\
Add N rows as the pre-US1.6 service wrote them (a Sunday week_start, no ISO
fields) to a THROWAWAY database at 0001_legacy or 0002_us16_expand: the days
around every 1 January and 31 December of 1990-2040 (every weekday, the 53-week
years, ISO years that differ from the calendar year), then dates spread over
that range. 1,071 rows cover every edge. Then follow the runbook: dry run,
migrate, roll back, migrate, contract.""",
}

RUNBOOK = "Runbook: docs/data-migration.md."

EXIT_STATUSES = {
    "migrate": """\
exit status:
  0  done (completed, dry run, or nothing to do)
  1  the run failed: the data was restored from the backup, unless the message
     says otherwise (it then names the next step; e.g. the run completed but its
     report could not be written)
  2  refused or usage error, nothing changed""",
    "rollback": """\
exit status:
  0  done (rolled back, or already rolled back)
  1  the restore, or its checks, failed: the run stays rolling_back and the
     message names the next step (or, as it says, the run ended but its report
     could not be written)
  2  refused or usage error, nothing changed""",
    "rehearse": """\
exit status:
  0  every check passed
  1  a check failed, or the rehearsal stopped part way (the message says where)
  2  refused or usage error, nothing changed""",
    "seed": """\
exit status:
  0  the rows were added
  1  PostgreSQL refused the rows (the message says why)
  2  refused or usage error, nothing changed""",
}
