import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log. Readers follow it in (transaction_id, global_position) order and only below the
 * oldest running transaction (pg_snapshot_xmin), so an event committed late is never skipped.
 */
export class EventStore1700000000000 implements MigrationInterface {
  name = 'EventStore1700000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0)
      )`);
    await db.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id text NOT NULL,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        content_hash text NOT NULL,
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await db.query(`CREATE INDEX events_log_order ON events (transaction_id, global_position)`);
    await db.query(`CREATE INDEX events_type_log_order ON events (type, transaction_id, global_position)`);
    // Wakes followers; PostgreSQL delivers the notification at commit and folds duplicates per transaction.
    await db.query(`
      CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('events_appended', '');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_notify()`);

    /*
     * Appends groups of events to many streams in one round trip. p_appends is a JSON array of
     * { streamId, expectedVersion, events: [{ eventId, type, data, metadata, occurredAt, contentHash }] }.
     * expectedVersion: -2 any, -1 the stream exists, 0 no stream yet, n > 0 exactly n events so far.
     * A group whose event ids all exist with the same content is reported as a duplicate and writes
     * nothing; any other reuse of an event id raises RL409; a version mismatch raises RL412.
     */
    await db.query(`
      CREATE FUNCTION append_to_streams(p_appends jsonb)
      RETURNS TABLE (group_index integer, stream_id text, status text, stream_version integer, transaction_id xid8, global_position bigint)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        g jsonb;
        i integer;
        v_stream text;
        v_expected integer;
        v_count integer;
        v_existing integer;
        v_matching integer;
        v_version integer;
        v_conflict text;
      BEGIN
        FOR g, i IN SELECT value, ordinality::integer FROM jsonb_array_elements(p_appends) WITH ORDINALITY LOOP
          v_stream := g->>'streamId';
          v_expected := (g->>'expectedVersion')::integer;
          v_count := jsonb_array_length(g->'events');

          SELECT count(*)::integer, count(*) FILTER (WHERE e.content_hash = n.value->>'contentHash')::integer,
                 min(e.event_id) FILTER (WHERE e.content_hash <> n.value->>'contentHash')
            INTO v_existing, v_matching, v_conflict
            FROM jsonb_array_elements(g->'events') n
            JOIN events e ON e.event_id = n.value->>'eventId';
          IF v_existing > 0 THEN
            IF v_existing = v_count AND v_matching = v_count THEN
              RETURN QUERY SELECT i, v_stream, 'duplicate'::text, max(e.stream_version), max(e.transaction_id), max(e.global_position)
                FROM events e WHERE e.event_id IN (SELECT n.value->>'eventId' FROM jsonb_array_elements(g->'events') n);
              CONTINUE;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'RL409',
              MESSAGE = 'event id reused with other content',
              DETAIL = coalesce(v_conflict, (SELECT min(n.value->>'eventId') FROM jsonb_array_elements(g->'events') n
                                              JOIN events e ON e.event_id = n.value->>'eventId'));
          END IF;

          IF v_expected = -2 THEN
            INSERT INTO event_streams AS s VALUES (v_stream, v_count)
              ON CONFLICT ON CONSTRAINT event_streams_pkey DO UPDATE SET version = s.version + v_count
              RETURNING s.version INTO v_version;
          ELSIF v_expected = 0 THEN
            INSERT INTO event_streams AS s VALUES (v_stream, v_count)
              ON CONFLICT ON CONSTRAINT event_streams_pkey DO NOTHING
              RETURNING s.version INTO v_version;
          ELSIF v_expected = -1 THEN
            UPDATE event_streams s SET version = s.version + v_count WHERE s.stream_id = v_stream
              RETURNING s.version INTO v_version;
          ELSE
            UPDATE event_streams s SET version = s.version + v_count
              WHERE s.stream_id = v_stream AND s.version = v_expected
              RETURNING s.version INTO v_version;
          END IF;
          IF v_version IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'RL412',
              MESSAGE = 'wrong expected version',
              DETAIL = json_build_object('streamId', v_stream, 'expected', v_expected,
                'actual', (SELECT s.version FROM event_streams s WHERE s.stream_id = v_stream))::text;
          END IF;

          RETURN QUERY
            INSERT INTO events AS e (event_id, stream_id, stream_version, type, data, metadata, occurred_at, content_hash)
            SELECT n.value->>'eventId', v_stream, v_version - v_count + n.ordinality::integer, n.value->>'type',
                   n.value->'data', n.value->'metadata', (n.value->>'occurredAt')::timestamptz, n.value->>'contentHash'
              FROM jsonb_array_elements(g->'events') WITH ORDINALITY n
            RETURNING i, v_stream, 'appended'::text, e.stream_version, e.transaction_id, e.global_position;
        END LOOP;
      END $$`);

    await db.query(`
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT '0',
        global_position bigint NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'idle',
        rebuild_requested_at timestamptz,
        rebuild_transaction_id xid8,
        rebuild_global_position bigint,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE projection_checkpoints');
    await db.query('DROP FUNCTION append_to_streams(jsonb)');
    await db.query('DROP TRIGGER events_notify ON events');
    await db.query('DROP FUNCTION events_notify()');
    await db.query('DROP TABLE events');
    await db.query('DROP TABLE event_streams');
  }
}
