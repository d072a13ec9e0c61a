-- server/db/functions.sql: every function boothd calls (chat_append, node_reap, the meeting
-- functions, rfc3339_in_zone). boothd applies this file on EVERY start, after schema.sql (empty
-- database) or the migrations (older version) brought the tables to its schema version, as one
-- simple-query script (one implicit transaction). So:
--   * each function is CREATE OR REPLACE, and its body lives only here: a migration
--     (server/db/migrations/) carries table changes only, never a copy of a function;
--   * changing a function is editing it here; a change CREATE OR REPLACE cannot make (another
--     return type, fewer arguments) needs a migration that DROPs the old one first;
--   * trigger functions stay with their tables in schema.sql (CREATE TRIGGER needs them).
-- NOTIFY channel names written here are the C constants named beside them; keep them equal.
--
-- Several nodes may start at once: replacing the same function concurrently fails with "tuple
-- concurrently updated", so the script first takes the same advisory lock as schema.sql.
SELECT pg_advisory_xact_lock(7263001);

-- chat_append(batch jsonb): append a batch of chat messages in the caller's transaction.
--
-- batch: a JSON array of objects {booth_id, author_id, text, client_msg_id, idx}; idx is the
-- caller's tag for the element (defaults to the 0-based array position) and is echoed back.
-- Returns one row per input element, ordered by array position:
--   idx, id, booth_id, seq, author_id, text, client_msg_id, sent_at, duplicate, error
--   * a new message: its stored row, duplicate = false;
--   * a resend (the (author_id, client_msg_id) pair is already stored, by an earlier call or by
--     an earlier element of this batch): the ALREADY-STORED row, duplicate = true, no seq used.
--     The stored row may name another booth than the element if a client reused the key there;
--   * an element that cannot be stored: error is set ('booth_not_found', 'author_not_found',
--     'bad_text', 'bad_client_msg_id', or 'chat_closed': the booth turned its public chat off
--     (booth_inquiry_settings) and the author is neither its staff nor an organizer) and the
--     other columns except idx are NULL. Such an element
--     does not fail the rest of the batch. error is NULL otherwise.
-- Guarantees: booth rows are locked in booth_id order (no deadlock between concurrent batches);
-- new messages of one booth get consecutive seqs in array order; duplicates consume no seq, so
-- seqs stay gapless; sent_at is taken after the locks, so it never decreases along seq. If
-- anything new was stored, exactly one pg_notify('boothd_chat', '{"b":[[booth_id,max_seq],...]}')
-- is sent (delivered at commit); '{"b":"all"}' if that payload would reach 8000 bytes.
-- A malformed batch (not an array, non-numeric ids) raises an error.
-- chat_closed_for(booth, author): whether the booth turned its public chat off
-- (booth_inquiry_settings.public_chat = false) for this author: everyone but its staff and
-- organizers, who may still post there. Used by chat_append() below.
CREATE OR REPLACE FUNCTION chat_closed_for(p_booth bigint, p_author bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM booth_inquiry_settings s WHERE s.booth_id = p_booth AND NOT s.public_chat)
     AND NOT EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = p_booth AND st.account_id = p_author)
     AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p_author AND a.role = 'organizer')
$$;

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
       AND NOT chat_closed_for(i.booth_id, i.author_id)
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
         AND NOT chat_closed_for((e.v ->> 'booth_id')::bigint, (e.v ->> 'author_id')::bigint)
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
    PERFORM pg_notify('boothd_chat', v_payload);   -- CHAT_CHANNEL, server/domains/chat/chat_feed.h
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
                WHEN chat_closed_for(i.booth_id, i.author_id) THEN 'chat_closed'
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
-- Plan the big statements above once per connection instead of on each call. Under the default
-- (plan_cache_mode = auto) a connection plans them with the call's batch for its first five
-- calls, and again on every call whenever a rebuilt generic plan (after an ANALYZE, say) looks
-- dearer than those custom plans did; planning the step-4 statement takes about as long as
-- running it (~0.6 ms each for a batch of 20). Seeing the values gains nothing: every lookup
-- is by key, and jsonb_array_elements is estimated at 100 rows whatever the batch holds.
ALTER FUNCTION chat_append(jsonb) SET plan_cache_mode = 'force_generic_plan';

