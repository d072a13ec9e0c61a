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
--     'bad_text', 'bad_client_msg_id', 'chat_closed': the booth turned its public chat off
--     (booth_inquiry_settings) and the author is neither its staff nor an organizer, or
--     'booth_archived': the same for a booth the organizers archived) and the
--     other columns except idx are NULL. Such an element
--     does not fail the rest of the batch. error is NULL otherwise.
-- Guarantees: the booth_chat_seq rows of the booths that get new messages are locked (FOR NO
-- KEY UPDATE) in booth_id order (no deadlock between concurrent batches), after the elements
-- were checked (the checks need no lock, and a batch holds its locks until it commits);
-- new messages of one booth get consecutive seqs in array order; duplicates consume no seq, so
-- seqs stay gapless; sent_at is taken after the locks, so it never decreases along seq. If
-- anything new was stored, exactly one pg_notify('boothd_chat', '{"b":[[booth_id,max_seq],...]}')
-- is sent (delivered at commit); '{"b":"all"}' if that payload would reach 8000 bytes.
-- A malformed batch (not an array, non-numeric ids) raises an error.
-- chat_closed(booth, author): one row, closed = whether the booth turned its public chat off
-- (booth_inquiry_settings.public_chat = false) or was archived by the organizers
-- (booths.archived_at) for this author: everyone but its staff and organizers, who may still
-- post there; archived = whether the booth is archived (chat_append() names that case
-- 'booth_archived'). Used by chat_append() below as LATERAL chat_closed(...).
-- An SQL set-returning function with one SELECT and no SET clause is inlined into the calling
-- statement, so its subqueries become part of that statement's plan, set up once per
-- statement and re-run per row. (The PL/pgSQL scalar function it replaces started an executor
-- for its query at every call: three calls per message, about 40 % of a 30-message
-- chat_append call in perf, issue 15.)
DROP FUNCTION IF EXISTS chat_closed_for(bigint, bigint);
CREATE OR REPLACE FUNCTION chat_closed(p_booth bigint, p_author bigint)
RETURNS TABLE (closed boolean, archived boolean) LANGUAGE sql STABLE AS $$
  SELECT (k.private_only OR k.archived)
     AND NOT EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = p_booth AND st.account_id = p_author)
     AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p_author AND a.role = 'organizer'),
         k.archived
    FROM (SELECT EXISTS (SELECT 1 FROM booth_inquiry_settings s WHERE s.booth_id = p_booth AND NOT s.public_chat) AS private_only,
                 EXISTS (SELECT 1 FROM booths b WHERE b.id = p_booth AND b.archived_at IS NOT NULL) AS archived) k
$$;

CREATE OR REPLACE FUNCTION chat_append(batch jsonb)
RETURNS TABLE (idx integer, id bigint, booth_id bigint, seq bigint, author_id bigint,
               text text, client_msg_id text, sent_at timestamptz, duplicate boolean, error text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_now      timestamptz;
  v_idx      integer[];
  v_booth    bigint[];
  v_author   bigint[];
  v_text     text[];
  v_key      text[];
  v_error    text[];
  v_fresh    boolean[];
  v_want     integer;
  v_ids      bigint[];
  v_booths   bigint[];
  v_maxes    bigint[];
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

  -- 1. Check every element BEFORE taking any lock: its booth and author exist, text and key
  --    are within limits, the booth's chat is open to the author, and its key is neither
  --    stored yet nor repeated earlier in the batch (fresh = to be stored). This is most of a
  --    call's work, and the counter locks of step 2 queue every other chat batch of those
  --    booths until this one commits. Done before them, a node's second batch checks its
  --    messages while the first still holds the locks (pgbench, two clients appending 35
  --    messages each: 145 -> 307 calls/s, issue 15). A booth whose chat closes between this
  --    check and the locks takes the message as if it had come a moment earlier; a key that
  --    another transaction stores meanwhile is caught by ON CONFLICT in step 3.
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
                WHEN cc.closed THEN CASE WHEN cc.archived THEN 'booth_archived' ELSE 'chat_closed' END
           END AS error
      FROM input i
      LEFT JOIN booths b ON b.id = i.booth_id
      LEFT JOIN accounts a ON a.id = i.author_id
      CROSS JOIN LATERAL chat_closed(i.booth_id, i.author_id) cc
  ), flagged AS (
    SELECT c.*,
           c.error IS NULL
           AND c.ord = min(c.ord) FILTER (WHERE c.error IS NULL) OVER (PARTITION BY c.author_id, c.client_msg_id)
           AND NOT EXISTS (SELECT 1 FROM chat_messages m
                            WHERE c.error IS NULL AND m.author_id = c.author_id AND m.client_msg_id = c.client_msg_id) AS fresh
      FROM checked c
  )
  SELECT array_agg(f.idx ORDER BY f.ord), array_agg(f.booth_id ORDER BY f.ord), array_agg(f.author_id ORDER BY f.ord),
         array_agg(f.text ORDER BY f.ord), array_agg(f.client_msg_id ORDER BY f.ord),
         array_agg(f.error ORDER BY f.ord), array_agg(f.fresh ORDER BY f.ord)
    INTO v_idx, v_booth, v_author, v_text, v_key, v_error, v_fresh
    FROM flagged f;

  -- 2. Lock the counters of the booths that get new messages, in booth order (no deadlock
  --    between concurrent batches). Every later statement takes a new snapshot, so it sees all
  --    messages committed by whoever held these locks before us.
  PERFORM 1 FROM booth_chat_seq s
   WHERE s.booth_id IN (SELECT u.b FROM unnest(v_booth, v_fresh) AS u (b, f) WHERE u.f)
   ORDER BY s.booth_id
     FOR NO KEY UPDATE;
  v_now := clock_timestamp();

  -- 3. Store the fresh messages, numbered per booth in array order. A booth deleted since step 1
  --    has no counter left, so its messages drop out here (answered booth_not_found below).
  WITH fresh AS (
    SELECT u.ord, u.booth_id, u.author_id, u.text, u.client_msg_id
      FROM unnest(v_booth, v_author, v_text, v_key, v_fresh) WITH ORDINALITY AS u (booth_id, author_id, text, client_msg_id, fresh, ord)
     WHERE u.fresh
  ), numbered AS (
    SELECT f.*, s.last_seq + row_number() OVER (PARTITION BY f.booth_id ORDER BY f.ord) AS seq
      FROM fresh f JOIN booth_chat_seq s ON s.booth_id = f.booth_id
  ), ins AS (
    INSERT INTO chat_messages (booth_id, seq, author_id, text, client_msg_id, sent_at)
    SELECT n.booth_id, n.seq, n.author_id, n.text, n.client_msg_id, v_now FROM numbered n
    ON CONFLICT (author_id, client_msg_id) DO NOTHING
    RETURNING chat_messages.id
  )
  SELECT (SELECT count(*) FROM numbered), (SELECT array_agg(ins.id) FROM ins),
         g.booths, g.maxes
    INTO v_want, v_ids, v_booths, v_maxes
    FROM (SELECT array_agg(t.booth_id ORDER BY t.booth_id) AS booths,
                 array_agg(t.max_seq ORDER BY t.booth_id) AS maxes
            FROM (SELECT n.booth_id, max(n.seq) AS max_seq FROM numbered n GROUP BY n.booth_id) t) g;
  v_ids := coalesce(v_ids, '{}');

  IF cardinality(v_ids) <> v_want THEN
    -- A concurrent transaction committed one of our keys for a booth we do not lock (a client
    -- reusing a client_msg_id across booths, or resending while its first try is committing)
    -- after step 1: the skipped row left a hole in the numbering. Undo this call's rows and
    -- store them one by one instead.
    DELETE FROM chat_messages m WHERE m.id = ANY (v_ids);
    v_ids := '{}';
    FOR r IN
      SELECT u.booth_id, u.author_id, u.text, u.client_msg_id
        FROM unnest(v_booth, v_author, v_text, v_key, v_fresh) WITH ORDINALITY AS u (booth_id, author_id, text, client_msg_id, fresh, ord)
       WHERE u.fresh ORDER BY u.ord
    LOOP
      INSERT INTO chat_messages (booth_id, seq, author_id, text, client_msg_id, sent_at)
      SELECT r.booth_id, s.last_seq + 1, r.author_id, r.text, r.client_msg_id, v_now
        FROM booth_chat_seq s WHERE s.booth_id = r.booth_id
      ON CONFLICT (author_id, client_msg_id) DO NOTHING
      RETURNING chat_messages.id INTO v_id;
      IF FOUND THEN
        UPDATE booth_chat_seq s SET last_seq = s.last_seq + 1 WHERE s.booth_id = r.booth_id;
        v_ids := v_ids || v_id;
      END IF;
    END LOOP;
    SELECT array_agg(s.booth_id ORDER BY s.booth_id), array_agg(s.max_seq ORDER BY s.booth_id)
      INTO v_booths, v_maxes
      FROM (SELECT m.booth_id, max(m.seq) AS max_seq FROM chat_messages m
             WHERE m.id = ANY (v_ids) GROUP BY m.booth_id) s;
  ELSIF v_want > 0 THEN
    -- Every numbered row was stored, so the statement's own per-booth maxima are what the
    -- booths now hold: no second read of the rows just written.
    UPDATE booth_chat_seq s SET last_seq = u.max_seq
      FROM unnest(v_booths, v_maxes) AS u (booth_id, max_seq)
     WHERE s.booth_id = u.booth_id;
  END IF;

  -- 4. One notification per call, only if something new was stored.
  IF cardinality(v_ids) > 0 THEN
    SELECT '{"b":[' || string_agg('[' || u.booth_id || ',' || u.max_seq || ']', ',' ORDER BY u.booth_id) || ']}'
      INTO v_payload
      FROM unnest(v_booths, v_maxes) AS u (booth_id, max_seq);
    IF octet_length(v_payload) >= 8000 THEN
      v_payload := '{"b":"all"}';
    END IF;
    PERFORM pg_notify('boothd_chat', v_payload);   -- CHAT_CHANNEL, server/domains/chat/chat_feed.h
  END IF;

  -- 5. One row per input element, from step 1's verdicts: the stored row of every accepted
  --    element (one probe of the (author_id, client_msg_id) unique index each; LIMIT 1 keeps
  --    the planner from turning it into a hash join over the whole table), new only for the
  --    element that was stored by this call. An accepted element with no stored row lost its
  --    booth after step 1.
  RETURN QUERY
  SELECT u.idx, m.id, m.booth_id, m.seq, m.author_id, m.text, m.client_msg_id, m.sent_at,
         CASE WHEN u.error IS NULL AND m.id IS NOT NULL THEN NOT (u.fresh AND m.id = ANY (v_ids)) END,
         CASE WHEN u.error IS NULL AND m.id IS NULL THEN 'booth_not_found' ELSE u.error END
    FROM unnest(v_idx, v_author, v_key, v_error, v_fresh) WITH ORDINALITY AS u (idx, author_id, client_msg_id, error, fresh, ord)
    LEFT JOIN LATERAL (SELECT c.* FROM chat_messages c
                        WHERE u.error IS NULL AND c.author_id = u.author_id
                          AND c.client_msg_id = u.client_msg_id
                        LIMIT 1) m ON true
   ORDER BY u.ord;
