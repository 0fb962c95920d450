-- Same transaction as the batch: the data and its checkpoint commit together or not at all.
-- The guard on checkpoint_id refuses to record a batch twice.
WITH batch AS (
    INSERT INTO semaine_migration.batches (run_id, batch_no, first_id, last_id, rows_updated)
    VALUES (%(run_id)s, %(batch_no)s, %(first_id)s, %(last_id)s, %(rows)s)
    RETURNING run_id
)
UPDATE semaine_migration.runs AS r
SET checkpoint_id = %(last_id)s,
    batches_done = r.batches_done + 1,
    rows_updated = r.rows_updated + %(rows)s
FROM batch
WHERE r.run_id = batch.run_id
  AND r.status = 'migrating'
  AND r.checkpoint_id IS NOT DISTINCT FROM %(previous_id)s;
