import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_streams: the one-statement path also takes exact expected versions ("no-stream",
 * "stream-exists", n), so a request that appends attempt streams at known versions no longer falls back
 * to one round of statements per group. Every stream's version is bumped by one upsert (in stream
 * order); each group's version before it (the stream's version before the call, plus the events of the
 * groups before it on that stream) is then checked against its expectation, and the first group that
 * does not match raises RL412 with the same detail as before, which undoes the upsert with the
 * statement. A stream row exists only once it holds events, so "the row did not exist" is a version
 * before of 0. Known event ids (duplicates, reused ids) keep the per-group path unchanged.
 */
export class SetBasedExactVersions1700000001970 implements MigrationInterface {
  name = 'SetBasedExactVersions1700000001970';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION append_to_streams(p_appends jsonb)
      RETURNS TABLE (group_index integer, stream_id text, status text, stream_version integer, transaction_id xid8, global_position bigint)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        g jsonb;
        i integer;
        v_ids text[];
        v_known integer;
        v_before integer[];
        v_failed integer;
        v_positions bigint[];
        v_stream text;
        v_expected integer;
        v_count integer;
        v_existing integer;
        v_matching integer;
        v_version integer;
        v_conflict text;
        v_group_ids text[];
      BEGIN
        SELECT array_agg(n.value->>'eventId') INTO v_ids
          FROM jsonb_array_elements(p_appends) a, jsonb_array_elements(a.value->'events') n;
        SELECT count(*)::integer INTO v_known FROM events e WHERE e.event_id = ANY(v_ids);

        IF v_known = 0 THEN
          WITH groups AS (
            SELECT a.ordinality::integer AS gi, a.value->>'streamId' AS sid,
                   (a.value->>'expectedVersion')::integer AS expected,
                   jsonb_array_length(a.value->'events') AS cnt
              FROM jsonb_array_elements(p_appends) WITH ORDINALITY a
          ),
          bumped AS (
            -- In stream order, so that concurrent appends lock streams in the same order.
            INSERT INTO event_streams AS s (stream_id, version)
            SELECT sid, sum(cnt)::integer FROM groups GROUP BY sid ORDER BY sid
            ON CONFLICT ON CONSTRAINT event_streams_pkey DO UPDATE SET version = s.version + EXCLUDED.version
            RETURNING s.stream_id AS sid, s.version AS ver
          ),
          -- A stream named by several groups: each group's events follow those of the groups before it.
          placed AS (
            SELECT g.gi, g.expected,
                   (b.ver - sum(g.cnt) OVER (PARTITION BY g.sid)
                          + sum(g.cnt) OVER (PARTITION BY g.sid ORDER BY g.gi) - g.cnt)::integer AS before
              FROM groups g JOIN bumped b ON b.sid = g.sid
          )
          SELECT array_agg(p.before ORDER BY p.gi),
                 min(p.gi) FILTER (WHERE CASE p.expected WHEN -2 THEN false
                                                         WHEN -1 THEN p.before = 0
                                                         ELSE p.before <> p.expected END)
            INTO v_before, v_failed
            FROM placed p;

          IF v_failed IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'RL412',
              MESSAGE = 'wrong expected version',
              DETAIL = json_build_object('streamId', p_appends->(v_failed - 1)->>'streamId',
                'expected', (p_appends->(v_failed - 1)->>'expectedVersion')::integer,
                'actual', nullif(v_before[v_failed], 0))::text;
          END IF;

          -- Inserted in group order, so the k-th position of the statement is the k-th event of the call.
          WITH inserted AS (
            INSERT INTO events AS e (event_id, stream_id, stream_version, type, data, metadata, occurred_at, content_hash)
            SELECT n.value->>'eventId', a.value->>'streamId', v_before[a.ordinality] + n.ordinality::integer,
                   n.value->>'type', n.value->'data', n.value->'metadata', (n.value->>'occurredAt')::timestamptz,
                   n.value->>'contentHash'
              FROM jsonb_array_elements(p_appends) WITH ORDINALITY a
              CROSS JOIN LATERAL jsonb_array_elements(a.value->'events') WITH ORDINALITY n
             ORDER BY a.ordinality, n.ordinality
            RETURNING e.global_position
          )
          SELECT array_agg(ins.global_position ORDER BY ins.global_position) INTO v_positions FROM inserted ins;

          -- One row per group: its last event.
          RETURN QUERY
            SELECT a.ordinality::integer, a.value->>'streamId', 'appended'::text,
                   v_before[a.ordinality] + jsonb_array_length(a.value->'events'),
                   pg_current_xact_id(),
                   v_positions[(sum(jsonb_array_length(a.value->'events')) OVER (ORDER BY a.ordinality))::integer]
              FROM jsonb_array_elements(p_appends) WITH ORDINALITY a
             ORDER BY a.ordinality;
          RETURN;
        END IF;

        FOR g, i IN SELECT value, ordinality::integer FROM jsonb_array_elements(p_appends) WITH ORDINALITY LOOP
          v_stream := g->>'streamId';
          v_expected := (g->>'expectedVersion')::integer;
          v_count := jsonb_array_length(g->'events');

          v_group_ids := ARRAY(SELECT n.value->>'eventId' FROM jsonb_array_elements(g->'events') n);
          SELECT count(*)::integer,
                 count(*) FILTER (WHERE e.content_hash = (SELECT n.value->>'contentHash' FROM jsonb_array_elements(g->'events') n
                                                           WHERE n.value->>'eventId' = e.event_id LIMIT 1))::integer,
                 min(e.event_id)
            INTO v_existing, v_matching, v_conflict
            FROM events e WHERE e.event_id = ANY(v_group_ids);
          IF v_existing > 0 THEN
            IF v_existing = v_count AND v_matching = v_count THEN
              RETURN QUERY SELECT i, v_stream, 'duplicate'::text, max(e.stream_version), max(e.transaction_id), max(e.global_position)
                FROM events e WHERE e.event_id = ANY(v_group_ids);
              CONTINUE;
            END IF;
            SELECT min(e.event_id) INTO v_conflict FROM events e
             WHERE e.event_id = ANY(v_group_ids)
               AND e.content_hash IS DISTINCT FROM (SELECT n.value->>'contentHash' FROM jsonb_array_elements(g->'events') n
                                                    WHERE n.value->>'eventId' = e.event_id LIMIT 1);
            RAISE EXCEPTION USING ERRCODE = 'RL409',
              MESSAGE = 'event id reused with other content',
              DETAIL = coalesce(v_conflict, (SELECT min(e.event_id) FROM events e WHERE e.event_id = ANY(v_group_ids)));
          END IF;

          v_version := NULL;
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
  }

  async down(): Promise<void> {
    // The previous body is in 1700000001960-append-repeated-streams.
  }
}