END
$$;
-- Plan the big statements above once per connection instead of on each call. Under the default
-- (plan_cache_mode = auto) a connection plans them with the call's batch for its first five
-- calls, and again on every call whenever a rebuilt generic plan (after an ANALYZE, say) looks
-- dearer than those custom plans did; planning the step-5 statement takes about as long as
-- running it (~0.6 ms each for a batch of 20). Seeing the values gains nothing: every lookup
-- is by key, and jsonb_array_elements is estimated at 100 rows whatever the batch holds.
ALTER FUNCTION chat_append(jsonb) SET plan_cache_mode = 'force_generic_plan';
-- Those generic plans see jsonb_array_elements() as 100 rows, so they joined the batch to
-- booths and accounts by hashing the WHOLE tables on every call (a seq scan of every account per
-- batch: 30 % of a 1-message call with 3,000 accounts, and growing with the expo). A batch is a
-- few to a few hundred rows, each looked up by key: nested loops over the primary keys.
ALTER FUNCTION chat_append(jsonb) SET enable_hashjoin = off;
ALTER FUNCTION chat_append(jsonb) SET enable_mergejoin = off;
-- And no sequential scans: a generic plan made while chat_messages was nearly empty (the
-- connection's first call, right after start) estimated the batch at one row and probed for
-- duplicates by scanning the whole table once per message, which is fine at 490 rows and
-- ruinous at 50,000 (15 ms, then seconds, per call in the ingest benchmark, issue 15). Every
-- access in chat_append is by key, so only index paths are wanted.
ALTER FUNCTION chat_append(jsonb) SET enable_seqscan = off;
-- The caller joins the result to accounts (the author's name): estimated at the default 1,000
-- rows that join also hashed every account; a batch returns about as many rows as it has.
ALTER FUNCTION chat_append(jsonb) ROWS 10;

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
-- 'booth_archived' (the organizers archived the booth),
-- 'not_a_slot' (not a slot start inside the availability, or in the past), 'conflict' (the
-- slot is taken by an accepted meeting, the visitor has an accepted meeting then, or already
-- asked for it). A request also shares the visitor's card with the booth (lead_share, source
-- 'meeting').
CREATE OR REPLACE FUNCTION meeting_request(p_booth bigint, p_visitor bigint, p_starts timestamptz, p_note text)
RETURNS TABLE (error text, meeting_id bigint) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_slot integer;
  v_id bigint;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN QUERY SELECT 'not_found'::text, NULL::bigint; RETURN; END IF;
  IF EXISTS (SELECT 1 FROM booths WHERE id = p_booth AND archived_at IS NOT NULL) THEN
    RETURN QUERY SELECT 'booth_archived'::text, NULL::bigint; RETURN;
  END IF;
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
  -- The request form tells the visitor that asking for a meeting shares their card.
  PERFORM lead_share(p_booth, p_visitor, 'meeting', 'meeting', NULL, NULL, NULL);
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
    -- Two accepts of overlapping meetings at once would each wait for the other inside the
    -- exclusion constraints' check (a deadlock, answered `internal`): take the booth's and then
    -- the visitor's accept lock first (always in that order), so the second one waits, then
    -- meets the first one's row and answers `conflict`.
    PERFORM pg_advisory_xact_lock(7263012, m.booth_id::integer);
    PERFORM pg_advisory_xact_lock(7263013, m.visitor_id::integer);
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

-- ---------------------------------------------------------------------------------------------
-- Leads with consent (server/domains/leads/). Each change sends one
-- pg_notify('boothd_lead', '<kind> <lead id>') (LEAD_CHANNEL, server/domains/leads/leads.h),
-- kind = new | updated | withdrawn, so every node can tell the booth's staff sessions.

-- booth_access(booth, actor, is_organizer): 'not_found' (no such booth), 'forbidden' (the actor
-- is neither staff of that booth nor an organizer) or NULL (allowed). The one check behind every
-- staff-side lead and analytics action and the CSV export.
CREATE OR REPLACE FUNCTION booth_access(p_booth bigint, p_actor bigint, p_organizer boolean) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM booths WHERE id = p_booth) THEN 'not_found'
              WHEN p_organizer OR EXISTS (SELECT 1 FROM booth_staff s
                                           WHERE s.booth_id = p_booth AND s.account_id = p_actor) THEN NULL
              ELSE 'forbidden' END
$$;

-- lead_share(booth, visitor, source, consent_version, company, title, country): the visitor
-- shares their card with the booth. company/title/country, when not NULL, first update the
-- visitor's account ('' clears one), so the card and later cards carry them. The card is a
-- snapshot of the account at this moment: staff see what was consented to, not later edits.
-- Sharing again refreshes the card and the consent; after a withdrawal it starts a new lead
-- (status 'new', this source). Returns (error, lead_id, kind): error 'not_found' (booth or
-- account), else NULL with kind 'new' or 'updated'.
CREATE OR REPLACE FUNCTION lead_share(p_booth bigint, p_visitor bigint, p_source text, p_consent_version text,
                                      p_company text, p_title text, p_country text)
RETURNS TABLE (error text, lead_id bigint, kind text) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_card jsonb;
  v_id bigint;
  v_new boolean;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN QUERY SELECT 'not_found'::text, NULL::bigint, NULL::text; RETURN; END IF;
  -- An archived booth is closed to visitors (booth.enter, chat, meetings): no new cards either.
  PERFORM 1 FROM booths WHERE id = p_booth AND archived_at IS NOT NULL;
  IF FOUND THEN RETURN QUERY SELECT 'booth_archived'::text, NULL::bigint, NULL::text; RETURN; END IF;
  UPDATE accounts a SET company = CASE WHEN p_company IS NULL THEN a.company ELSE nullif(p_company, '') END,
                        title = CASE WHEN p_title IS NULL THEN a.title ELSE nullif(p_title, '') END,
                        country = CASE WHEN p_country IS NULL THEN a.country ELSE nullif(p_country, '') END
   WHERE a.id = p_visitor AND a.disabled_at IS NULL
  RETURNING jsonb_strip_nulls(jsonb_build_object('name', a.name, 'company', a.company, 'title', a.title,
                                                 'country', a.country, 'email', a.email))
       INTO v_card;
  IF v_card IS NULL THEN RETURN QUERY SELECT 'not_found'::text, NULL::bigint, NULL::text; RETURN; END IF;
  INSERT INTO leads AS l (booth_id, visitor_id, consent, consent_at, consent_version, card, source)
  VALUES (p_booth, p_visitor, true, now(), p_consent_version, v_card, p_source)
  ON CONFLICT (booth_id, visitor_id) DO UPDATE
     SET consent = true, consent_at = now(), consent_version = EXCLUDED.consent_version, card = EXCLUDED.card,
         source = CASE WHEN l.withdrawn_at IS NULL THEN l.source ELSE EXCLUDED.source END,
         status = CASE WHEN l.withdrawn_at IS NULL THEN l.status ELSE 'new' END,
         created_at = CASE WHEN l.withdrawn_at IS NULL THEN l.created_at ELSE now() END,
         withdrawn_at = NULL, updated_at = now()
  RETURNING l.id, (l.xmax = 0 OR l.created_at = now()) INTO v_id, v_new;
  PERFORM pg_notify('boothd_lead', CASE WHEN v_new THEN 'new ' ELSE 'updated ' END || v_id);   -- LEAD_CHANNEL
  RETURN QUERY SELECT NULL::text, v_id, CASE WHEN v_new THEN 'new' ELSE 'updated' END;
END
$$;

