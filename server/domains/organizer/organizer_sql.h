/* organizer_sql.h — SQL fragments shared by the organizer domain's statements. */
#ifndef BOOTHD_ORGANIZER_SQL_H
#define BOOTHD_ORGANIZER_SQL_H

/* NOTIFY channels: "p<id>" an announcement was published, "r<id>" retracted; "<account id>"
 * an account was banned (its sessions close on every node). */
#define ANNOUNCE_CHANNEL "boothd_announce"
#define BAN_CHANNEL "boothd_ban"
/* {"b": booth id, "s": seq, "at", "by": {id, name}}: a chat message was hidden (every node
 * tells the booth's local members). */
#define CHAT_HIDE_CHANNEL "boothd_chat_hide"
/* "<booth id>" or "": the hall changed (a booth saved, archived or imported; a category saved);
 * every node sends hall.changed to its sessions. Sent by setup_hall_notify() in functions.sql. */
#define HALL_CHANNEL "boothd_hall"

/* A timestamptz as RFC 3339 in UTC with milliseconds, NULL stays NULL. */
#define SQL_UTC(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* One announcement row `a` as the wire object. lang: NULL for a bilingual one, else the only
 * language its text is in (older single-language rows: shown to pages in that language). */
#define SQL_ANNOUNCEMENT_JSON(a) \
    "json_build_object('id', " a ".id, 'level', " a ".level, 'lang', " a ".lang," \
    " 'title', json_build_object('en', " a ".title, 'ko', coalesce(" a ".title_ko, " a ".title))," \
    " 'body', json_build_object('en', " a ".body, 'ko', coalesce(" a ".body_ko, " a ".body))," \
    " 'created_at', " SQL_UTC(a ".created_at") ", 'expires_at', " SQL_UTC(a ".expires_at") "," \
    " 'retracted_at', " SQL_UTC(a ".retracted_at") ")"

/* An audit_log row written in the same statement as the change it records: actor $1, the
 * action, the target, and the row before/after as JSON (NULL when there is none). */
#define SQL_AUDIT(action, target_type, target_id, before, after) \
    "INSERT INTO audit_log (actor_id, action, target_type, target_id, detail)" \
    " SELECT $1, '" action "', '" target_type "', (" target_id ")::text," \
    " jsonb_build_object('before', " before ", 'after', " after ")"

/* `bn` (a bans row) is an expo-wide ban of the account, in force now. */
#define SQL_BAN_IN_FORCE(account) \
    "bn.account_id = " account " AND bn.booth_id IS NULL" \
    " AND bn.revoked_at IS NULL AND (bn.expires_at IS NULL OR bn.expires_at > now())"
/* The account has an expo-wide ban in force. */
#define SQL_BANNED(account) "EXISTS (SELECT 1 FROM bans bn WHERE " SQL_BAN_IN_FORCE(account) ")"
/* The ban in force that ends last, as {"reason", "until": RFC 3339 or null (never)}, or NULL:
 * what a banned account is told once it proved who it is (auth.login, auth.resume). */
#define SQL_BAN_JSON(account) \
    "(SELECT json_build_object('reason', bn.reason, 'until', " SQL_UTC("bn.expires_at") ")::text" \
    " FROM bans bn WHERE " SQL_BAN_IN_FORCE(account) " ORDER BY bn.expires_at DESC NULLS FIRST LIMIT 1)"

#endif
