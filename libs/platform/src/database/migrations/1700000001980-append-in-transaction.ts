import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_streams_or_error: append_to_streams for a caller inside a transaction. A failed append is
 * undone on its own (a subtransaction, as a savepoint would) and answered as one row with status
 * 'failed' and the error's SQLSTATE, constraint, detail and message, so the caller's transaction goes
 * on and the caller raises the same error: the same outcome as SAVEPOINT, the call, ROLLBACK TO
 * SAVEPOINT, without those two round trips around every append.
 */
export class AppendInTransaction1700000001980 implements MigrationInterface {
  name = 'AppendInTransaction1700000001980';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION append_to_streams_or_error(p_appends jsonb)
      RETURNS TABLE (group_index integer, stream_id text, status text, stream_version integer, transaction_id xid8,
                     global_position bigint, error_code text, error_constraint text, error_detail text, error_message text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_code text;
        v_constraint text;
        v_detail text;
        v_message text;
      BEGIN
        BEGIN
          -- append_to_streams returns its rows only once it has completed: no row of a failed call is kept.
          RETURN QUERY SELECT a.group_index, a.stream_id, a.status, a.stream_version, a.transaction_id,
                              a.global_position, NULL::text, NULL::text, NULL::text, NULL::text
                         FROM append_to_streams(p_appends) a;
          RETURN;
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_constraint = CONSTRAINT_NAME,
                                  v_detail = PG_EXCEPTION_DETAIL, v_message = MESSAGE_TEXT;
        END;
        RETURN QUERY SELECT NULL::integer, NULL::text, 'failed'::text, NULL::integer, NULL::xid8, NULL::bigint,
                            v_code, v_constraint, v_detail, v_message;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION append_to_streams_or_error(jsonb)');
  }
}
