"""The US1.6 data migration: legacy Sunday weeks to ISO weeks, resumable and reversible.

`runner.DataMigration` is the entry point (migrate, dry run, rollback); each concept has
its module (preflight, lock, backup, checkpoint, batches, validation, rollback, progress,
report) and its SQL in `sql/`. See docs/data-migration.md.
"""