-- lead_withdraw(booth, visitor): the visitor takes their card back. Erases what the booth was
-- given (see the leads block in schema.sql for what stays). Returns 'not_found' (nothing shared
-- with that booth now) or NULL.
CREATE OR REPLACE FUNCTION lead_withdraw(p_booth bigint, p_visitor bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_id bigint;
BEGIN
  UPDATE leads SET withdrawn_at = now(), consent = false, card = NULL, notes = NULL, rating = NULL,
                   updated_at = now()
   WHERE booth_id = p_booth AND visitor_id = p_visitor AND withdrawn_at IS NULL
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN RETURN 'not_found'; END IF;
  PERFORM pg_notify('boothd_lead', 'withdrawn ' || v_id);   -- LEAD_CHANNEL
  RETURN NULL;
END
$$;

-- lead_update(booth, lead, actor, is_organizer, patch): staff set notes, rating and status.
-- patch is an object with any of {notes (string or null), rating (0-5 or null), status}, checked
-- by the server before; a key that is absent leaves its column as it is. Returns 'not_found'
-- (booth, or a live lead of that booth), 'forbidden' (booth_access) or NULL.
CREATE OR REPLACE FUNCTION lead_update(p_booth bigint, p_lead bigint, p_actor bigint, p_organizer boolean,
                                       p_patch jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_err text := booth_access(p_booth, p_actor, p_organizer);
BEGIN
  IF v_err IS NOT NULL THEN RETURN v_err; END IF;
  UPDATE leads l
     SET notes = CASE WHEN p_patch ? 'notes' THEN nullif(p_patch ->> 'notes', '') ELSE l.notes END,
         rating = CASE WHEN p_patch ? 'rating' THEN (p_patch ->> 'rating')::smallint ELSE l.rating END,
         status = CASE WHEN p_patch ? 'status' THEN p_patch ->> 'status' ELSE l.status END,
         updated_at = now()
   WHERE l.id = p_lead AND l.booth_id = p_booth AND l.withdrawn_at IS NULL;
  IF NOT FOUND THEN RETURN 'not_found'; END IF;
  PERFORM pg_notify('boothd_lead', 'updated ' || p_lead);   -- LEAD_CHANNEL
  RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Booth analytics (server/domains/analytics/): analytics_totals and analytics_hourly read the
-- hourly rollup; they are defined with it in the section "exhibitor2: booth analytics rollup"
-- at the end of this file.


-- ---- files and media (version 3) ----
-- file_is_public(file): the file's bytes may be served to anyone (GET /files/<id>): it is
-- attached to a booth's page, as media, logo or banner, or as a product image. Uploads not
-- (yet) attached are served only to staff of their booth and organizers (server/domains/files/
-- download.h) and deleted after a day by the next upload of their booth.
CREATE OR REPLACE FUNCTION file_is_public(p_file bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM booth_media m WHERE m.file_id = p_file)
      OR EXISTS (SELECT 1 FROM booths b WHERE b.logo_url = '/files/' || p_file OR b.banner_url = '/files/' || p_file)
      OR EXISTS (SELECT 1 FROM products p WHERE p.image_url = '/files/' || p_file)
$$;

-- booth_media_json(booth): the booth's media in page order, as booth.get, the media.* replies
-- and media.changed carry them (docs/protocol.md, "Booth media"). `url` is what a page links
-- to: the file's /files/<id> for an upload, else the stored link.
CREATE OR REPLACE FUNCTION booth_media_json(p_booth bigint) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT coalesce(json_agg(json_build_object('id', m.id, 'kind', m.kind,
           'title', json_build_object('en', m.title_en, 'ko', m.title_ko),
           'url', CASE WHEN m.file_id IS NOT NULL THEN '/files/' || m.file_id ELSE m.url END,
           'source_url', m.url, 'embed_url', m.embed_url, 'file_id', m.file_id,
           'mime', f.content_type, 'size', f.byte_size, 'file_name', f.filename,
           'lang', m.lang, 'sort_order', m.sort_order) ORDER BY m.sort_order, m.id), '[]')
    FROM booth_media m LEFT JOIN files f ON f.id = m.file_id
   WHERE m.booth_id = p_booth
$$;

-- media_right(actor, booth): NULL when the actor may change the booth's media (staff of that
-- booth, or an organizer), else 'not_found' (no such booth) or 'forbidden'. Locks the booth
-- row so concurrent changes of one booth's media queue up (sort order, the 50-item cap).
CREATE OR REPLACE FUNCTION media_right(p_actor bigint, p_booth bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN 'not_found'; END IF;
  IF EXISTS (SELECT 1 FROM accounts WHERE id = p_actor AND role = 'organizer' AND disabled_at IS NULL)
     OR EXISTS (SELECT 1 FROM booth_staff WHERE booth_id = p_booth AND account_id = p_actor) THEN
    RETURN NULL;
  END IF;
  RETURN 'forbidden';
END
$$;

-- media_save: adds (p_id NULL) or changes one media item of a booth. The caller validated the
-- fields' shapes (server/domains/media/media.c); here: the right, the item belongs to the
-- booth, a file is the booth's own upload of the right type (brochure: a PDF; image: an
-- image), at most 50 items. Returns (error, media_id, media): error NULL on success, else
-- 'not_found', 'forbidden', 'bad_file', 'wrong_file_type', 'too_many'; media is the booth's
-- list after the change. One pg_notify('boothd_media', '<booth id>') per change.
CREATE OR REPLACE FUNCTION media_save(p_actor bigint, p_booth bigint, p_id bigint, p_kind text,
                                      p_title_en text, p_title_ko text, p_url text, p_embed text,
                                      p_file bigint, p_lang text)
RETURNS TABLE (error text, media_id bigint, media json) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e text := media_right(p_actor, p_booth);
  ct text;
  mid bigint := p_id;
BEGIN
  IF e IS NOT NULL THEN RETURN QUERY SELECT e, NULL::bigint, NULL::json; RETURN; END IF;
  IF p_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM booth_media WHERE id = p_id AND booth_id = p_booth) THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::bigint, NULL::json; RETURN;
  END IF;
  IF p_file IS NOT NULL THEN
    SELECT content_type INTO ct FROM files WHERE id = p_file AND booth_id = p_booth;
    IF NOT FOUND THEN RETURN QUERY SELECT 'bad_file'::text, NULL::bigint, NULL::json; RETURN; END IF;
    IF (p_kind = 'brochure' AND ct <> 'application/pdf') OR (p_kind = 'image' AND ct NOT LIKE 'image/%') THEN
      RETURN QUERY SELECT 'wrong_file_type'::text, NULL::bigint, NULL::json; RETURN;
    END IF;
  END IF;
  IF p_id IS NULL THEN
    IF (SELECT count(*) FROM booth_media WHERE booth_id = p_booth) >= 50 THEN
      RETURN QUERY SELECT 'too_many'::text, NULL::bigint, NULL::json; RETURN;
    END IF;
    INSERT INTO booth_media (booth_id, kind, title_en, title_ko, url, embed_url, file_id, lang, sort_order)
    VALUES (p_booth, p_kind, p_title_en, p_title_ko, p_url, p_embed, p_file, p_lang,
            coalesce((SELECT max(sort_order) FROM booth_media WHERE booth_id = p_booth), 0) + 10)
    RETURNING id INTO mid;
  ELSE
    UPDATE booth_media SET kind = p_kind, title_en = p_title_en, title_ko = p_title_ko, url = p_url,
           embed_url = p_embed, file_id = p_file, lang = p_lang
     WHERE id = p_id;
  END IF;
  PERFORM pg_notify('boothd_media', p_booth::text);     -- MEDIA_CHANNEL
  RETURN QUERY SELECT NULL::text, mid, booth_media_json(p_booth);
END
$$;

-- media_delete: removes one item (its file stays until no page uses it; see file_is_public).
-- Returns (error, media): 'not_found', 'forbidden', or NULL and the list after.
CREATE OR REPLACE FUNCTION media_delete(p_actor bigint, p_booth bigint, p_id bigint)
RETURNS TABLE (error text, media json) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e text := media_right(p_actor, p_booth);
BEGIN
  IF e IS NOT NULL THEN RETURN QUERY SELECT e, NULL::json; RETURN; END IF;
  DELETE FROM booth_media WHERE id = p_id AND booth_id = p_booth;
  IF NOT FOUND THEN RETURN QUERY SELECT 'not_found'::text, NULL::json; RETURN; END IF;
  PERFORM pg_notify('boothd_media', p_booth::text);     -- MEDIA_CHANNEL
  RETURN QUERY SELECT NULL::text, booth_media_json(p_booth);
END
$$;

