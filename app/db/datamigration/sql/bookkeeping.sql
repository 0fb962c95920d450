-- The data migration's own tables, outside the app's alembic-managed schema.
CREATE SCHEMA IF NOT EXISTS semaine_migration;

CREATE TABLE IF NOT EXISTS semaine_migration.runs (
    run_id text PRIMARY KEY,
    environment text NOT NULL,
    status text NOT NULL CHECK (status IN (
        'migrating', 'completed', 'failed', 'rolling_back', 'rolled_back')),
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    min_id bigint,
    max_id bigint,
    checkpoint_id bigint,            -- last id covered by a committed batch
    batches_done integer NOT NULL DEFAULT 0,
    rows_updated bigint NOT NULL DEFAULT 0,
    rows_to_change bigint NOT NULL,
    backup_table text NOT NULL,
    backup_rows bigint NOT NULL,
    backup_checksum text NOT NULL,   -- md5 over (id, week_start, iso_year, iso_week)
    untouched_checksum text NOT NULL, -- md5 over the columns the migration never writes
    failure_reason text,
    rollback_reason text,
    rolled_back_at timestamptz
);

CREATE TABLE IF NOT EXISTS semaine_migration.batches (
    run_id text NOT NULL REFERENCES semaine_migration.runs ON DELETE CASCADE,
    batch_no integer NOT NULL,
    first_id bigint NOT NULL,
    last_id bigint NOT NULL,
    rows_updated integer NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (run_id, batch_no)
);
