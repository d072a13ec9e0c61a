/* chat_sql.h — SQL fragments shared by the statements that return chat messages, so every
 * path (send reply, enter, history, live feed) produces the same JSON:
 *   {booth_id, seq, id, author: {id, name, role, company}, text, sent_at[, hidden]}
 * `m` is a chat_messages row and `a` the author's accounts row. role is the author's role
 * in that booth: "staff" for its exhibitors, "organizer", or "visitor". */
#ifndef BOOTHD_CHAT_SQL_H
#define BOOTHD_CHAT_SQL_H

#define SQL_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define SQL_AUTHOR_ROLE \
    "CASE WHEN a.role = 'organizer' THEN 'organizer'" \
    " WHEN EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = m.booth_id AND st.account_id = a.id)" \
    " THEN 'staff' ELSE 'visitor' END"

#define SQL_MESSAGE_JSON_WITH(text, extra) \
    "json_build_object('booth_id', m.booth_id, 'seq', m.seq, 'id', m.id," \
    " 'author', json_build_object('id', a.id, 'name', a.name, 'role', " SQL_AUTHOR_ROLE ", 'company', a.company)," \
    " 'text', " text ", 'sent_at', " SQL_RFC3339("m.sent_at") extra ")"
/* A message just appended (chat_append's rows): never hidden. */
#define SQL_MESSAGE_JSON SQL_MESSAGE_JSON_WITH("m.text", "")
/* A stored chat_messages row (history, enter, catch-up): a message hidden by moderation keeps
 * its seq, so the sequence stays gapless, but comes without its text and with hidden: true. */
#define SQL_STORED_MESSAGE_JSON \
    SQL_MESSAGE_JSON_WITH("CASE WHEN m.hidden_at IS NULL THEN m.text ELSE '' END", ", 'hidden', m.hidden_at IS NOT NULL")

#endif