-- media_reorder: p_ids is every media id of the booth, once each, in the new order.
-- Returns (error, media): 'not_found', 'forbidden', 'bad_ids' (not exactly the booth's set).
CREATE OR REPLACE FUNCTION media_reorder(p_actor bigint, p_booth bigint, p_ids bigint[])
RETURNS TABLE (error text, media json) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e text := media_right(p_actor, p_booth);
BEGIN
  IF e IS NOT NULL THEN RETURN QUERY SELECT e, NULL::json; RETURN; END IF;
  IF cardinality(p_ids) <> (SELECT count(DISTINCT x) FROM unnest(p_ids) x)
     OR ARRAY(SELECT x FROM unnest(p_ids) x ORDER BY x)
        IS DISTINCT FROM ARRAY(SELECT id FROM booth_media WHERE booth_id = p_booth ORDER BY id) THEN
    RETURN QUERY SELECT 'bad_ids'::text, NULL::json; RETURN;
  END IF;
  UPDATE booth_media m SET sort_order = o.n * 10
    FROM unnest(p_ids) WITH ORDINALITY AS o(id, n) WHERE m.id = o.id;
  PERFORM pg_notify('boothd_media', p_booth::text);     -- MEDIA_CHANNEL
  RETURN QUERY SELECT NULL::text, booth_media_json(p_booth);
END
$$;


-- ---- exhibitor (version 3) ----
-- Booth self-service: server/domains/exhibitor/. Every write function checks the actor FIRST
-- (staff of that booth, or an organizer) and writes nothing otherwise. Each returns one jsonb:
--   {"data": {...}}                       success: the reply's data, as is
--   {"error": "<code>"}                   forbidden / not_found / conflict / limit
--   {"error": "bad_request", "fields": {"<field>": "<reason>"}}   per-field refusals
--   "message" may accompany an error with a stable word (e.g. "last_staff").
-- No function here takes or returns a table's row type: that would make the table depend on the
-- function and a migration (or tests/integration/schema_undo/) could not drop it.
-- A change visitors must see NOTIFYs 'boothd_exhibitor' (EXHIBITOR_CHANNEL in
-- server/domains/exhibitor/exhibitor.h) once, in the writing transaction, with
-- {"k":"booth"|"products","b":<booth id>} or {"k":"staff"|"joined","b":<booth id>,"a":<account id>}.

CREATE OR REPLACE FUNCTION exhibitor_is_organizer(p_actor bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM accounts WHERE id = p_actor AND role = 'organizer' AND disabled_at IS NULL)
$$;

-- Whether the actor may manage the booth: its staff, or an organizer.
CREATE OR REPLACE FUNCTION exhibitor_may_manage(p_booth bigint, p_actor bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM booth_staff s JOIN accounts a ON a.id = s.account_id
                  WHERE s.booth_id = p_booth AND s.account_id = p_actor AND a.disabled_at IS NULL)
      OR exhibitor_is_organizer(p_actor)
$$;

-- The editable face of a booth: what booth.update returns and booth.updated carries.
CREATE OR REPLACE FUNCTION exhibitor_booth_json(p_booth bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', b.id, 'slug', b.slug,
           'name', jsonb_build_object('en', b.name_en, 'ko', b.name_ko),
           'tagline', jsonb_build_object('en', b.tagline_en, 'ko', b.tagline_ko),
           'description', jsonb_build_object('en', b.description_en, 'ko', b.description_ko),
           'category', c.slug, 'tier', b.tier, 'sort_order', b.sort_order, 'time_zone', b.time_zone,
           'contact_email', b.contact_email, 'video_call_url', b.video_call_url,
           'logo_url', b.logo_url, 'banner_url', b.banner_url,
           'archived_at', to_char(b.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'company', jsonb_build_object('name', jsonb_build_object('en', co.name_en, 'ko', co.name_ko),
                                         'city', co.city, 'website', co.website),
           'updated_at', to_char(b.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM booths b JOIN companies co ON co.id = b.company_id LEFT JOIN categories c ON c.id = b.category_id
   WHERE b.id = p_booth
$$;

-- A partial update's new value of one column: the patch's value when the key was sent (a JSON
-- null gives NULL), else the old one. Plain SQL, inlined by the planner.
CREATE OR REPLACE FUNCTION exhibitor_patched(p jsonb, k text, old text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p ? k THEN p ->> k ELSE old END
$$;

CREATE OR REPLACE FUNCTION exhibitor_notify(p_kind text, p_booth bigint, p_account bigint) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_notify('boothd_exhibitor', json_strip_nulls(json_build_object('k', p_kind, 'b', p_booth, 'a', p_account))::text)
$$;

-- booth.profile: the editable face of the booth, for its staff and organizers (it carries the
-- contact address and the video-call link, which booth.get does not show).
CREATE OR REPLACE FUNCTION exhibitor_booth_profile(p_booth bigint, p_actor bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  RETURN jsonb_build_object('data', jsonb_build_object('booth', exhibitor_booth_json(p_booth)));
END
$$;

-- booth.update: p holds only the fields sent (already validated by the server); a key with a
-- JSON null clears an optional field. slug, tier, category and sort_order are organizer-only.
CREATE OR REPLACE FUNCTION exhibitor_booth_update(p_booth bigint, p_actor bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_company bigint;
  v_cat bigint;
BEGIN
  SELECT company_id INTO v_company FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  IF p ?| array['slug', 'tier', 'category', 'sort_order'] AND NOT exhibitor_is_organizer(p_actor) THEN
    RETURN '{"error":"forbidden","message":"organizer_only"}';
  END IF;
  IF p ? 'category' AND p ->> 'category' IS NOT NULL THEN
    SELECT id INTO v_cat FROM categories WHERE slug = p ->> 'category';
    IF NOT FOUND THEN RETURN '{"error":"bad_request","fields":{"category":"unknown_category"}}'; END IF;
  END IF;
  BEGIN
    UPDATE booths SET
      name_en        = exhibitor_patched(p, 'name_en', name_en),
      name_ko        = exhibitor_patched(p, 'name_ko', name_ko),
      tagline_en     = exhibitor_patched(p, 'tagline_en', tagline_en),
      tagline_ko     = exhibitor_patched(p, 'tagline_ko', tagline_ko),
      description_en = exhibitor_patched(p, 'description_en', description_en),
      description_ko = exhibitor_patched(p, 'description_ko', description_ko),
      contact_email  = exhibitor_patched(p, 'contact_email', contact_email),
      video_call_url = exhibitor_patched(p, 'video_call_url', video_call_url),
      time_zone      = exhibitor_patched(p, 'time_zone', time_zone),
      slug           = exhibitor_patched(p, 'slug', slug),
      tier           = exhibitor_patched(p, 'tier', tier),
      category_id    = CASE WHEN p ? 'category' THEN v_cat ELSE category_id END,
      sort_order     = exhibitor_patched(p, 'sort_order', sort_order::text)::integer,
      updated_at     = now()
     WHERE id = p_booth;
  EXCEPTION WHEN unique_violation THEN
    RETURN '{"error":"bad_request","fields":{"slug":"taken"}}';
  END;
  IF p ? 'website' THEN
    UPDATE companies SET website = p ->> 'website', updated_at = now() WHERE id = v_company;
  END IF;
  PERFORM exhibitor_notify('booth', p_booth, NULL);
  -- the hall shows names, taglines, tier and category: its pages re-read (hall.changed)
  IF p ?| array['name_en', 'name_ko', 'tagline_en', 'tagline_ko', 'slug', 'tier', 'category', 'sort_order'] THEN
    PERFORM setup_hall_notify(p_booth);
  END IF;
  RETURN jsonb_build_object('data', jsonb_build_object('booth', exhibitor_booth_json(p_booth)));
END
$$;

CREATE OR REPLACE FUNCTION exhibitor_products_json(p_booth bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id,
           'name', jsonb_build_object('en', p.name_en, 'ko', p.name_ko),
           'description', jsonb_build_object('en', p.description_en, 'ko', p.description_ko),
           'image_url', p.image_url, 'image_file_id', p.image_file_id,
           'price_note', p.price_note, 'moq', p.moq) ORDER BY p.sort_order, p.id), '[]'::jsonb)
    FROM products p WHERE p.booth_id = p_booth
$$;

-- product.save: p_product NULL creates (name_en and name_ko required, checked by the server),
-- else updates the keys present in p. image_file_id must name a PNG, JPEG or WebP uploaded for
-- this booth (files.booth_id): else the field error not_found, other_booth or not_an_image.
-- The booth row lock serializes the count check against p_max.
CREATE OR REPLACE FUNCTION exhibitor_product_save(p_booth bigint, p_actor bigint, p_product bigint,
                                                  p jsonb, p_max integer) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_booth bigint;
  v_type text;
  v_file_booth bigint;
  v_file bigint := (p ->> 'image_file_id')::bigint;
  v_id bigint := p_product;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  IF p_product IS NOT NULL THEN
    SELECT booth_id INTO v_booth FROM products WHERE id = p_product;
    IF NOT FOUND OR v_booth <> p_booth THEN RETURN '{"error":"not_found"}'; END IF;
  ELSIF (SELECT count(*) FROM products WHERE booth_id = p_booth) >= p_max THEN
    RETURN '{"error":"limit"}';
  END IF;
  IF v_file IS NOT NULL THEN
    SELECT content_type, booth_id INTO v_type, v_file_booth FROM files WHERE id = v_file;
    IF NOT FOUND THEN RETURN '{"error":"bad_request","fields":{"image_file_id":"not_found"}}'; END IF;
    -- only an upload made for this booth (one without a booth predates version 3: not offered)
    IF v_file_booth IS DISTINCT FROM p_booth THEN
      RETURN '{"error":"bad_request","fields":{"image_file_id":"other_booth"}}';
    END IF;
    IF v_type NOT IN ('image/png', 'image/jpeg', 'image/webp') THEN
      RETURN '{"error":"bad_request","fields":{"image_file_id":"not_an_image"}}';
    END IF;
  END IF;
  IF p_product IS NULL THEN
    INSERT INTO products (booth_id, name_en, name_ko, description_en, description_ko, image_file_id,
                          image_url, price_note, moq, sort_order)
    VALUES (p_booth, p ->> 'name_en', p ->> 'name_ko', p ->> 'description_en', p ->> 'description_ko', v_file,
            '/files/' || v_file, p ->> 'price_note', p ->> 'moq',
            (SELECT coalesce(max(sort_order), 0) + 1 FROM products WHERE booth_id = p_booth))
    RETURNING id INTO v_id;
  ELSE
    UPDATE products SET
      name_en        = exhibitor_patched(p, 'name_en', name_en),
      name_ko        = exhibitor_patched(p, 'name_ko', name_ko),
      description_en = exhibitor_patched(p, 'description_en', description_en),
      description_ko = exhibitor_patched(p, 'description_ko', description_ko),
      price_note     = exhibitor_patched(p, 'price_note', price_note),
      moq            = exhibitor_patched(p, 'moq', moq),
      image_file_id  = CASE WHEN p ? 'image_file_id' THEN v_file ELSE image_file_id END,
      image_url      = CASE WHEN p ? 'image_file_id' THEN '/files/' || v_file ELSE image_url END,
      updated_at     = now()
     WHERE id = p_product;
  END IF;
  PERFORM exhibitor_notify('products', p_booth, NULL);
  RETURN jsonb_build_object('data', jsonb_build_object('product_id', v_id,
                                                       'products', exhibitor_products_json(p_booth)));
END
$$;

CREATE OR REPLACE FUNCTION exhibitor_product_delete(p_product bigint, p_actor bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_booth bigint;
BEGIN
  SELECT booth_id INTO v_booth FROM products WHERE id = p_product;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(v_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  DELETE FROM products WHERE id = p_product;
  PERFORM exhibitor_notify('products', v_booth, NULL);
  RETURN jsonb_build_object('data', jsonb_build_object('booth_id', v_booth,
                                                       'products', exhibitor_products_json(v_booth)));
END
$$;

-- product.reorder: p_ids must be exactly the booth's products, each once, in the new order.
CREATE OR REPLACE FUNCTION exhibitor_product_reorder(p_booth bigint, p_actor bigint, p_ids bigint[]) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  IF cardinality(p_ids) <> (SELECT count(DISTINCT x) FROM unnest(p_ids) x)
     OR ARRAY(SELECT id FROM products WHERE booth_id = p_booth ORDER BY id)
        <> ARRAY(SELECT x FROM unnest(p_ids) x ORDER BY x) THEN
    RETURN '{"error":"bad_request","fields":{"product_ids":"not_a_permutation"}}';
  END IF;
  UPDATE products p SET sort_order = o.n, updated_at = now()
    FROM unnest(p_ids) WITH ORDINALITY AS o(id, n)
   WHERE p.id = o.id AND p.sort_order IS DISTINCT FROM o.n::integer;
  PERFORM exhibitor_notify('products', p_booth, NULL);
  RETURN jsonb_build_object('data', jsonb_build_object('products', exhibitor_products_json(p_booth)));
END
$$;

-- The team of a booth: staff and the invites still pending (not accepted, revoked or expired).
CREATE OR REPLACE FUNCTION exhibitor_team_json(p_booth bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'staff', coalesce((SELECT jsonb_agg(jsonb_build_object('account_id', a.id, 'name', a.name, 'email', a.email,
               'staff_role', s.staff_role,
               'since', to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
               ORDER BY s.created_at, a.id)
             FROM booth_staff s JOIN accounts a ON a.id = s.account_id WHERE s.booth_id = p_booth), '[]'::jsonb),
    'invites', coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id, 'email', i.email,
               'created_at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'expires_at', to_char(i.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
               ORDER BY i.id)
             FROM booth_invites i WHERE i.booth_id = p_booth AND i.accepted_at IS NULL
              AND i.revoked_at IS NULL AND i.expires_at > now()), '[]'::jsonb))
$$;

CREATE OR REPLACE FUNCTION exhibitor_team_list(p_booth bigint, p_actor bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  RETURN jsonb_build_object('data', exhibitor_team_json(p_booth));
END
$$;

-- team.invite: a new pending invite for p_email (a previous pending one to the same address is
-- revoked); 'conflict' when that address already staffs the booth, 'limit' beyond p_max pending.
CREATE OR REPLACE FUNCTION exhibitor_team_invite(p_booth bigint, p_actor bigint, p_email text,
                                                 p_token_hash bytea, p_days integer, p_max integer) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_id bigint;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  IF EXISTS (SELECT 1 FROM booth_staff s JOIN accounts a ON a.id = s.account_id
              WHERE s.booth_id = p_booth AND lower(a.email) = lower(p_email)) THEN
    RETURN '{"error":"conflict","message":"already_staff"}';
  END IF;
  UPDATE booth_invites SET revoked_at = now()
   WHERE booth_id = p_booth AND lower(email) = lower(p_email) AND accepted_at IS NULL AND revoked_at IS NULL;
  IF (SELECT count(*) FROM booth_invites WHERE booth_id = p_booth AND accepted_at IS NULL
        AND revoked_at IS NULL AND expires_at > now()) >= p_max THEN
    RETURN '{"error":"limit"}';
  END IF;
  INSERT INTO booth_invites (booth_id, email, token_hash, invited_by, expires_at)
  VALUES (p_booth, p_email, p_token_hash, p_actor, now() + make_interval(days => p_days))
  RETURNING id INTO v_id;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
  VALUES (p_actor, 'team.invite', 'booth', p_booth::text, jsonb_build_object('invite', v_id));
  RETURN jsonb_build_object('data', jsonb_build_object('invite',
           (SELECT jsonb_build_object('id', i.id, 'email', i.email,
                     'expires_at', to_char(i.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
              FROM booth_invites i WHERE i.id = v_id)));
END
$$;

CREATE OR REPLACE FUNCTION exhibitor_invite_revoke(p_booth bigint, p_actor bigint, p_invite bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  UPDATE booth_invites SET revoked_at = now()
   WHERE id = p_invite AND booth_id = p_booth AND accepted_at IS NULL AND revoked_at IS NULL;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  RETURN jsonb_build_object('data', exhibitor_team_json(p_booth));
END
$$;

-- invite.get: what the invite page shows. Unknown, used, revoked and expired tokens read alike.
CREATE OR REPLACE FUNCTION exhibitor_invite_get(p_token_hash bytea) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  i booth_invites;
BEGIN
  SELECT * INTO i FROM booth_invites WHERE token_hash = p_token_hash AND accepted_at IS NULL
     AND revoked_at IS NULL AND expires_at > now();
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  RETURN jsonb_build_object('data', jsonb_build_object(
    'booth', (SELECT jsonb_build_object('id', b.id, 'slug', b.slug,
                       'name', jsonb_build_object('en', b.name_en, 'ko', b.name_ko), 'logo_url', b.logo_url)
                FROM booths b WHERE b.id = i.booth_id),
    'email', i.email,
    'expires_at', to_char(i.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'account_exists', EXISTS (SELECT 1 FROM accounts a WHERE lower(a.email) = lower(i.email))));
END
$$;

-- The user object of the protocol (docs/protocol.md, Objects) for an account.
CREATE OR REPLACE FUNCTION exhibitor_user_json(p_account bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('id', a.id, 'name', a.name, 'role', a.role, 'lang', a.lang,
           'company', a.company)) || jsonb_build_object('booths',
           coalesce((SELECT jsonb_agg(jsonb_build_object('id', b.id, 'slug', b.slug,
                       'name', jsonb_build_object('en', b.name_en, 'ko', b.name_ko), 'time_zone', b.time_zone)
                       ORDER BY b.id)
                       FROM booth_staff s JOIN booths b ON b.id = s.booth_id WHERE s.account_id = a.id), '[]'::jsonb))
    FROM accounts a WHERE a.id = p_account
$$;

-- invite.accept: p_account NULL creates the invited address's account (name, password hash;
-- 'conflict' "account_exists" when it already has one: sign in first) and stores the session
-- token hash p_auth_token; else the signed-in account must have the invited address
-- ('forbidden' "other_email"). A visitor account becomes an exhibitor; its sessions inside the
-- booth count as staff from now on, and every node is told ('joined'). The invite is used up.
CREATE OR REPLACE FUNCTION exhibitor_invite_accept(p_token_hash bytea, p_account bigint, p_name text,
                                                   p_password_hash text, p_auth_token bytea, p_token_days integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  i booth_invites;
  v_acc bigint := p_account;
  v_email text;
BEGIN
  SELECT * INTO i FROM booth_invites WHERE token_hash = p_token_hash AND accepted_at IS NULL
     AND revoked_at IS NULL AND expires_at > now() FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF v_acc IS NULL THEN
    IF EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower(i.email)) THEN
      RETURN '{"error":"conflict","message":"account_exists"}';
    END IF;
    INSERT INTO accounts (email, password_hash, name, role) VALUES (i.email, p_password_hash, p_name, 'exhibitor')
    RETURNING id INTO v_acc;
    INSERT INTO auth_tokens (token_hash, account_id, expires_at)
    VALUES (p_auth_token, v_acc, now() + make_interval(days => p_token_days));
  ELSE
    SELECT email INTO v_email FROM accounts WHERE id = v_acc AND disabled_at IS NULL;
    IF NOT FOUND OR lower(v_email) <> lower(i.email) THEN
      RETURN '{"error":"forbidden","message":"other_email"}';
    END IF;
    UPDATE accounts SET role = 'exhibitor' WHERE id = v_acc AND role = 'visitor';
  END IF;
  -- The first member of a booth without staff (one made by the bulk import) owns it.
  INSERT INTO booth_staff (booth_id, account_id, staff_role)
  VALUES (i.booth_id, v_acc, CASE WHEN EXISTS (SELECT 1 FROM booth_staff WHERE booth_id = i.booth_id) THEN 'staff' ELSE 'owner' END)
  ON CONFLICT DO NOTHING;
  UPDATE presence SET role = 'staff' WHERE booth_id = i.booth_id AND account_id = v_acc AND role = 'visitor';
  UPDATE booth_invites SET accepted_at = now(), accepted_by = v_acc WHERE id = i.id;
  PERFORM exhibitor_notify('joined', i.booth_id, v_acc);
  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
  VALUES (v_acc, 'team.invite.accept', 'booth', i.booth_id::text, jsonb_build_object('invite', i.id));
  RETURN jsonb_build_object('data', jsonb_build_object('booth_id', i.booth_id, 'user', exhibitor_user_json(v_acc)));
END
$$;

-- team.remove: any staff member (or an organizer) removes a colleague; removing an owner needs
-- an owner or an organizer; staff cannot remove the booth's last staff member ('conflict'
-- "last_staff"), organizers can. The removed account's presence rows in the booth turn to
-- 'visitor' in the same transaction, so the counts are right at once on every node.
CREATE OR REPLACE FUNCTION exhibitor_team_remove(p_booth bigint, p_actor bigint, p_account bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_org boolean := exhibitor_is_organizer(p_actor);
  v_target text;
  v_actor text;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  IF NOT exhibitor_may_manage(p_booth, p_actor) THEN RETURN '{"error":"forbidden"}'; END IF;
  SELECT staff_role INTO v_target FROM booth_staff WHERE booth_id = p_booth AND account_id = p_account;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  SELECT staff_role INTO v_actor FROM booth_staff WHERE booth_id = p_booth AND account_id = p_actor;
  IF v_target = 'owner' AND NOT v_org AND v_actor IS DISTINCT FROM 'owner' THEN
    RETURN '{"error":"forbidden","message":"owner_only"}';
  END IF;
  IF NOT v_org AND (SELECT count(*) FROM booth_staff WHERE booth_id = p_booth) <= 1 THEN
    RETURN '{"error":"conflict","message":"last_staff"}';
  END IF;
  DELETE FROM booth_staff WHERE booth_id = p_booth AND account_id = p_account;
  UPDATE presence SET role = 'visitor' WHERE booth_id = p_booth AND account_id = p_account AND role = 'staff';
  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
  VALUES (p_actor, 'team.remove', 'booth', p_booth::text, jsonb_build_object('account', p_account));
  PERFORM exhibitor_notify('staff', p_booth, p_account);
  RETURN jsonb_build_object('data', exhibitor_team_json(p_booth));
END
$$;


-- ---- organizer ----
-- The conflicts of a bulk import that only the database can see, for the dry run and again
-- inside organizer_import: [{line, column, reason}] (empty when none). rows is the array
-- import_rows.c builds.
CREATE OR REPLACE FUNCTION organizer_import_conflicts(rows jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(e ORDER BY (e->>'line')::int), '[]'::jsonb) FROM (
    SELECT jsonb_build_object('line', r.line, 'column', 'booth_slug', 'reason', 'a booth with this slug exists') e
      FROM jsonb_to_recordset(rows) AS r(line int, slug text) WHERE EXISTS (SELECT 1 FROM booths b WHERE b.slug = r.slug)
    UNION ALL
    SELECT jsonb_build_object('line', r.line, 'column', 'category', 'reason', 'no such category')
      FROM jsonb_to_recordset(rows) AS r(line int, category text)
      WHERE r.category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM categories c WHERE c.slug = r.category)
) x
$$;

-- Applies a checked bulk import in one transaction: per row a company, its booth, and when the
-- row names staff, a team invite of the booth for that address (booth_invites, as team.invite
-- makes them: token_hash is the hex SHA-256 of the one-time token the server made; valid 14
-- days; the invitee accepts on invite.html, choosing name and password, or signing in when the
-- address has an account already; the first to join a booth without staff becomes its owner).
-- Returns {"conflicts": [...]} when there are any (then nothing is written), else {"booths":
-- [{line, booth_id, company_id, invite_id, slug}]} after writing them and one audit row.
-- The unique constraints still decide a race with another writer (23505 aborts it all).
CREATE OR REPLACE FUNCTION organizer_import(actor bigint, rows jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  conflicts jsonb := organizer_import_conflicts(rows);
  r record;
  cid bigint;
  bid bigint;
  iid bigint;
  made jsonb := '[]'::jsonb;
BEGIN
  IF jsonb_array_length(conflicts) > 0 THEN
    RETURN jsonb_build_object('conflicts', conflicts);
  END IF;
  FOR r IN SELECT * FROM jsonb_to_recordset(rows) AS x(line int, company_en text, company_ko text, country text,
      slug text, name_en text, name_ko text, category text, tier text, sort_order int, email text,
      staff_name text, token_hash text) ORDER BY line
  LOOP
    INSERT INTO companies (name_en, name_ko, country) VALUES (r.company_en, r.company_ko, r.country) RETURNING id INTO cid;
    INSERT INTO booths (slug, company_id, category_id, name_en, name_ko, tier, sort_order)
      VALUES (r.slug, cid, (SELECT id FROM categories WHERE slug = r.category), r.name_en, r.name_ko, r.tier, r.sort_order)
      RETURNING id INTO bid;
    iid := NULL;
    IF r.email IS NOT NULL THEN
      INSERT INTO booth_invites (booth_id, email, token_hash, invited_by, expires_at)
        VALUES (bid, r.email, decode(r.token_hash, 'hex'), actor, now() + interval '14 days') RETURNING id INTO iid;
    END IF;
    made := made || jsonb_build_object('line', r.line, 'booth_id', bid, 'company_id', cid, 'invite_id', iid, 'slug', r.slug);
  END LOOP;
  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
    VALUES (actor, 'expo.import', 'import', jsonb_array_length(made)::text, jsonb_build_object('before', NULL, 'after', made));
  PERFORM setup_hall_notify(NULL);
  RETURN jsonb_build_object('booths', made);
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
    -- An archived booth takes no new messages from buyers; its staff may still answer.
    IF v_side = 'buyer' AND EXISTS (SELECT 1 FROM booths b WHERE b.id = t.booth_id AND b.archived_at IS NOT NULL) THEN
      RETURN QUERY SELECT e.idx, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::boolean, 'booth_archived'::text;
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

-- ---- setup: expo set-up forms and archiving (branch setup) ---------------------------------
-- category.save, company.save, booth.save, booth.archive and setup.list (server/domains/
-- organizer/setup_expo.c). The server has checked every field already (types, lengths,
-- slugs, links, time zones) and passes only the fields sent, flat ("name.en", "slug", ...), as
-- text or JSON null; a key left out keeps the stored value (on create: the column default).
-- These functions decide what only the database knows (a slug taken, a company or category
-- that does not exist), write the row and its audit entry (before/after) in one transaction,
-- and answer as the exhibitor functions do: {"data": ...} or {"error": ..., "fields"?: ...}.
-- A change visitors must see NOTIFYs 'boothd_exhibitor' {"k":"booth"} (booth.updated for the
-- sessions inside the booth) and 'boothd_hall' with the booth id or '' (HALL_CHANNEL,
-- server/domains/organizer/organizer_sql.h: every node sends hall.changed to its sessions).

-- Every field of a booth the set-up form edits, organizer-only ones and archived_at included.
CREATE OR REPLACE FUNCTION setup_booth_json(p_booth bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', b.id, 'slug', b.slug, 'company_id', b.company_id, 'category_id', b.category_id,
           'name', jsonb_build_object('en', b.name_en, 'ko', b.name_ko),
           'tagline', jsonb_build_object('en', b.tagline_en, 'ko', b.tagline_ko),
           'description', jsonb_build_object('en', b.description_en, 'ko', b.description_ko),
           'tier', b.tier, 'sort_order', b.sort_order, 'time_zone', b.time_zone,
           'contact_email', b.contact_email, 'video_call_url', b.video_call_url,
           'staff', (SELECT count(*) FROM booth_staff s WHERE s.booth_id = b.id),
           'archived_at', to_char(b.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'updated_at', to_char(b.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM booths b WHERE b.id = p_booth
$$;

CREATE OR REPLACE FUNCTION setup_company_json(p_company bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', c.id, 'name', jsonb_build_object('en', c.name_en, 'ko', c.name_ko),
           'country', c.country, 'city', jsonb_build_object('en', c.city, 'ko', c.city_ko), 'website', c.website,
           'booths', (SELECT count(*) FROM booths b WHERE b.company_id = c.id))
    FROM companies c WHERE c.id = p_company
$$;

CREATE OR REPLACE FUNCTION setup_category_json(p_category bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', c.id, 'slug', c.slug, 'name', jsonb_build_object('en', c.name_en, 'ko', c.name_ko),
           'sort_order', c.sort_order, 'booths', (SELECT count(*) FROM booths b WHERE b.category_id = c.id))
    FROM categories c WHERE c.id = p_category
$$;

-- setup.list: everything the set-up section lists, archived booths included (at most a few
-- thousand rows: an expo's booths; the hall's order).
CREATE OR REPLACE FUNCTION setup_list() RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'categories', coalesce((SELECT jsonb_agg(setup_category_json(id) ORDER BY sort_order, id) FROM categories), '[]'::jsonb),
    'companies', coalesce((SELECT jsonb_agg(setup_company_json(id) ORDER BY name_en, id) FROM companies), '[]'::jsonb),
    'booths', coalesce((SELECT jsonb_agg(setup_booth_json(id) ORDER BY archived_at IS NOT NULL,
                 CASE tier WHEN 'platinum' THEN 0 WHEN 'gold' THEN 1 ELSE 2 END, sort_order, id) FROM booths), '[]'::jsonb))
$$;

CREATE OR REPLACE FUNCTION setup_hall_notify(p_booth bigint) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_notify('boothd_hall', coalesce(p_booth::text, ''))
$$;

-- The audit entry of a set-up change: who, what, which row, the row's object before (NULL for
-- a new row) and after.
CREATE OR REPLACE FUNCTION setup_audit(p_actor bigint, p_action text, p_table text, p_id bigint, p_before jsonb,
                                       p_after jsonb) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)
  VALUES (p_actor, p_action, p_table, p_id::text, jsonb_build_object('before', p_before, 'after', p_after))
$$;

-- category.save: p_id NULL creates (slug, name.en, name.ko required: checked by the server).
CREATE OR REPLACE FUNCTION setup_category_save(p_actor bigint, p_id bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_before jsonb;
  v_id bigint := p_id;
BEGIN
  IF v_id IS NOT NULL THEN
    PERFORM 1 FROM categories WHERE id = v_id FOR UPDATE;
    IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
    v_before := setup_category_json(v_id);
  END IF;
  BEGIN
    IF v_id IS NULL THEN
      INSERT INTO categories (slug, name_en, name_ko, sort_order)
      VALUES (p ->> 'slug', p ->> 'name.en', p ->> 'name.ko', coalesce((p ->> 'sort_order')::integer, 0))
      RETURNING id INTO v_id;
    ELSE
      UPDATE categories SET slug = exhibitor_patched(p, 'slug', slug),
        name_en = exhibitor_patched(p, 'name.en', name_en), name_ko = exhibitor_patched(p, 'name.ko', name_ko),
        sort_order = coalesce(exhibitor_patched(p, 'sort_order', sort_order::text)::integer, 0)
       WHERE id = v_id;
    END IF;
  EXCEPTION WHEN unique_violation THEN
    RETURN '{"error":"bad_request","fields":{"slug":"taken_category"}}';
  END;
  PERFORM setup_audit(p_actor, 'category.save', 'categories', v_id, v_before, setup_category_json(v_id));
  PERFORM setup_hall_notify(NULL);
  RETURN jsonb_build_object('data', jsonb_build_object('id', v_id, 'category', setup_category_json(v_id)));
END
$$;

-- company.save: p_id NULL creates (name.en, name.ko required). Its booths' pages show the
-- company's name and website: their visitors get booth.updated.
CREATE OR REPLACE FUNCTION setup_company_save(p_actor bigint, p_id bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_before jsonb;
  v_id bigint := p_id;
BEGIN
  IF v_id IS NOT NULL THEN
    PERFORM 1 FROM companies WHERE id = v_id FOR UPDATE;
    IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
    v_before := setup_company_json(v_id);
    UPDATE companies SET name_en = exhibitor_patched(p, 'name.en', name_en), name_ko = exhibitor_patched(p, 'name.ko', name_ko),
      country = coalesce(exhibitor_patched(p, 'country', country), 'KR'),
      city = exhibitor_patched(p, 'city.en', city), city_ko = exhibitor_patched(p, 'city.ko', city_ko),
      website = exhibitor_patched(p, 'website', website), updated_at = now()
     WHERE id = v_id;
    PERFORM exhibitor_notify('booth', b.id, NULL) FROM booths b WHERE b.company_id = v_id;
  ELSE
    INSERT INTO companies (name_en, name_ko, country, city, city_ko, website)
    VALUES (p ->> 'name.en', p ->> 'name.ko', coalesce(p ->> 'country', 'KR'), p ->> 'city.en', p ->> 'city.ko', p ->> 'website')
    RETURNING id INTO v_id;
  END IF;
  PERFORM setup_audit(p_actor, 'company.save', 'companies', v_id, v_before, setup_company_json(v_id));
  RETURN jsonb_build_object('data', jsonb_build_object('id', v_id, 'company', setup_company_json(v_id)));
END
$$;

-- booth.save: p_id NULL creates (slug, company_id, name.en, name.ko required). Refusals only
-- the database sees come back per field: slug 'taken', company_id 'unknown_company',
-- category_id 'unknown_category'.
CREATE OR REPLACE FUNCTION setup_booth_save(p_actor bigint, p_id bigint, p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_before jsonb;
  v_id bigint := p_id;
  v_fields jsonb := '{}'::jsonb;
BEGIN
  IF v_id IS NOT NULL THEN
    PERFORM 1 FROM booths WHERE id = v_id FOR UPDATE;
    IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
    v_before := setup_booth_json(v_id);
  END IF;
  IF p ? 'company_id' AND NOT EXISTS (SELECT 1 FROM companies WHERE id = (p ->> 'company_id')::bigint) THEN
    v_fields := v_fields || '{"company_id":"unknown_company"}';
  END IF;
  IF p ->> 'category_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM categories WHERE id = (p ->> 'category_id')::bigint) THEN
    v_fields := v_fields || '{"category_id":"unknown_category"}';
  END IF;
  IF p ? 'slug' AND EXISTS (SELECT 1 FROM booths WHERE slug = p ->> 'slug' AND id IS DISTINCT FROM v_id) THEN
    v_fields := v_fields || '{"slug":"taken"}';
  END IF;
  IF v_fields <> '{}'::jsonb THEN
    RETURN jsonb_build_object('error', 'bad_request', 'fields', v_fields);
  END IF;
  BEGIN
    IF v_id IS NULL THEN
      INSERT INTO booths (slug, company_id, category_id, name_en, name_ko, tagline_en, tagline_ko, description_en,
                          description_ko, tier, sort_order, time_zone, contact_email, video_call_url)
      VALUES (p ->> 'slug', (p ->> 'company_id')::bigint, (p ->> 'category_id')::bigint, p ->> 'name.en', p ->> 'name.ko',
              p ->> 'tagline.en', p ->> 'tagline.ko', p ->> 'description.en', p ->> 'description.ko',
              coalesce(p ->> 'tier', 'standard'), coalesce((p ->> 'sort_order')::integer, 0),
              coalesce(p ->> 'time_zone', 'Asia/Seoul'), p ->> 'contact_email', p ->> 'video_call_url')
      RETURNING id INTO v_id;
    ELSE
      UPDATE booths SET
        slug           = exhibitor_patched(p, 'slug', slug),
        company_id     = exhibitor_patched(p, 'company_id', company_id::text)::bigint,
        category_id    = exhibitor_patched(p, 'category_id', category_id::text)::bigint,
        name_en        = exhibitor_patched(p, 'name.en', name_en),
        name_ko        = exhibitor_patched(p, 'name.ko', name_ko),
        tagline_en     = exhibitor_patched(p, 'tagline.en', tagline_en),
        tagline_ko     = exhibitor_patched(p, 'tagline.ko', tagline_ko),
        description_en = exhibitor_patched(p, 'description.en', description_en),
        description_ko = exhibitor_patched(p, 'description.ko', description_ko),
        tier           = coalesce(exhibitor_patched(p, 'tier', tier), 'standard'),
        sort_order     = coalesce(exhibitor_patched(p, 'sort_order', sort_order::text)::integer, 0),
        time_zone      = coalesce(exhibitor_patched(p, 'time_zone', time_zone), 'Asia/Seoul'),
        contact_email  = exhibitor_patched(p, 'contact_email', contact_email),
        video_call_url = exhibitor_patched(p, 'video_call_url', video_call_url),
        updated_at     = now()
       WHERE id = v_id;
    END IF;
  EXCEPTION
    WHEN unique_violation THEN RETURN '{"error":"bad_request","fields":{"slug":"taken"}}';
    WHEN foreign_key_violation THEN RETURN '{"error":"bad_request","fields":{"company_id":"unknown_company"}}';
    WHEN check_violation THEN RETURN '{"error":"bad_request","fields":{"time_zone":"unknown_time_zone"}}';
  END;
  PERFORM setup_audit(p_actor, 'booth.save', 'booths', v_id, v_before, setup_booth_json(v_id));
  PERFORM exhibitor_notify('booth', v_id, NULL);
  PERFORM setup_hall_notify(v_id);
  RETURN jsonb_build_object('data', jsonb_build_object('id', v_id, 'booth', setup_booth_json(v_id)));
END
$$;

-- booth.archive: p_archived true archives (archived_at = now(); already archived keeps its
-- time), false brings the booth back. Nothing else of the booth changes and nothing is
-- deleted. Sessions inside the booth get booth.updated (with archived_at), every session
-- hall.changed.
CREATE OR REPLACE FUNCTION setup_booth_archive(p_actor bigint, p_booth bigint, p_archived boolean) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_before jsonb;
BEGIN
  PERFORM 1 FROM booths WHERE id = p_booth FOR UPDATE;
  IF NOT FOUND THEN RETURN '{"error":"not_found"}'; END IF;
  v_before := setup_booth_json(p_booth);
  UPDATE booths SET archived_at = CASE WHEN p_archived THEN coalesce(archived_at, now()) END WHERE id = p_booth;
  PERFORM setup_audit(p_actor, CASE WHEN p_archived THEN 'booth.archive' ELSE 'booth.unarchive' END, 'booths', p_booth, v_before, setup_booth_json(p_booth));
  PERFORM exhibitor_notify('booth', p_booth, NULL);
  PERFORM setup_hall_notify(p_booth);
  RETURN jsonb_build_object('data', jsonb_build_object('booth', setup_booth_json(p_booth)));
END
$$;

-- ---------------------------------------------------------------------------------------------
-- ---- exhibitor2: booth analytics rollup ----
-- Booth analytics (server/domains/analytics/) at a million visits. The visits a booth had
-- before its rollup watermark (visit_rollup_booths.rolled_to, a whole hour) are read from the
-- rollup tables (schema.sql, "booth analytics rollup"); only the visits entered since, at most
-- an hour and a few minutes of them, are read from `visits`. visit_rollup() moves the
-- watermarks; nothing on the join path writes the rollup. The answers equal a computation over
-- `visits` alone (it_analytics checks it): every figure is a sum over disjoint hours, except
-- unique visitors over the expo (the rolled-up visitor set plus the recent visitors not in it)
-- and the median dwell (the exact histogram of dwell seconds, merged with the recent visits').
-- A booth without a readable rollup (new, reset, or its hours' phase moved) is read from
-- `visits` alone, which is what these functions did before the rollup (scripts/analytics-bench
-- measures both).
-- Conventions as before: visits of the booth's own staff are not counted; avg/median dwell are
-- over finished visits (open ones have no dwell yet). Booth inquiries are not counted yet.

-- analytics_origin(booth): where the booth's hours start (aligned to its time zone): the expo's
-- first hour, or 23 hours ago when the expo has no dates. Only its phase within an hour matters
-- to the rollup.
CREATE OR REPLACE FUNCTION analytics_origin(p_booth bigint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT date_trunc('hour', coalesce(e.starts_at, now() - interval '23 hours'), b.time_zone)
    FROM booths b CROSS JOIN expo e WHERE b.id = p_booth
$$;

-- visit_rollup_of(booth): one row (w = the watermark, visitors = rolled-up unique visitors) when
-- the booth's rollup can be read, none otherwise.
CREATE OR REPLACE FUNCTION visit_rollup_of(p_booth bigint) RETURNS TABLE (w timestamptz, visitors bigint)
LANGUAGE sql STABLE AS $$
  SELECT rb.rolled_to, rb.visitors FROM visit_rollup_booths rb
   WHERE rb.booth_id = p_booth AND rb.rolled_to IS NOT NULL
     AND date_bin('1 hour', rb.origin, analytics_origin(p_booth)) = rb.origin
$$;

-- visit_rollup(): folds the booths' visits up to the last complete hour before the horizon into
-- the rollup, booths that are furthest behind first, for at most about two seconds (a booth
-- already begun is finished); returns how many booths are still behind (0: all caught up; the
-- caller comes back soon), or -1 when another session holds the rollup's advisory lock (another
-- node is at it). Idempotent; an error rolls the whole call back. Each booth's row stays locked
-- until the call commits, which is what a staff change of that booth waits for (the budget
-- bounds the wait; see visit_rollup_reset_staff); a row a staff change holds is skipped.
-- The horizon: a visit row is inserted with entered_at = now() of its transaction, so no visit
-- entered before the oldest open transaction of this database can still be uncommitted; a
-- minute is kept in hand for a writer that stamps entered_at itself. An idle-in-transaction
-- session therefore holds the watermark back (the answers stay exact, only more is read raw).
-- The one precondition: nothing inserts a visit dated before the horizon. booth.enter never
-- does; a backfill or import of old visits must reset the booths it touched
-- (UPDATE visit_rollup_booths SET rolled_to = NULL WHERE booth_id = ...), else those visits
-- are missing from the figures until the next reset of the booth.
-- Visits still open at their hour's rollup are kept in visit_rollup_open and folded into their
-- hour's dwell and the histogram once closed; a reset or a moved phase redoes the booth.
CREATE OR REPLACE FUNCTION visit_rollup() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_horizon timestamptz;
  v_deadline timestamptz := clock_timestamp() + interval '2 seconds';
  v_from timestamptz;
  v_to timestamptz;
  v_staff bigint[];
  v_booth bigint;
  r record;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7263011) THEN RETURN -1; END IF;
  SELECT least(now(), min(a.xact_start)) - interval '1 minute' INTO v_horizon
    FROM pg_stat_activity a
   WHERE a.datname = current_database() AND a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid();
  INSERT INTO visit_rollup_booths (booth_id, origin)
  SELECT b.id, analytics_origin(b.id) FROM booths b ON CONFLICT (booth_id) DO NOTHING;
  -- the booths with something to do: behind the horizon, reset, hours moved, or open visits
  FOR v_booth IN SELECT rb.booth_id FROM visit_rollup_booths rb
                  WHERE rb.rolled_to IS NULL OR rb.rolled_to < date_bin('1 hour', v_horizon, rb.origin)
                     OR date_bin('1 hour', rb.origin, analytics_origin(rb.booth_id)) <> rb.origin
                     OR EXISTS (SELECT 1 FROM visit_rollup_open o WHERE o.booth_id = rb.booth_id)
                  ORDER BY rb.rolled_to NULLS FIRST, rb.booth_id
  LOOP
    EXIT WHEN clock_timestamp() > v_deadline;
    -- SKIP LOCKED: a transaction changing this booth's staff holds the row (it resets it); the
    -- rollup never waits for one, so it can never deadlock with one that changes several booths
    SELECT rb.origin, rb.rolled_to, analytics_origin(rb.booth_id) AS cur INTO r
      FROM visit_rollup_booths rb WHERE rb.booth_id = v_booth FOR UPDATE SKIP LOCKED;
    CONTINUE WHEN NOT FOUND;                    -- held (next call), or the booth was deleted
    -- the staff now: a change committed before the lock above reset the row (seen in r)
    v_staff := (SELECT coalesce(array_agg(s.account_id), '{}') FROM booth_staff s WHERE s.booth_id = v_booth);
    IF r.rolled_to IS NULL OR date_bin('1 hour', r.origin, r.cur) <> r.origin THEN
      DELETE FROM visit_rollup_hours WHERE booth_id = v_booth;
      DELETE FROM visit_rollup_visitors WHERE booth_id = v_booth;
      DELETE FROM visit_rollup_dwell WHERE booth_id = v_booth;
      DELETE FROM visit_rollup_open WHERE booth_id = v_booth;
      UPDATE visit_rollup_booths SET origin = r.cur, rolled_to = NULL, visitors = 0 WHERE booth_id = v_booth;
      v_from := '-infinity';
    ELSE
      v_from := r.rolled_to;
      -- visits that were open at their hour's rollup and have closed since (a primary-key
      -- probe each: this runs as a generic plan, which must not pick a scan of visits)
      WITH cand AS (
        SELECT o.visit_id, o.hour_start, (SELECT v.dwell_seconds FROM visits v WHERE v.id = o.visit_id) AS dwell
          FROM visit_rollup_open o WHERE o.booth_id = v_booth
      ), done AS (
        DELETE FROM visit_rollup_open o USING cand
         WHERE o.visit_id = cand.visit_id AND cand.dwell IS NOT NULL
        RETURNING o.hour_start, cand.dwell
      ), hrs AS (
        UPDATE visit_rollup_hours h SET dwell_n = h.dwell_n + d.n, dwell_sum = h.dwell_sum + d.s
          FROM (SELECT done.hour_start, count(*) AS n, sum(done.dwell) AS s FROM done GROUP BY 1) d
         WHERE h.booth_id = v_booth AND h.hour_start = d.hour_start
      )
      INSERT INTO visit_rollup_dwell AS x (booth_id, dwell_seconds, n)
      SELECT v_booth, done.dwell, count(*) FROM done GROUP BY 2
      ON CONFLICT (booth_id, dwell_seconds) DO UPDATE SET n = x.n + EXCLUDED.n;
    END IF;
    v_to := date_bin('1 hour', v_horizon, r.cur);
    CONTINUE WHEN v_to <= v_from;
    WITH nv AS MATERIALIZED (
      SELECT vi.id, vi.account_id, vi.dwell_seconds, date_bin('1 hour', vi.entered_at, r.cur) AS h
        FROM visits vi
       WHERE vi.booth_id = v_booth AND vi.entered_at >= v_from AND vi.entered_at < v_to
         AND vi.account_id <> ALL (v_staff)
    ), hrs AS (
      INSERT INTO visit_rollup_hours (booth_id, hour_start, visits, visitors, dwell_n, dwell_sum)
      SELECT v_booth, nv.h, count(*), count(DISTINCT nv.account_id), count(nv.dwell_seconds),
             coalesce(sum(nv.dwell_seconds), 0)
        FROM nv GROUP BY nv.h
    ), dw AS (
      INSERT INTO visit_rollup_dwell AS x (booth_id, dwell_seconds, n)
      SELECT v_booth, nv.dwell_seconds, count(*) FROM nv WHERE nv.dwell_seconds IS NOT NULL GROUP BY 2
      ON CONFLICT (booth_id, dwell_seconds) DO UPDATE SET n = x.n + EXCLUDED.n
    ), op AS (
      INSERT INTO visit_rollup_open (visit_id, booth_id, hour_start)
      SELECT nv.id, v_booth, nv.h FROM nv WHERE nv.dwell_seconds IS NULL
    ), vis AS (
      INSERT INTO visit_rollup_visitors (booth_id, account_id)
      SELECT DISTINCT v_booth, nv.account_id FROM nv
      ON CONFLICT DO NOTHING RETURNING 1
    )
    UPDATE visit_rollup_booths
       SET rolled_to = v_to, origin = r.cur, visitors = visitors + (SELECT count(*) FROM vis)
     WHERE booth_id = v_booth;
  END LOOP;
  RETURN (SELECT count(*) FROM visit_rollup_booths rb
           WHERE rb.rolled_to IS NULL OR rb.rolled_to < date_bin('1 hour', v_horizon, rb.origin));
END
$$;

-- analytics_totals(booth): everything recorded for the booth: the rollup before the watermark
-- (ro.w; -infinity without a readable rollup) and the visits entered since (raw). Unique
-- visitors: the rolled-up count plus the recent visitors the rolled-up set lacks (a primary-key
-- probe each). Median: percentile_cont(0.5) over the merged histogram, i.e. the mean of the
-- values at 0-based positions floor((n-1)/2) and ceil((n-1)/2) of the sorted dwell times.
CREATE OR REPLACE FUNCTION analytics_totals(p_booth bigint)
RETURNS TABLE (visits bigint, unique_visitors bigint, avg_dwell_seconds numeric, median_dwell_seconds numeric,
               chat_messages bigint, meeting_requests bigint, meetings_accepted bigint, leads bigint)
LANGUAGE sql STABLE AS $$
  WITH staff AS (SELECT coalesce(array_agg(s.account_id), '{}') AS ids FROM booth_staff s WHERE s.booth_id = p_booth),
  ro AS (SELECT coalesce(max(r.w), '-infinity') AS w, coalesce(max(r.visitors), 0) AS visitors, count(*) > 0 AS ok
           FROM visit_rollup_of(p_booth) r),
  raw AS MATERIALIZED (
    SELECT vi.account_id, vi.dwell_seconds FROM visits vi
     WHERE vi.booth_id = p_booth AND vi.entered_at >= (SELECT w FROM ro)
       AND vi.account_id <> ALL ((SELECT ids FROM staff)::bigint[])
  ), settled_visits AS MATERIALIZED (   -- (materialized: one probe per open visit)
    SELECT (SELECT v.dwell_seconds FROM visits v WHERE v.id = o.visit_id) AS dwell_seconds
      FROM visit_rollup_open o WHERE o.booth_id = p_booth AND (SELECT ok FROM ro)
  ), settled AS (
    SELECT sv.dwell_seconds FROM settled_visits sv WHERE sv.dwell_seconds IS NOT NULL
  ), hist AS (
    SELECT d.dwell_seconds AS s, d.n::integer AS n FROM visit_rollup_dwell d WHERE d.booth_id = p_booth AND (SELECT ok FROM ro)
    UNION ALL SELECT raw.dwell_seconds, 1 FROM raw WHERE raw.dwell_seconds IS NOT NULL
    UNION ALL SELECT settled.dwell_seconds, 1 FROM settled
  ), g AS MATERIALIZED (
    SELECT hist.s, sum(hist.n)::integer AS n FROM hist GROUP BY hist.s
  ), tot AS (
    SELECT sum(g.n) AS n, sum(g.n::bigint * g.s) AS dsum FROM g
  ), dw AS (
    SELECT tot.n, tot.dsum,
           (min(cum.s) FILTER (WHERE cum.upto > (tot.n - 1) / 2)
            + min(cum.s) FILTER (WHERE cum.upto > tot.n / 2)) / 2.0 AS median
      FROM tot LEFT JOIN (SELECT g.s, sum(g.n) OVER (ORDER BY g.s ROWS UNBOUNDED PRECEDING) AS upto FROM g) cum ON true
     GROUP BY tot.n, tot.dsum
  )
  SELECT (SELECT coalesce(sum(h.visits), 0) FROM visit_rollup_hours h WHERE h.booth_id = p_booth AND (SELECT ok FROM ro))::bigint
           + (SELECT count(*) FROM raw),
         (SELECT visitors FROM ro)
           + (SELECT count(*) FROM (SELECT DISTINCT raw.account_id FROM raw) d
               WHERE NOT (SELECT ok FROM ro)
                  OR (SELECT 1 FROM visit_rollup_visitors rv                  -- (LIMIT: a probe per
                       WHERE rv.booth_id = p_booth AND rv.account_id = d.account_id LIMIT 1) IS NULL),  -- visitor, not a hash of all)
         round(dw.dsum / nullif(dw.n, 0), 1), round(dw.median, 1),
         c.n, m.requested, m.accepted, l.n
    FROM dw,
         (SELECT count(*) AS n FROM chat_messages cm WHERE cm.booth_id = p_booth AND cm.deleted_at IS NULL) c,
         (SELECT count(*) AS requested, count(*) FILTER (WHERE mt.status = 'accepted') AS accepted
            FROM meetings mt WHERE mt.booth_id = p_booth) m,
         (SELECT count(*) AS n FROM leads ld WHERE ld.booth_id = p_booth AND ld.withdrawn_at IS NULL) l
$$;

-- analytics_hourly(booth): one row per hour of the expo (expo.starts_at .. expo.ends_at, hours
-- aligned to the booth's time zone; without dates: the last 24 hours; at most 14 days), with
-- what started in that hour: visits (by entry), chat messages (by sending), meeting requests
-- (by creation; accepted = of those, the ones accepted now), leads (by sharing). Hours before
-- the watermark come from visit_rollup_hours (plus the dwell of their visits that closed since
-- that rollup), later ones from `visits` grouped by (hour, visitor) with a hash, not a sort.
-- The window's ends are scalar subqueries (computed once, used as index bounds); buckets come
-- from date_bin (timestamp arithmetic, no numeric epoch maths per row).
CREATE OR REPLACE FUNCTION analytics_hourly(p_booth bigint)
RETURNS TABLE (hour_start timestamptz, visits bigint, unique_visitors bigint, avg_dwell_seconds numeric,
               chat_messages bigint, meeting_requests bigint, meetings_accepted bigint, leads bigint)
LANGUAGE sql STABLE AS $$
  WITH w AS (
    SELECT x.s, least(coalesce(e.ends_at, now()), x.s + interval '14 days') AS e
      FROM expo e CROSS JOIN LATERAL (SELECT analytics_origin(p_booth) AS s) x
     WHERE x.s IS NOT NULL
  ), staff AS (
    SELECT coalesce(array_agg(s.account_id), '{}') AS ids FROM booth_staff s WHERE s.booth_id = p_booth
  ), ro AS (
    SELECT coalesce(max(r.w), '-infinity') AS w, count(*) > 0 AS ok FROM visit_rollup_of(p_booth) r
  ), per_visitor AS (
    SELECT date_bin('1 hour', vi.entered_at, (SELECT s FROM w)) AS h, vi.account_id, count(*) AS n,
           sum(vi.dwell_seconds) AS dwell_sum, count(vi.dwell_seconds) AS dwell_n
      FROM visits vi
     WHERE vi.booth_id = p_booth AND vi.entered_at >= greatest((SELECT s FROM w), (SELECT w FROM ro))
       AND vi.entered_at < (SELECT e FROM w)
       AND vi.account_id <> ALL ((SELECT ids FROM staff)::bigint[])
     GROUP BY 1, 2
  ), settled_visits AS MATERIALIZED (   -- (materialized: one probe per open visit, not per hour)
    SELECT o.hour_start AS h, (SELECT v.dwell_seconds FROM visits v WHERE v.id = o.visit_id) AS d
      FROM visit_rollup_open o WHERE o.booth_id = p_booth AND (SELECT ok FROM ro)
  ), settled AS MATERIALIZED (
    SELECT sv.h, count(sv.d) AS n, sum(sv.d) AS s FROM settled_visits sv GROUP BY 1
  ), v AS (
    SELECT rh.hour_start AS h, rh.visits AS n, rh.visitors AS u,
           round((rh.dwell_sum + coalesce(st.s, 0)) / nullif(rh.dwell_n + coalesce(st.n, 0), 0)::numeric, 1) AS avg_dwell
      FROM visit_rollup_hours rh LEFT JOIN settled st ON st.h = rh.hour_start
     WHERE rh.booth_id = p_booth AND (SELECT ok FROM ro)
       AND rh.hour_start >= (SELECT s FROM w) AND rh.hour_start < (SELECT e FROM w)
    UNION ALL
    SELECT h, sum(n)::bigint, count(*), round(sum(dwell_sum) / nullif(sum(dwell_n), 0), 1)
      FROM per_visitor GROUP BY h
  ), c AS (
    SELECT date_bin('1 hour', cm.sent_at, (SELECT s FROM w)) AS h, count(*) AS n
      FROM chat_messages cm
     WHERE cm.booth_id = p_booth AND cm.deleted_at IS NULL
       AND cm.sent_at >= (SELECT s FROM w) AND cm.sent_at < (SELECT e FROM w)
     GROUP BY 1
  ), m AS (
    SELECT date_bin('1 hour', mt.created_at, (SELECT s FROM w)) AS h, count(*) AS requested,
           count(*) FILTER (WHERE mt.status = 'accepted') AS accepted
      FROM meetings mt
     WHERE mt.booth_id = p_booth AND mt.created_at >= (SELECT s FROM w) AND mt.created_at < (SELECT e FROM w)
     GROUP BY 1
  ), l AS (
    SELECT date_bin('1 hour', ld.created_at, (SELECT s FROM w)) AS h, count(*) AS n
      FROM leads ld
     WHERE ld.booth_id = p_booth AND ld.withdrawn_at IS NULL
       AND ld.created_at >= (SELECT s FROM w) AND ld.created_at < (SELECT e FROM w)
     GROUP BY 1
  ), hours AS (
    SELECT g AS h FROM w, generate_series(w.s, w.e - interval '1 microsecond', interval '1 hour') AS g
  )
  SELECT hours.h, coalesce(v.n, 0), coalesce(v.u, 0), v.avg_dwell,
         coalesce(c.n, 0), coalesce(m.requested, 0), coalesce(m.accepted, 0), coalesce(l.n, 0)
    FROM hours
    LEFT JOIN v ON v.h = hours.h LEFT JOIN c ON c.h = hours.h
    LEFT JOIN m ON m.h = hours.h LEFT JOIN l ON l.h = hours.h
   ORDER BY hours.h
$$;

-- ---- joins: token use times (#15) -------------------------------------------------------------
-- auth_touch(hashes): sets last_used_at = now() of the tokens whose SHA-256 (hex) is in hashes.
-- boothd collects the tokens its sessions resumed with and calls this at most once a second
-- (server/domains/auth/resume_batch.c), off the join path. The write may be lost, on purpose:
--   * this transaction commits with synchronous_commit = off (no wait for the WAL flush), so a
--     PostgreSQL crash may forget the last fraction of a second of touches;
--   * rows another transaction holds (a logout, another node's touch) are skipped, not waited
--     for, and the rows are locked in token order: touches never block or deadlock anything.
-- last_used_at is informational (when a token was last seen); no rule reads it: a token is
-- valid by revoked_at and expires_at only (SQL_TOKEN_VALID in server/domains/auth/token.h).
-- So it is kept to a grain of 5 minutes, the way relatime keeps file access times: a token used
-- again within 5 minutes of the time stored is not written again. Rewriting every token of a
-- reconnect storm (a node restarted, every client resumed) or of a burst of joins cost
-- PostgreSQL about 70 µs per token in row versions and index entries: a third of its CPU in
-- the joins benchmark (issue 15).
CREATE OR REPLACE FUNCTION auth_touch(hashes text[])
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_n integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  UPDATE auth_tokens t SET last_used_at = now()
    FROM (SELECT a.token_hash FROM auth_tokens a
           WHERE a.token_hash IN (SELECT decode(h, 'hex') FROM unnest(hashes) AS h)
             AND a.last_used_at < now() - interval '5 minutes'   -- the grain, above
           ORDER BY a.token_hash FOR UPDATE SKIP LOCKED) x
   WHERE t.token_hash = x.token_hash;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$$;
