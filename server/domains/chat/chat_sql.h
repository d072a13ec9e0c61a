/* chat_sql.h — SQL fragments shared by the statements that return chat messages, so every
 * path (send reply, enter, history, live feed) produces the same JSON:
 *   {booth_id, seq, id, author: {id, name, role, company}, text, sent_at[, hidden[, hidden_at,
 *   hidden_by: {id, name}]]}
 * `m` is a chat_messages row and `a` the author's accounts row. role is the author's role
 * in that booth: "staff" for its exhibitors, "organizer", or "visitor". */
#ifndef BOOTHD_CHAT_SQL_H
#define BOOTHD_CHAT_SQL_H

#define SQL_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* The one definition of an account's role in a booth: 'organizer' for organizers, 'staff' for
 * the booth's exhibitors, 'visitor' for everyone else (SQL expressions for the account's
 * accounts.role, the booth id and the account id). booth.enter stores it in presence.role. */
#define SQL_BOOTH_ROLE(account_role, booth, account) \
    "CASE WHEN " account_role " = 'organizer' THEN 'organizer'" \
    " WHEN EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = " booth " AND st.account_id = " account ")" \
    " THEN 'staff' ELSE 'visitor' END"

#define SQL_AUTHOR_ROLE SQL_BOOTH_ROLE("a.role", "m.booth_id", "a.id")

#define SQL_MESSAGE_JSON_WITH(text, extra) \
    "json_build_object('booth_id', m.booth_id, 'seq', m.seq, 'id', m.id," \
    " 'author', json_build_object('id', a.id, 'name', a.name, 'role', " SQL_AUTHOR_ROLE ", 'company', a.company)," \
    " 'text', " text ", 'sent_at', " SQL_RFC3339("m.sent_at") extra ")"
/* A message just appended (chat_append's rows): never hidden. */
#define SQL_MESSAGE_JSON SQL_MESSAGE_JSON_WITH("m.text", "")
/* A stored chat_messages row (history, enter, catch-up) for a reader who is not the booth's
 * staff nor an organizer: a message hidden by moderation keeps its seq, so the sequence stays
 * gapless, but comes as a placeholder without text or author: {booth_id, seq, id, author:
 * null, text: "", sent_at, hidden: true}. */
#define SQL_HIDDEN_PLACEHOLDER_JSON \
    "json_build_object('booth_id', m.booth_id, 'seq', m.seq, 'id', m.id, 'author', NULL, 'text', ''," \
    " 'sent_at', " SQL_RFC3339("m.sent_at") ", 'hidden', true)"
/* The same hidden message for the booth's staff and organizers: its text and author, marked
 * hidden, with when and by whom. */
#define SQL_HIDDEN_STAFF_JSON \
    SQL_MESSAGE_JSON_WITH("m.text", ", 'hidden', true, 'hidden_at', " SQL_RFC3339("m.hidden_at") "," \
        " 'hidden_by', (SELECT json_build_object('id', hb.id, 'name', hb.name) FROM accounts hb WHERE hb.id = m.hidden_by)")
/* A stored row as `privileged` (an SQL boolean: the reader is the booth's staff or an
 * organizer) may see it. */
#define SQL_STORED_MESSAGE_JSON_FOR(privileged) \
    "CASE WHEN m.hidden_at IS NULL THEN " SQL_MESSAGE_JSON_WITH("m.text", ", 'hidden', false") \
    " WHEN " privileged " THEN " SQL_HIDDEN_STAFF_JSON " ELSE " SQL_HIDDEN_PLACEHOLDER_JSON " END"
/* A stored row as anyone may see it. */
#define SQL_STORED_MESSAGE_JSON SQL_STORED_MESSAGE_JSON_FOR("false")

/* What booth.enter answers with, as one row (messages: a JSON array text, n: its length) for
 * a FROM/JOIN LATERAL: the latest `lim` messages of `booth` up to `last_seq` (`since` < 0), or
 * the first `lim` after `since`; hidden ones as `privileged` may see them. Two branches, each
 * an index range scan on (booth_id, seq) that stops after lim rows: one ORDER BY over a CASE
 * could not use the index, read and sorted every message of the booth (43 ms per booth with
 * 26,000 of them), and booth.enter got slower with every message the booth had. All
 * arguments are SQL expressions. */
#define SQL_ENTER_MESSAGES(booth, since, lim, last_seq, privileged) \
    "(SELECT coalesce(json_agg(" SQL_STORED_MESSAGE_JSON_FOR(privileged) " ORDER BY m.seq), '[]')::text AS messages," \
    "   count(*) AS n" \
    "   FROM ((SELECT x.* FROM chat_messages x WHERE " since " < 0 AND x.booth_id = " booth \
    "           AND x.seq <= " last_seq " AND x.deleted_at IS NULL ORDER BY x.seq DESC LIMIT " lim ")" \
    "         UNION ALL" \
    "         (SELECT x.* FROM chat_messages x WHERE " since " >= 0 AND x.booth_id = " booth \
    "           AND x.seq > " since " AND x.seq <= " last_seq " AND x.deleted_at IS NULL ORDER BY x.seq LIMIT " lim ")) m" \
    "   JOIN accounts a ON a.id = m.author_id)"

#endif