-- ---------------------------------------------------------------------------------------------
-- node_reap(stale): delete every node whose heartbeat is older than stale (boothd passes
-- NODE_DEAD_AFTER_S, 6 s, server/domains/presence/node.h),
-- which removes its presence rows by cascade, and close its open visits at its last heartbeat.
-- Returns one row per (reaped node, booth that lost presence) so the caller can publish
-- presence.changed for those booths. Safe to run from every node concurrently.
CREATE OR REPLACE FUNCTION node_reap(stale interval)
RETURNS TABLE (node_id text, booth_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH dead AS (
    DELETE FROM nodes n WHERE n.heartbeat_at < now() - stale
    RETURNING n.node_id, n.heartbeat_at
  ), closed AS (
    UPDATE visits v SET left_at = greatest(d.heartbeat_at, v.entered_at)
      FROM dead d
     WHERE v.node_id = d.node_id AND v.left_at IS NULL
  )
  -- presence rows are deleted by the cascade after this statement's snapshot: read them here.
  SELECT DISTINCT p.node_id, p.booth_id
    FROM presence p JOIN dead d ON d.node_id = p.node_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- 1:1 meetings: the write paths. Each function checks who may act (the booth's staff, or the
-- two parties) before it writes, answers with an error word the server maps to a protocol code
-- ('not_found' also for "not yours", so ids cannot be probed), and sends one
-- pg_notify('boothd_meeting', '<meeting id>') per change so every node can push
-- meeting.updated to the parties' sessions.

-- rfc3339_in_zone(ts, tz): ts as RFC 3339 local time of zone tz with its UTC offset at that
-- instant ("2027-03-14T03:30:00-04:00"), so pages and tests see the booth's wall clock and the
-- offset in force (right across daylight saving changes).
CREATE OR REPLACE FUNCTION rfc3339_in_zone(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN o < interval '0' THEN '-' ELSE '+' END
         || lpad(abs(extract(hour FROM o))::int::text, 2, '0') || ':'
         || lpad(abs(extract(minute FROM o))::int::text, 2, '0')
    FROM (SELECT (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC') AS o) x
$$;

-- Replaces a booth's availability. Returns 'not_found' (no such booth), 'forbidden' (actor is
-- not its staff) or NULL on success; windows with end <= start, longer than 31 days or
-- overlapping each other raise check_violation ('bad_window'), which the server reports as
-- bad_request, and the old availability stays.
CREATE OR REPLACE FUNCTION meeting_availability_set(p_booth bigint, p_actor bigint, p_windows jsonb,
                                         p_slot integer)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN 'not_found'; END IF;
  IF NOT EXISTS (SELECT 1 FROM booth_staff WHERE booth_id = p_booth AND account_id = p_actor) THEN
    RETURN 'forbidden';
  END IF;
  DELETE FROM meeting_availability WHERE booth_id = p_booth;
  BEGIN
    INSERT INTO meeting_availability (booth_id, starts_at, ends_at, slot_minutes)
    SELECT p_booth, (w ->> 'starts_at')::timestamptz, (w ->> 'ends_at')::timestamptz, p_slot
      FROM jsonb_array_elements(p_windows) AS w;
  EXCEPTION WHEN exclusion_violation OR check_violation THEN
    RAISE EXCEPTION 'bad_window' USING ERRCODE = 'check_violation';
  END;
  RETURN NULL;
END
$$;

-- A visitor asks for a slot. Returns (error, meeting_id): error 'not_found' (booth),
-- 'not_a_slot' (not a slot start inside the availability, or in the past), 'conflict' (the
-- slot is taken by an accepted meeting, the visitor has an accepted meeting then, or already
-- asked for it).
CREATE OR REPLACE FUNCTION meeting_request(p_booth bigint, p_visitor bigint, p_starts timestamptz, p_note text)
RETURNS TABLE (error text, meeting_id bigint) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_slot integer;
  v_id bigint;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN QUERY SELECT 'not_found'::text, NULL::bigint; RETURN; END IF;
  SELECT a.slot_minutes INTO v_slot FROM meeting_availability a
   WHERE a.booth_id = p_booth AND p_starts >= a.starts_at
     AND p_starts + make_interval(mins => a.slot_minutes) <= a.ends_at
     AND (extract(epoch FROM p_starts - a.starts_at)::bigint % (a.slot_minutes * 60)) = 0;
  IF v_slot IS NULL OR p_starts <= now() THEN
    RETURN QUERY SELECT 'not_a_slot'::text, NULL::bigint; RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM meetings m WHERE m.status = 'accepted'
               AND (m.booth_id = p_booth OR m.visitor_id = p_visitor)
               AND tstzrange(m.starts_at, m.ends_at) && tstzrange(p_starts, p_starts + make_interval(mins => v_slot))) THEN
    RETURN QUERY SELECT 'conflict'::text, NULL::bigint; RETURN;
  END IF;
  BEGIN
    INSERT INTO meetings (booth_id, visitor_id, starts_at, ends_at, note)
    VALUES (p_booth, p_visitor, p_starts, p_starts + make_interval(mins => v_slot), p_note)
    RETURNING id INTO v_id;
  EXCEPTION WHEN unique_violation THEN
    RETURN QUERY SELECT 'conflict'::text, NULL::bigint; RETURN;
  END;
  PERFORM pg_notify('boothd_meeting', v_id::text);   -- MEETING_CHANNEL, server/domains/meetings/meetings.h
  RETURN QUERY SELECT NULL::text, v_id;
END
$$;

-- Staff accept or decline a requested meeting. Returns 'not_found' (no such meeting, or the
-- actor is not staff of its booth), 'conflict' (not in 'requested' any more, or accepting would
-- overlap another accepted meeting of the booth or of the visitor: the exclusion constraints
-- decide) or NULL.
CREATE OR REPLACE FUNCTION meeting_respond(p_meeting bigint, p_actor bigint, p_accept boolean, p_message text)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  m meetings%ROWTYPE;
  v_url text;
BEGIN
  SELECT * INTO m FROM meetings WHERE id = p_meeting FOR UPDATE;
  IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = m.booth_id
                                                            AND s.account_id = p_actor) THEN
    RETURN 'not_found';
  END IF;
  IF m.status <> 'requested' THEN RETURN 'conflict'; END IF;
  IF p_accept THEN
    SELECT coalesce(b.video_call_url, 'https://meet.jit.si/boothd-' || m.room_token)
      INTO v_url FROM booths b WHERE b.id = m.booth_id;
    BEGIN
      UPDATE meetings SET status = 'accepted', message = p_message, responded_by = p_actor,
                          video_url = v_url, sequence = sequence + 1, updated_at = now()
       WHERE id = p_meeting;
    EXCEPTION WHEN exclusion_violation THEN
      RETURN 'conflict';
    END;
  ELSE
    UPDATE meetings SET status = 'declined', message = p_message, responded_by = p_actor,
                        sequence = sequence + 1, updated_at = now()
     WHERE id = p_meeting;
  END IF;
  PERFORM pg_notify('boothd_meeting', p_meeting::text);   -- MEETING_CHANNEL
  RETURN NULL;
END
$$;

-- Either party cancels. Returns 'not_found' (no such meeting or not a party), 'conflict'
-- (already declined or cancelled) or NULL.
CREATE OR REPLACE FUNCTION meeting_cancel(p_meeting bigint, p_actor bigint, p_reason text)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  m meetings%ROWTYPE;
BEGIN
  SELECT * INTO m FROM meetings WHERE id = p_meeting FOR UPDATE;
  IF NOT FOUND OR NOT (m.visitor_id = p_actor OR EXISTS (SELECT 1 FROM booth_staff s
                         WHERE s.booth_id = m.booth_id AND s.account_id = p_actor)) THEN
    RETURN 'not_found';
  END IF;
  IF m.status NOT IN ('requested', 'accepted') THEN RETURN 'conflict'; END IF;
  UPDATE meetings SET status = 'cancelled', cancel_reason = p_reason, cancelled_by = p_actor,
                      sequence = sequence + 1, updated_at = now()
   WHERE id = p_meeting;
  PERFORM pg_notify('boothd_meeting', p_meeting::text);   -- MEETING_CHANNEL
  RETURN NULL;
END
$$;

-- ---- inquiries (version 3) ----------------------------------------------------------------
-- inquiry_append(batch jsonb): append a batch of private inquiry messages in the caller's
-- transaction; the per-thread twin of chat_append().
--
-- batch: a JSON array of objects {idx, thread_id, author_id, text, client_msg_id}; idx is echoed
-- (the shape chat_batch builds for every kind it carries, server/domains/chat/chat_batch.h).
-- Returns one row per input element, in array order:
--   idx, id, thread_id, seq, author_id, body, client_msg_id, created_at, duplicate, error
--   * a new message: its row, duplicate = false (the caller's statement cannot read the rows this
--     call wrote, so the row comes back whole);
--   * a resend (the (author_id, client_msg_id) pair is stored already, by an earlier call or an
--     earlier element): the ALREADY-STORED row, duplicate = true, no seq used;
--   * an element that cannot be stored: error is 'forbidden' (no such thread, or the author is
--     neither its buyer, nor staff of its booth, nor an organizer: the two are not told apart so
--     thread ids reveal nothing), 'bad_text' or 'bad_client_msg_id'; the rest of the batch goes on.
-- Authorization is decided here, under the thread's row lock and before any write of the element.
-- Guarantees: thread rows are locked in id order (no deadlock between concurrent batches); new
-- messages of a thread get consecutive seqs in array order; duplicates consume no seq; the
-- author's side read mark moves to the new seq (one has read what one wrote). If anything new was
-- stored, one pg_notify('boothd_inquiry', '{"t":[[thread_id,booth_id,buyer_id,first_seq,last_seq],...]}')
-- is sent (at commit); a batch touching so many threads that the payload would reach 8000 bytes
-- sends it in several notifications of whole entries.
CREATE OR REPLACE FUNCTION inquiry_append(batch jsonb)
RETURNS TABLE (idx integer, id bigint, thread_id bigint, seq bigint, author_id bigint, body text,
               client_msg_id text, created_at timestamptz, duplicate boolean, error text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  e        record;
  t        inquiry_threads%ROWTYPE;
  v_side   text;
  v_now    timestamptz;
  v_row    inquiry_messages%ROWTYPE;
  v_new    bigint[] := '{}';
  v_chunk  text := '';
  v_entry  text;
BEGIN
  IF batch IS NULL OR jsonb_typeof(batch) <> 'array' THEN
    RAISE EXCEPTION 'inquiry_append: batch must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
  END IF;

  PERFORM 1 FROM inquiry_threads it
   WHERE it.id IN (SELECT DISTINCT (x ->> 'thread_id')::bigint FROM jsonb_array_elements(batch) x)
   ORDER BY it.id
     FOR UPDATE;
  v_now := clock_timestamp();

  FOR e IN
    SELECT (x.ord - 1)::integer AS pos, coalesce((x.v ->> 'idx')::integer, (x.ord - 1)::integer) AS idx,
           (x.v ->> 'thread_id')::bigint AS thread_id, (x.v ->> 'author_id')::bigint AS author_id,
           x.v ->> 'text' AS body, x.v ->> 'client_msg_id' AS client_msg_id
      FROM jsonb_array_elements(batch) WITH ORDINALITY AS x (v, ord)
     ORDER BY x.ord
  LOOP
    SELECT * INTO t FROM inquiry_threads it WHERE it.id = e.thread_id;
    v_side := NULL;
    IF FOUND THEN
      IF t.buyer_id = e.author_id THEN
        v_side := 'buyer';
      ELSIF EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = t.booth_id AND s.account_id = e.author_id)
         OR EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.author_id AND a.role = 'organizer'
                                               AND a.disabled_at IS NULL) THEN
        v_side := 'booth';
      END IF;
    END IF;
    IF v_side IS NULL THEN
      RETURN QUERY SELECT e.idx, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::boolean, 'forbidden'::text;
      CONTINUE;
    END IF;
    IF e.body IS NULL OR char_length(e.body) NOT BETWEEN 1 AND 2000 THEN
      RETURN QUERY SELECT e.idx, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::boolean, 'bad_text'::text;
      CONTINUE;
    END IF;
    IF e.client_msg_id IS NULL OR char_length(e.client_msg_id) NOT BETWEEN 1 AND 64 THEN
      RETURN QUERY SELECT e.idx, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::boolean, 'bad_client_msg_id'::text;
      CONTINUE;
    END IF;

    SELECT * INTO v_row FROM inquiry_messages m
     WHERE m.author_id = e.author_id AND m.client_msg_id = e.client_msg_id;
    IF FOUND THEN
      RETURN QUERY SELECT e.idx, v_row.id, v_row.thread_id, v_row.seq, v_row.author_id, v_row.body, v_row.client_msg_id, v_row.created_at, true, NULL::text;
      CONTINUE;
    END IF;

    -- The key may be committed meanwhile by a concurrent call for another thread (a client
    -- reusing it across threads): ON CONFLICT then stores nothing and no seq is used.
    INSERT INTO inquiry_messages AS m (thread_id, seq, author_id, body, client_msg_id, created_at)
    VALUES (t.id, t.last_seq + 1, e.author_id, e.body, e.client_msg_id, v_now)
    ON CONFLICT (author_id, client_msg_id) DO NOTHING
    RETURNING m.* INTO v_row;
    IF NOT FOUND THEN
      SELECT * INTO v_row FROM inquiry_messages m
       WHERE m.author_id = e.author_id AND m.client_msg_id = e.client_msg_id;
      RETURN QUERY SELECT e.idx, v_row.id, v_row.thread_id, v_row.seq, v_row.author_id, v_row.body, v_row.client_msg_id, v_row.created_at, true, NULL::text;
      CONTINUE;
    END IF;
    UPDATE inquiry_threads it
       SET last_seq = v_row.seq, last_at = v_now,
           buyer_read_seq = CASE WHEN v_side = 'buyer' THEN v_row.seq ELSE it.buyer_read_seq END,
           booth_read_seq = CASE WHEN v_side = 'booth' THEN v_row.seq ELSE it.booth_read_seq END
     WHERE it.id = t.id;
    v_new := v_new || v_row.id;
    RETURN QUERY SELECT e.idx, v_row.id, v_row.thread_id, v_row.seq, v_row.author_id, v_row.body, v_row.client_msg_id, v_row.created_at, false, NULL::text;
  END LOOP;

  IF cardinality(v_new) > 0 THEN
    FOR v_entry IN
      SELECT '[' || it.id || ',' || it.booth_id || ',' || it.buyer_id || ',' || s.lo || ',' || s.hi || ']'
        FROM (SELECT m.thread_id, min(m.seq) AS lo, max(m.seq) AS hi FROM inquiry_messages m
               WHERE m.id = ANY (v_new) GROUP BY m.thread_id) s
        JOIN inquiry_threads it ON it.id = s.thread_id
       ORDER BY it.id
    LOOP
      IF v_chunk <> '' AND octet_length(v_chunk) + octet_length(v_entry) + 10 >= 8000 THEN
        PERFORM pg_notify('boothd_inquiry', '{"t":[' || v_chunk || ']}');   -- INQUIRY_CHANNEL
        v_chunk := '';
      END IF;
      v_chunk := CASE WHEN v_chunk = '' THEN v_entry ELSE v_chunk || ',' || v_entry END;
    END LOOP;
    PERFORM pg_notify('boothd_inquiry', '{"t":[' || v_chunk || ']}');       -- INQUIRY_CHANNEL
  END IF;
END
$$;
