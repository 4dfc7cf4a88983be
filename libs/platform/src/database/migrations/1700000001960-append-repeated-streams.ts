import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_streams: the one-statement path also takes a call that names a stream several times
 * (a request's clicks by one visitor), as long as every group expects "any" and no id is known; each
 * group's events follow those of the groups before it in the stream. Exact versions, known ids and
 * duplicates keep the per-group path.
 */
export class AppendRepeatedStreams1700000001960 implements MigrationInterface {
  name = 'AppendRepeatedStreams1700000001960';

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
        v_fast boolean;
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

        SELECT v_known = 0 AND bool_and((a.value->>'expectedVersion')::integer = -2)
          INTO v_fast
          FROM jsonb_array_elements(p_appends) a;

        IF v_fast THEN
          RETURN QUERY
            WITH groups AS (
              SELECT a.ordinality::integer AS gi, a.value->>'streamId' AS sid,
                     jsonb_array_length(a.value->'events') AS cnt, a.value->'events' AS evs
                FROM jsonb_array_elements(p_appends) WITH ORDINALITY a
            ),
            -- A stream named by several groups: each group's events follow those of the groups before it.
            placed AS (
              SELECT g.gi, g.sid, g.evs,
                     (sum(g.cnt) OVER (PARTITION BY g.sid ORDER BY g.gi) - g.cnt)::integer AS before,
                     (sum(g.cnt) OVER (PARTITION BY g.sid))::integer AS total
                FROM groups g
            ),
            bumped AS (
              -- In stream order, so that concurrent appends lock streams in the same order.
              INSERT INTO event_streams AS s (stream_id, version)
              SELECT sid, sum(cnt)::integer FROM groups GROUP BY sid ORDER BY sid
              ON CONFLICT ON CONSTRAINT event_streams_pkey DO UPDATE SET version = s.version + EXCLUDED.version
              RETURNING s.stream_id AS sid, s.version AS ver
            ),
            numbered AS (
              SELECT p.gi, n.ordinality AS ord, n.value AS ev, p.sid,
                     b.ver - p.total + p.before + n.ordinality::integer AS version
                FROM placed p
                JOIN bumped b ON b.sid = p.sid
                CROSS JOIN LATERAL jsonb_array_elements(p.evs) WITH ORDINALITY n
            ),
            inserted AS (
              INSERT INTO events AS e (event_id, stream_id, stream_version, type, data, metadata, occurred_at, content_hash)
              SELECT x.ev->>'eventId', x.sid, x.version, x.ev->>'type', x.ev->'data', x.ev->'metadata',
                     (x.ev->>'occurredAt')::timestamptz, x.ev->>'contentHash'
                FROM numbered x
               ORDER BY x.gi, x.ord
              RETURNING e.event_id, e.stream_id, e.stream_version, e.transaction_id, e.global_position
            )
            SELECT x.gi, ins.stream_id, 'appended'::text, ins.stream_version, ins.transaction_id, ins.global_position
              FROM inserted ins JOIN numbered x ON x.ev->>'eventId' = ins.event_id
             ORDER BY ins.global_position;
          RETURN;
        END IF;

        FOR g, i IN SELECT value, ordinality::integer FROM jsonb_array_elements(p_appends) WITH ORDINALITY LOOP
          v_stream := g->>'streamId';
          v_expected := (g->>'expectedVersion')::integer;
          v_count := jsonb_array_length(g->'events');

          IF v_known > 0 THEN
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
    // The previous body is in 1700000000700-set-based-append.
  }
}
