-- boothd migration 0002: schema version 1 -> 2.
--
-- chat_append() looks up the stored row of each batch element through the
-- (author_id, client_msg_id) unique index instead of a join that PostgreSQL planned as a hash
-- join over the whole of chat_messages, and it is planned once per connection
-- (plan_cache_mode = force_generic_plan). Nothing else changes. The function below is the one
-- in schema.sql (version 2); its contract is described there.
--
-- boothd runs this file as one simple-query script, i.e. in one implicit transaction, when it
-- finds the database at version 1 (server/bootstrap.c). Several boothd processes may start at
-- once: the first statement serializes them (EXCLUSIVE conflicts with itself and with every
-- write of schema_version, but not with plain reads of it), and the check below runs after
-- the lock is granted, in a new snapshot, so it sees what a node that held the lock before us
-- committed. A node that finds the step already applied raises and rolls back; boothd then
-- reads the version again and goes on from there.
LOCK TABLE schema_version IN EXCLUSIVE MODE;

DO $check$
DECLARE
  v integer;
BEGIN
  SELECT max(version) INTO v FROM schema_version;
  IF v IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'migration 0002 expects schema version 1, the database has %', coalesce(v::text, 'none')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END
$check$;

CREATE OR REPLACE FUNCTION chat_append(batch jsonb)
RETURNS TABLE (idx integer, id bigint, booth_id bigint, seq bigint, author_id bigint,
               text text, client_msg_id text, sent_at timestamptz, duplicate boolean, error text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_now      timestamptz;
  v_want     integer;         -- rows the set-based insert meant to store
  v_ids      bigint[];        -- ids stored by this call
  v_payload  text;
  r          record;
  v_id       bigint;
BEGIN
  IF batch IS NULL OR jsonb_typeof(batch) <> 'array' THEN
    RAISE EXCEPTION 'chat_append: batch must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF jsonb_array_length(batch) = 0 THEN
    RETURN;
  END IF;

  -- 1. Lock every booth of the batch, in id order.
  PERFORM 1 FROM booths b
   WHERE b.id IN (SELECT DISTINCT (e ->> 'booth_id')::bigint FROM jsonb_array_elements(batch) e)
   ORDER BY b.id
     FOR UPDATE;
  -- Every later statement takes a new snapshot, so it sees all messages committed by whoever
  -- held these locks before us.
  v_now := clock_timestamp();

  -- 2. Store the new messages (set-based): skip keys already stored, keep the first element of
  --    keys repeated in the batch, number per booth in array order.
  WITH input AS (
    SELECT (e.ord - 1)::integer AS pos,
           (e.v ->> 'booth_id')::bigint AS booth_id, (e.v ->> 'author_id')::bigint AS author_id,
           e.v ->> 'text' AS text, e.v ->> 'client_msg_id' AS client_msg_id
      FROM jsonb_array_elements(batch) WITH ORDINALITY AS e (v, ord)
  ), fresh AS (
    SELECT DISTINCT ON (i.author_id, i.client_msg_id) i.*
      FROM input i
      JOIN booths b ON b.id = i.booth_id
      JOIN accounts a ON a.id = i.author_id
     WHERE char_length(i.text) BETWEEN 1 AND 2000
       AND char_length(i.client_msg_id) BETWEEN 1 AND 64
       AND NOT EXISTS (SELECT 1 FROM chat_messages m
                        WHERE m.author_id = i.author_id AND m.client_msg_id = i.client_msg_id)
     ORDER BY i.author_id, i.client_msg_id, i.pos
  ), numbered AS (
    SELECT f.*, b.last_seq + row_number() OVER (PARTITION BY f.booth_id ORDER BY f.pos) AS seq
      FROM fresh f JOIN booths b ON b.id = f.booth_id
  ), ins AS (
    INSERT INTO chat_messages (booth_id, seq, author_id, text, client_msg_id, sent_at)
    SELECT n.booth_id, n.seq, n.author_id, n.text, n.client_msg_id, v_now FROM numbered n
    ON CONFLICT (author_id, client_msg_id) DO NOTHING
    RETURNING chat_messages.id
  )
  SELECT (SELECT count(*) FROM numbered), (SELECT array_agg(ins.id) FROM ins)
    INTO v_want, v_ids;
  v_ids := coalesce(v_ids, '{}');

  IF cardinality(v_ids) <> v_want THEN
    -- A concurrent transaction committed one of our keys for a booth we do not lock (a client
    -- reusing a client_msg_id across booths) after our check: the skipped row left a hole in
    -- the numbering. Undo this call's rows and store them one by one instead.
    DELETE FROM chat_messages m WHERE m.id = ANY (v_ids);
    v_ids := '{}';
    FOR r IN
      SELECT (e.v ->> 'booth_id')::bigint AS booth_id, (e.v ->> 'author_id')::bigint AS author_id,
             e.v ->> 'text' AS text, e.v ->> 'client_msg_id' AS client_msg_id
        FROM jsonb_array_elements(batch) WITH ORDINALITY AS e (v, ord)
       WHERE EXISTS (SELECT 1 FROM booths b WHERE b.id = (e.v ->> 'booth_id')::bigint)
         AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = (e.v ->> 'author_id')::bigint)
         AND char_length(e.v ->> 'text') BETWEEN 1 AND 2000
         AND char_length(e.v ->> 'client_msg_id') BETWEEN 1 AND 64
       ORDER BY e.ord
    LOOP
      INSERT INTO chat_messages (booth_id, seq, author_id, text, client_msg_id, sent_at)
      SELECT r.booth_id, b.last_seq + 1, r.author_id, r.text, r.client_msg_id, v_now
        FROM booths b WHERE b.id = r.booth_id
      ON CONFLICT (author_id, client_msg_id) DO NOTHING
      RETURNING chat_messages.id INTO v_id;
      IF FOUND THEN
        UPDATE booths b SET last_seq = b.last_seq + 1 WHERE b.id = r.booth_id;
        v_ids := v_ids || v_id;
      END IF;
    END LOOP;
  ELSIF v_want > 0 THEN
    UPDATE booths b SET last_seq = s.max_seq
      FROM (SELECT m.booth_id, max(m.seq) AS max_seq FROM chat_messages m
             WHERE m.id = ANY (v_ids) GROUP BY m.booth_id) s
     WHERE b.id = s.booth_id;
  END IF;

  -- 3. One notification per call, only if something new was stored.
  IF cardinality(v_ids) > 0 THEN
    SELECT '{"b":[' || string_agg('[' || s.booth_id || ',' || s.max_seq || ']', ',' ORDER BY s.booth_id) || ']}'
      INTO v_payload
      FROM (SELECT m.booth_id, max(m.seq) AS max_seq FROM chat_messages m
             WHERE m.id = ANY (v_ids) GROUP BY m.booth_id) s;
    IF octet_length(v_payload) >= 8000 THEN
      v_payload := '{"b":"all"}';
    END IF;
    PERFORM pg_notify('boothd_chat', v_payload);
  END IF;

  -- 4. One row per input element.
  RETURN QUERY
  WITH input AS (
    SELECT e.ord, coalesce((e.v ->> 'idx')::integer, (e.ord - 1)::integer) AS idx,
           (e.v ->> 'booth_id')::bigint AS booth_id, (e.v ->> 'author_id')::bigint AS author_id,
           e.v ->> 'text' AS text, e.v ->> 'client_msg_id' AS client_msg_id
      FROM jsonb_array_elements(batch) WITH ORDINALITY AS e (v, ord)
  ), checked AS (
    SELECT i.*,
           CASE WHEN b.id IS NULL THEN 'booth_not_found'
                WHEN a.id IS NULL THEN 'author_not_found'
                WHEN i.text IS NULL OR char_length(i.text) NOT BETWEEN 1 AND 2000 THEN 'bad_text'
                WHEN i.client_msg_id IS NULL OR char_length(i.client_msg_id) NOT BETWEEN 1 AND 64 THEN 'bad_client_msg_id'
           END AS error
      FROM input i
      LEFT JOIN booths b ON b.id = i.booth_id
      LEFT JOIN accounts a ON a.id = i.author_id
  ), firsts AS (
    SELECT c.*, min(c.ord) FILTER (WHERE c.error IS NULL)
                  OVER (PARTITION BY c.author_id, c.client_msg_id) AS first_ord
      FROM checked c
  )
  SELECT f.idx, m.id, m.booth_id, m.seq, m.author_id, m.text, m.client_msg_id, m.sent_at,
         CASE WHEN f.error IS NULL THEN NOT (m.id = ANY (v_ids) AND f.ord = f.first_ord) END,
         f.error
    FROM firsts f
    -- One probe of the (author_id, client_msg_id) unique index per element. A plain LEFT JOIN
    -- is planned as a hash join over the whole of chat_messages while the table is small
    -- enough (tens of thousands of rows): a cost that grows with every message stored. LIMIT 1
    -- keeps the planner from flattening the subquery back into that join.
    LEFT JOIN LATERAL (SELECT c.* FROM chat_messages c
                        WHERE f.error IS NULL AND c.author_id = f.author_id
                          AND c.client_msg_id = f.client_msg_id
                        LIMIT 1) m ON true
   ORDER BY f.ord;
END
$$;

-- Plan the function's statements once per connection (see schema.sql). CREATE OR REPLACE
-- resets the function's settings, so this comes after it.
ALTER FUNCTION chat_append(jsonb) SET plan_cache_mode = 'force_generic_plan';

UPDATE schema_version SET version = 2;
