/* inquiries.c — the inquiries domain: private threads between one buyer and one booth.
 *
 *   inquiry.open     {booth_id, time_zone?}                 -> {thread, messages}
 *   inquiry.send     {thread_id, text, client_msg_id}       -> {message, duplicate?}
 *   inquiry.list     {booth_id? | all?, unread_only?, limit?} -> {threads}
 *   inquiry.history  {thread_id, before_seq? | since_seq?, limit?} -> {thread, messages}
 *   inquiry.read     {thread_id, seq}                       -> {side, seq}
 *   inquiry.claim    {thread_id, claim}                     -> {thread}
 *   inquiry.desk     {booth_ids? | all?}                    -> {booths}
 *   inquiry.settings {booth_id, public_chat?, quick_replies?} -> {public_chat, quick_replies}
 *   inquiry.booth    {booth_id}                             -> {public_chat, staff_online, thread}
 * events inquiry.message, inquiry.read, inquiry.claimed, inquiry.resync (docs/protocol.md).
 *
 * Who may do what is decided by the database in the statement that acts, before it writes:
 * a thread is visible to its buyer, the staff of its booth and organizers; a thread id that
 * does not exist and one the caller may not see both answer `forbidden`, so ids reveal nothing.
 * Sending goes through the booth chat's group commit (chat_batch.h) as a second kind of
 * message, with its own statement (inquiry_append(), which also authorizes each element under
 * the thread's row lock before writing it) and its own batcher instance, so inquiry batches do
 * not queue behind chat's. Delivery goes through NOTIFY (inquiry_feed.h) to the sessions
 * inquiry_desk.h names. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/protocol.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/chat/chat_batch.h"
#include "domains/inquiries/inquiry_desk.h"
#include "domains/inquiries/inquiry_feed.h"
#include "domains/inquiries/inquiry_sql.h"
#include "domains/presence/presence.h"
#include "util/pgarray.h"
#include "util/text.h"

#define MAX_ID INT64_C(9007199254740991)
#define QUICK_REPLIES_MAX 20
#define QUICK_REPLY_MAX_CHARS 500
#define MESSAGE_MAX_CHARS 2000

struct inquiries {
    struct app *app;
    struct inquiry_desk *desk;
    struct inquiry_feed *feed;
    struct chat_batch *batch;       /* carries only inquiry_kind */
};

/* inquiry_append() rows in the layout chat_batch answers from: idx, target, seq, duplicate,
 * error, message. The function returns the stored row whole: this statement cannot read the
 * rows the function wrote. */
static struct db_stmt q_append = DB_STMT("inquiry_append",
    "SELECT m.idx, m.thread_id, m.seq, m.duplicate, m.error,"
    " CASE WHEN m.error IS NULL THEN " SQL_INQUIRY_MESSAGE_JSON "::text END"
    " FROM inquiry_append($1::jsonb) m"
    " LEFT JOIN inquiry_threads t ON t.id = m.thread_id LEFT JOIN accounts a ON a.id = m.author_id");

static void answer_append_error(struct request *r, const char *error)
{
    if (!strcmp(error, "forbidden")) request_error(r, PROTO_FORBIDDEN, "not a participant of this inquiry");
    else if (!strcmp(error, "booth_archived"))
        request_error(r, PROTO_FORBIDDEN, "this booth is archived and takes no new messages");
    else request_error(r, PROTO_BAD_REQUEST, "message rejected: %s", error);
}

static const struct chat_batch_kind inquiry_kind = {&q_append, "thread_id", answer_append_error};

/* The caller's side of thread t ('buyer', 'booth' or NULL), as a lateral `s`. $2 = account. */
#define SQL_SIDE_OF_T \
    " CROSS JOIN LATERAL (SELECT CASE WHEN t.buyer_id = $2 THEN 'buyer'" \
    "   WHEN " SQL_INQUIRY_BOOTH_SIDE("t.booth_id", "$2") " THEN 'booth' END AS side) s"

static struct db_stmt q_open = DB_STMT("inquiry_open",
    "WITH b AS (SELECT id, archived_at IS NOT NULL AS archived FROM booths WHERE id = $1),"
    " st AS (SELECT EXISTS (SELECT 1 FROM booth_staff WHERE booth_id = $1 AND account_id = $2) AS is_staff),"
    " tz AS (SELECT CASE WHEN $3::text IS NULL THEN NULL"
    "   WHEN EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $3::text) THEN $3::text END AS z),"
    " ins AS (INSERT INTO inquiry_threads (booth_id, buyer_id, buyer_time_zone)"
    "   SELECT b.id, $2, tz.z FROM b, st, tz WHERE NOT st.is_staff AND NOT b.archived"
    "     AND ($3::text IS NULL OR tz.z IS NOT NULL)"
    "   ON CONFLICT (booth_id, buyer_id) DO UPDATE"
    "   SET buyer_time_zone = coalesce(EXCLUDED.buyer_time_zone, inquiry_threads.buyer_time_zone)"
    "   RETURNING id)"
    " SELECT (SELECT count(*) FROM b), (SELECT is_staff FROM st), ($3::text IS NULL OR (SELECT z FROM tz) IS NOT NULL),"
    " (SELECT id FROM ins), (SELECT archived FROM b)");

/* $1 thread, $2 account, $3 before_seq, $4 since_seq, $5 limit: side, thread, messages (oldest first) */
static struct db_stmt q_history = DB_STMT("inquiry_history",
    "SELECT s.side, CASE WHEN s.side IS NOT NULL THEN " SQL_INQUIRY_THREAD_JSON("s.side") "::text END,"
    " CASE WHEN s.side IS NOT NULL THEN (SELECT coalesce(json_agg(" SQL_INQUIRY_MESSAGE_JSON " ORDER BY m.seq), '[]')"
    /* the latest $5 (before $3 if given), or the first $5 after $4: two index range scans on
     * (thread_id, seq) that stop after $5 rows (an ORDER BY over a CASE read the whole thread) */
    "   FROM ((SELECT * FROM inquiry_messages x WHERE $4::bigint IS NULL AND x.thread_id = t.id"
    "           AND ($3::bigint IS NULL OR x.seq < $3) ORDER BY x.seq DESC LIMIT $5)"
    "         UNION ALL"
    "         (SELECT * FROM inquiry_messages x WHERE $4::bigint IS NOT NULL AND x.thread_id = t.id"
    "           AND x.seq > $4 AND ($3::bigint IS NULL OR x.seq < $3) ORDER BY x.seq LIMIT $5)) m"
    "   JOIN accounts a ON a.id = m.author_id)::text END"
    SQL_INQUIRY_THREAD_FROM SQL_SIDE_OF_T " WHERE t.id = $1");

/* $1 account, $2 booth (NULL: the caller's own threads as buyer), $3 limit */
#define SQL_LIST_SIDE "(CASE WHEN $2::bigint IS NULL THEN 'buyer' ELSE 'booth' END)"
static struct db_stmt q_list = DB_STMT("inquiry_list",
    "SELECT CASE WHEN $2::bigint IS NULL OR " SQL_INQUIRY_BOOTH_SIDE("$2::bigint", "$1") " THEN"
    " (SELECT coalesce(json_agg(x.j ORDER BY x.last_at DESC, x.id DESC), '[]') FROM"
    "   (SELECT " SQL_INQUIRY_THREAD_JSON(SQL_LIST_SIDE) " AS j, t.last_at, t.id" SQL_INQUIRY_THREAD_FROM
    "    WHERE CASE WHEN $2::bigint IS NULL THEN t.buyer_id = $1 ELSE t.booth_id = $2 END"
    "    ORDER BY t.last_at DESC, t.id DESC LIMIT $3) x)::text END");

#define SQL_ACCOUNT_IS_ORGANIZER(acct) \
    "EXISTS (SELECT 1 FROM accounts o WHERE o.id = " acct " AND o.role = 'organizer' AND o.disabled_at IS NULL)"

/* $1 account (must be an organizer), $2 limit, $3 unread_only: every booth's threads, for the
 * organizers' inbox; unread counted for the booth's side (what the booth has not read). */
static struct db_stmt q_list_all = DB_STMT("inquiry_list_all",
    "SELECT CASE WHEN " SQL_ACCOUNT_IS_ORGANIZER("$1") " THEN"
    " (SELECT coalesce(json_agg(x.j ORDER BY x.last_at DESC, x.id DESC), '[]') FROM"
    "   (SELECT " SQL_INQUIRY_THREAD_JSON("'booth'") " AS j, t.last_at, t.id" SQL_INQUIRY_THREAD_FROM
    "    WHERE NOT $3::boolean OR t.last_seq > t.booth_read_seq"
    "    ORDER BY t.last_at DESC, t.id DESC LIMIT $2) x)::text END");

/* $1 thread, $2 account, $3 seq: moves the caller's side's read mark forward (never back,
 * never past the last message) and announces it when it moved. The booth side's mark is its
 * team's: an organizer who is not on the team reads without moving it (the buyer's "Seen" and
 * the team's unread counts follow the team alone). */
static struct db_stmt q_read = DB_STMT("inquiry_read",
    "WITH s AS (SELECT t.id, t.side, t.staff, CASE t.side WHEN 'buyer' THEN t.buyer_read_seq ELSE t.booth_read_seq END AS old"
    "   FROM (SELECT t.*, CASE WHEN t.buyer_id = $2 THEN 'buyer'"
    "     WHEN " SQL_INQUIRY_BOOTH_SIDE("t.booth_id", "$2") " THEN 'booth' END AS side,"
    "     EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = t.booth_id AND st.account_id = $2) AS staff"
    "     FROM inquiry_threads t WHERE t.id = $1) t WHERE t.side IS NOT NULL),"
    " u AS (UPDATE inquiry_threads t"
    "   SET buyer_read_seq = CASE WHEN s.side = 'buyer' THEN greatest(t.buyer_read_seq, least($3, t.last_seq)) ELSE t.buyer_read_seq END,"
    "       booth_read_seq = CASE WHEN s.side = 'booth' AND s.staff THEN greatest(t.booth_read_seq, least($3, t.last_seq)) ELSE t.booth_read_seq END"
    "   FROM s WHERE t.id = s.id"
    "   RETURNING t.id, t.booth_id, t.buyer_id, s.side, s.old,"
    "     CASE WHEN s.side = 'buyer' THEN t.buyer_read_seq ELSE t.booth_read_seq END AS seq)"
    " SELECT u.side, u.seq, CASE WHEN u.seq > u.old THEN pg_notify('" INQUIRY_CHANNEL "', json_build_object('e',"
    "   json_build_object('type', 'inquiry.read', 'booth_id', u.booth_id, 'buyer_id', u.buyer_id, 'booth_side_only', false,"
    "     'data', json_build_object('thread_id', u.id, 'side', u.side, 'seq', u.seq)))::text) END"
    " FROM u");

/* $1 thread, $2 account, $3 claim: side-checked; taking a thread another holds is a conflict
 * (organizers may take it over), releasing is for its holder or an organizer. */
#define SQL_IS_ORGANIZER SQL_ACCOUNT_IS_ORGANIZER("$2")
static struct db_stmt q_claim = DB_STMT("inquiry_claim",
    "WITH s AS (SELECT t.id, " SQL_INQUIRY_BOOTH_SIDE("t.booth_id", "$2") " AS ok FROM inquiry_threads t WHERE t.id = $1),"
    " u AS (UPDATE inquiry_threads t SET claimed_by = CASE WHEN $3::boolean THEN $2 END,"
    "   claimed_at = CASE WHEN $3::boolean THEN now() END"
    "   FROM s WHERE t.id = s.id AND s.ok AND (t.claimed_by IS NULL OR t.claimed_by = $2 OR " SQL_IS_ORGANIZER ")"
    "   RETURNING t.id, t.booth_id, t.buyer_id, t.claimed_by)"
    " SELECT s.ok, u.id IS NOT NULL, CASE WHEN u.id IS NOT NULL THEN pg_notify('" INQUIRY_CHANNEL "', json_build_object('e',"
    "   json_build_object('type', 'inquiry.claimed', 'booth_id', u.booth_id, 'buyer_id', u.buyer_id, 'booth_side_only', true,"
    "     'data', json_build_object('thread_id', u.id, 'claimed_by',"
    "       (SELECT json_build_object('id', c.id, 'name', c.name) FROM accounts c WHERE c.id = u.claimed_by))))::text) END"
    " FROM s LEFT JOIN u ON true");

/* $1 account, $2 booth ids (NULL: every booth the account staffs) */
static struct db_stmt q_desk = DB_STMT("inquiry_desk",
    "SELECT b.id, json_build_object('id', b.id, 'slug', b.slug, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko),"
    " 'public_chat', coalesce(s.public_chat, true), 'quick_replies', coalesce(s.quick_replies, '[]'::jsonb),"
    " 'unread', (SELECT coalesce(sum(t.last_seq - t.booth_read_seq), 0) FROM inquiry_threads t WHERE t.booth_id = b.id))::text"
    " FROM booths b LEFT JOIN booth_inquiry_settings s ON s.booth_id = b.id"
    " WHERE CASE WHEN $2::bigint[] IS NULL THEN b.id IN (SELECT booth_id FROM booth_staff WHERE account_id = $1)"
    "   ELSE b.id = ANY ($2::bigint[]) AND " SQL_INQUIRY_BOOTH_SIDE("b.id", "$1") " END"
    " ORDER BY b.id LIMIT " "32");

/* $1 account (must be an organizer): the organizers' desk of every booth. Lists the booths
 * that have inquiries, with what their side has not read. */
static struct db_stmt q_desk_all = DB_STMT("inquiry_desk_all",
    "SELECT " SQL_ACCOUNT_IS_ORGANIZER("$1") ", (SELECT coalesce(json_agg(json_build_object('id', b.id, 'slug', b.slug,"
    "   'name', json_build_object('en', b.name_en, 'ko', b.name_ko),"
    "   'public_chat', coalesce(s.public_chat, true), 'quick_replies', coalesce(s.quick_replies, '[]'::jsonb),"
    "   'threads', u.threads, 'unread', u.unread) ORDER BY b.id), '[]')"
    "  FROM (SELECT t.booth_id, count(*) AS threads, sum(t.last_seq - t.booth_read_seq) AS unread"
    "        FROM inquiry_threads t GROUP BY t.booth_id) u"
    "  JOIN booths b ON b.id = u.booth_id LEFT JOIN booth_inquiry_settings s ON s.booth_id = b.id)::text");

/* $1 booth, $2 account, $3 public_chat (NULL: keep), $4 quick_replies (NULL: keep) */
static struct db_stmt q_settings = DB_STMT("inquiry_settings",
    "WITH c AS (SELECT EXISTS (SELECT 1 FROM booths WHERE id = $1) AS found, " SQL_INQUIRY_BOOTH_SIDE("$1", "$2") " AS ok),"
    " u AS (INSERT INTO booth_inquiry_settings (booth_id, public_chat, quick_replies, updated_by)"
    "   SELECT $1, coalesce($3::boolean, true), coalesce($4::jsonb, '[]'::jsonb), $2 FROM c WHERE c.found AND c.ok"
    "   ON CONFLICT (booth_id) DO UPDATE SET public_chat = coalesce($3::boolean, booth_inquiry_settings.public_chat),"
    "     quick_replies = coalesce($4::jsonb, booth_inquiry_settings.quick_replies), updated_at = now(), updated_by = $2"
    "   RETURNING public_chat, quick_replies)"
    " SELECT c.found, c.ok, u.public_chat, u.quick_replies::text FROM c LEFT JOIN u ON true");

/* $1 booth, $2 account: what the booth page needs to offer "Ask privately" */
static struct db_stmt q_booth = DB_STMT("inquiry_booth",
    "SELECT coalesce(s.public_chat, true), " SQL_PRESENCE_COUNT("b.id", "staff") ","
    " (SELECT json_build_object('id', t.id, 'last_seq', t.last_seq, 'unread', t.last_seq - t.buyer_read_seq)"
    "   FROM inquiry_threads t WHERE t.booth_id = b.id AND t.buyer_id = $2)::text"
    " FROM booths b LEFT JOIN booth_inquiry_settings s ON s.booth_id = b.id WHERE b.id = $1");

static int get_id(struct request *r, const char *name, bool required, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, required, 1, MAX_ID, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

static const char *account_param(const struct request *r, char buf[REQUEST_INT_LEN])
{
    return request_int(buf, r->s->account_id);
}

/* ---------- open / history ---------- */

static void on_history(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) == 0 || db_result_isnull(res, 0, 0)) {
        request_error(r, PROTO_FORBIDDEN, "not a participant of this inquiry");
        return;
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "side", db_result_value(res, 0, 0));
    cJSON_AddRawToObject(d, "thread", db_result_value(res, 0, 1));
    cJSON_AddRawToObject(d, "messages", db_result_value(res, 0, 2));
    request_ok(r, d);
}

static void query_history(struct request *r, int64_t thread, int64_t before, int64_t since, int64_t limit)
{
    char t[REQUEST_INT_LEN], a[REQUEST_INT_LEN], b[REQUEST_INT_LEN], s[REQUEST_INT_LEN], l[REQUEST_INT_LEN];
    const char *p[] = {request_int(t, thread), account_param(r, a), before ? request_int(b, before) : NULL,
                       since >= 0 ? request_int(s, since) : NULL, request_int(l, limit)};
    (void)request_query(r, &q_history, 5, p, on_history, r);
}

static void on_opened(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_int64(res, 0, 0) == 0) { request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    if (db_result_bool(res, 0, 1)) {
        request_error(r, PROTO_FORBIDDEN, "staff of a booth cannot open an inquiry with it");
        return;
    }
    if (db_result_bool(res, 0, 4)) {
        request_error(r, PROTO_FORBIDDEN, "this booth is archived and takes no new inquiries");
        return;
    }
    if (!db_result_bool(res, 0, 2)) {
        request_error(r, PROTO_BAD_REQUEST, "'time_zone' must be an IANA time zone such as America/Chicago");
        return;
    }
    query_history(r, db_result_int64(res, 0, 3), 0, -1, 50);
}

static void handle_open(struct request *r)
{
    char err[200];
    int64_t booth;
    const char *tz = NULL;
    if (get_id(r, "booth_id", true, &booth)) return;
    if (proto_get_string(r->data, "time_zone", false, 1, 64, &tz, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth), account_param(r, a), tz};
    (void)request_query(r, &q_open, 3, p, on_opened, r);
}

static void handle_history(struct request *r)
{
    char err[200];
    int64_t thread, before = 0, since = -1, limit = 50;
    if (get_id(r, "thread_id", true, &thread)) return;
    if (proto_get_int(r->data, "before_seq", false, 1, MAX_ID, &before, err, sizeof err) ||
        proto_get_int(r->data, "since_seq", false, 0, MAX_ID, &since, err, sizeof err) ||
        proto_get_int(r->data, "limit", false, 1, 200, &limit, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (before && since >= 0) {
        request_error(r, PROTO_BAD_REQUEST, "give 'before_seq' or 'since_seq', not both");
        return;
    }
    query_history(r, thread, before, since, limit);
}

/* ---------- send ---------- */

static void handle_send(struct request *r)
{
    char err[200];
    int64_t thread;
    const char *text, *cmid;
    if (get_id(r, "thread_id", true, &thread)) return;
    if (proto_get_string(r->data, "text", true, 1, 20000, &text, err, sizeof err) ||
        proto_get_string(r->data, "client_msg_id", true, 1, 64, &cmid, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char *clean = text_clean(text);
    size_t n = utf8_length(clean);
    if (n < 1 || n > MESSAGE_MAX_CHARS) {
        free(clean);
        request_error(r, PROTO_BAD_REQUEST, "'text' must be 1 to %d characters", MESSAGE_MAX_CHARS);
        return;
    }
    struct inquiries *q = r->self;
    chat_batch_submit_kind(q->batch, &inquiry_kind, r, thread, clean, cmid);
}

/* ---------- list / read / claim ---------- */

static void on_list(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_isnull(res, 0, 0)) { request_error(r, PROTO_FORBIDDEN, "not staff of this booth"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "threads", db_result_value(res, 0, 0));
    request_ok(r, d);
}

static void on_list_all(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_isnull(res, 0, 0)) { request_error(r, PROTO_FORBIDDEN, "only organizers can list every booth's inquiries"); return; }
    on_list(arg, res);
}

static void handle_list(struct request *r)
{
    char err[200];
    int64_t booth = 0, limit = 100;
    bool all = false, unread_only = false;
    if (get_id(r, "booth_id", false, &booth)) return;
    if (proto_get_int(r->data, "limit", false, 1, 500, &limit, err, sizeof err) ||
        proto_get_bool(r->data, "all", false, &all, err, sizeof err) ||
        proto_get_bool(r->data, "unread_only", false, &unread_only, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (all && booth) { request_error(r, PROTO_BAD_REQUEST, "give 'booth_id' or 'all', not both"); return; }
    if (unread_only && !all) { request_error(r, PROTO_BAD_REQUEST, "'unread_only' goes with 'all'"); return; }
    char a[REQUEST_INT_LEN], b[REQUEST_INT_LEN], l[REQUEST_INT_LEN];
    if (all) {
        const char *p[] = {account_param(r, a), request_int(l, limit), unread_only ? "true" : "false"};
        (void)request_query(r, &q_list_all, 3, p, on_list_all, r);
        return;
    }
    const char *p[] = {account_param(r, a), booth ? request_int(b, booth) : NULL, request_int(l, limit)};
    (void)request_query(r, &q_list, 3, p, on_list, r);
}

static void on_read(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) == 0) { request_error(r, PROTO_FORBIDDEN, "not a participant of this inquiry"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "side", db_result_value(res, 0, 0));
    cJSON_AddNumberToObject(d, "seq", (double)db_result_int64(res, 0, 1));
    request_ok(r, d);
}

static void handle_read(struct request *r)
{
    char err[200];
    int64_t thread, seq;
    if (get_id(r, "thread_id", true, &thread)) return;
    if (proto_get_int(r->data, "seq", true, 0, MAX_ID, &seq, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char t[REQUEST_INT_LEN], a[REQUEST_INT_LEN], s[REQUEST_INT_LEN];
    const char *p[] = {request_int(t, thread), account_param(r, a), request_int(s, seq)};
    (void)request_query(r, &q_read, 3, p, on_read, r);
}

static void on_claim(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) == 0 || !db_result_bool(res, 0, 0)) {
        request_error(r, PROTO_FORBIDDEN, "only the booth's staff can claim its inquiries");
        return;
    }
    if (!db_result_bool(res, 0, 1)) {
        request_error(r, PROTO_CONFLICT, "another staff member holds this inquiry");
        return;
    }
    int64_t thread = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r->data, "thread_id"));
    query_history(r, thread, 0, -1, 1);
}

static void handle_claim(struct request *r)
{
    char err[200];
    int64_t thread;
    bool claim = true;
    if (get_id(r, "thread_id", true, &thread)) return;
    if (proto_get_bool(r->data, "claim", false, &claim, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char t[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(t, thread), account_param(r, a), claim ? "true" : "false"};
    (void)request_query(r, &q_claim, 3, p, on_claim, r);
}

/* ---------- the desk ---------- */

struct desk_req {
    int64_t want[INQUIRY_DESK_MAX_BOOTHS];
    size_t n_want;
    uint64_t asked_ms;      /* when the staff check was sent (a removal heard since may be unseen by it) */
};

static void on_desk(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    struct desk_req *dr = r->ctx;
    r->ctx = NULL;
    if (db_result_status(res) != DB_OK) { free(dr); request_db_error(r, res); return; }
    int rows = db_result_rows(res);
    if (dr->n_want && (size_t)rows != dr->n_want) {
        free(dr);
        request_error(r, PROTO_FORBIDDEN, "'booth_ids' names a booth you do not staff");
        return;
    }
    struct inquiries *q = r->self;
    uint64_t asked = dr->asked_ms;
    bool named = dr->n_want != 0;
    free(dr);
    int64_t booths[INQUIRY_DESK_MAX_BOOTHS];
    size_t n = 0;
    cJSON *d = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(d, "booths");
    for (int i = 0; i < rows && n < INQUIRY_DESK_MAX_BOOTHS; i++) {
        int64_t b = db_result_int64(res, i, 0);
        /* removed from this team while the check ran: it read the old team */
        if (inquiry_desk_removed_since(q->desk, r->s->account_id, b, asked)) {
            if (!named) continue;
            cJSON_Delete(d);
            request_error(r, PROTO_FORBIDDEN, "'booth_ids' names a booth you do not staff");
            return;
        }
        booths[n++] = b;
        cJSON_AddItemToArray(arr, cJSON_CreateRaw(db_result_value(res, i, 1)));
    }
    /* The session may have closed or signed out while we asked: then file nothing. */
    if (session_is_open(r->s) && r->s->account_id)
        inquiry_desk_open(q->desk, r->s, booths, n, (r->s->role & ROLE_EXHIBITOR) != 0, false);
    request_ok(r, d);
}

static void on_desk_all(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (!db_result_bool(res, 0, 0)) { request_error(r, PROTO_FORBIDDEN, "only organizers can open the desk of every booth"); return; }
    struct inquiries *q = r->self;
    if (session_is_open(r->s) && r->s->account_id) inquiry_desk_open(q->desk, r->s, NULL, 0, false, true);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "booths", db_result_value(res, 0, 1));
    request_ok(r, d);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void handle_desk(struct request *r)
{
    char err[200];
    bool all = false;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r->data, "booth_ids");
    if (proto_get_bool(r->data, "all", false, &all, err, sizeof err)) { request_error(r, PROTO_BAD_REQUEST, "%s", err); return; }
    if (all) {
        if (ids && !cJSON_IsNull(ids)) { request_error(r, PROTO_BAD_REQUEST, "give 'booth_ids' or 'all', not both"); return; }
        char a[REQUEST_INT_LEN];
        const char *p[] = {account_param(r, a)};
        (void)request_query(r, &q_desk_all, 1, p, on_desk_all, r);
        return;
    }
    struct desk_req *dr = calloc(1, sizeof *dr);
    if (!dr) abort();
    dr->asked_ms = app_now_ms(((struct inquiries *)r->self)->app);
    if (ids && !cJSON_IsNull(ids)) {
        if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 || cJSON_GetArraySize(ids) > INQUIRY_DESK_MAX_BOOTHS) {
            free(dr);
            request_error(r, PROTO_BAD_REQUEST, "'booth_ids' must be an array of 1 to %d booth ids", INQUIRY_DESK_MAX_BOOTHS);
            return;
        }
        const cJSON *e;
        cJSON_ArrayForEach(e, ids) {
            if (!cJSON_IsNumber(e) || e->valuedouble < 1 || e->valuedouble > (double)MAX_ID ||
                e->valuedouble != (double)(int64_t)e->valuedouble) {
                free(dr);
                request_error(r, PROTO_BAD_REQUEST, "'booth_ids' must hold positive integer ids");
                return;
            }
            dr->want[dr->n_want++] = (int64_t)e->valuedouble;
        }
        qsort(dr->want, dr->n_want, sizeof *dr->want, cmp_i64);
        size_t u = 0;
        for (size_t i = 0; i < dr->n_want; i++) if (!u || dr->want[u - 1] != dr->want[i]) dr->want[u++] = dr->want[i];
        dr->n_want = u;
    }
    char a[REQUEST_INT_LEN];
    struct pgarray arr = {0};
    for (size_t i = 0; i < dr->n_want; i++) pgarray_add_int(&arr, dr->want[i]);
    const char *p[] = {account_param(r, a), dr->n_want ? pgarray_text(&arr) : NULL};
    r->ctx = dr;
    if (request_query(r, &q_desk, 2, p, on_desk, r)) free(dr);
    pgarray_free(&arr);
}

/* ---------- booth settings ---------- */

static void on_settings(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (!db_result_bool(res, 0, 0)) { request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    if (!db_result_bool(res, 0, 1)) { request_error(r, PROTO_FORBIDDEN, "not staff of this booth"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddBoolToObject(d, "public_chat", db_result_bool(res, 0, 2));
    cJSON_AddRawToObject(d, "quick_replies", db_result_value(res, 0, 3));
    request_ok(r, d);
}

/* Cleans and checks quick_replies: an array of 0..QUICK_REPLIES_MAX strings of
 * 1..QUICK_REPLY_MAX_CHARS characters. Returns its JSON text (malloc'ed) or NULL with err. */
static char *quick_replies_json(const cJSON *arr, char *err, size_t errlen)
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > QUICK_REPLIES_MAX) {
        snprintf(err, errlen, "'quick_replies' must be an array of at most %d texts", QUICK_REPLIES_MAX);
        return NULL;
    }
    cJSON *out = cJSON_CreateArray();
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, arr) {
        char *clean = cJSON_IsString(e) ? text_clean(e->valuestring) : NULL;
        size_t n = clean ? utf8_length(clean) : 0;
        if (n < 1 || n > QUICK_REPLY_MAX_CHARS) {
            free(clean);
            cJSON_Delete(out);
            snprintf(err, errlen, "'quick_replies[%d]' must be a text of 1 to %d characters", i, QUICK_REPLY_MAX_CHARS);
            return NULL;
        }
        cJSON_AddItemToArray(out, cJSON_CreateString(clean));
        free(clean);
        i++;
    }
    char *s = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    return s;
}

static void handle_settings(struct request *r)
{
    char err[200];
    int64_t booth;
    if (get_id(r, "booth_id", true, &booth)) return;
    const cJSON *pc = cJSON_GetObjectItemCaseSensitive(r->data, "public_chat");
    if (pc && !cJSON_IsBool(pc)) { request_error(r, PROTO_BAD_REQUEST, "'public_chat' must be true or false"); return; }
    const cJSON *qr = cJSON_GetObjectItemCaseSensitive(r->data, "quick_replies");
    char *qr_json = NULL;
    if (qr && !(qr_json = quick_replies_json(qr, err, sizeof err))) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth), account_param(r, a), pc ? (cJSON_IsTrue(pc) ? "true" : "false") : NULL, qr_json};
    (void)request_query(r, &q_settings, 4, p, on_settings, r);
    free(qr_json);
}

static void on_booth(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) == 0) { request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddBoolToObject(d, "public_chat", db_result_bool(res, 0, 0));
    cJSON_AddNumberToObject(d, "staff_online", (double)db_result_int64(res, 0, 1));
    if (db_result_isnull(res, 0, 2)) cJSON_AddNullToObject(d, "thread");
    else cJSON_AddRawToObject(d, "thread", db_result_value(res, 0, 2));
    request_ok(r, d);
}

static void handle_booth(struct request *r)
{
    int64_t booth;
    if (get_id(r, "booth_id", true, &booth)) return;
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth), account_param(r, a)};
    (void)request_query(r, &q_booth, 2, p, on_booth, r);
}

/* ---------- the domain ---------- */

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct inquiries *q = self;
    (void)channel;
    (void)own;
    inquiry_feed_on_notify(q->feed, payload);
}

/* (Re)connected: what was announced while we were away is lost; the pages re-read. */
static void on_listen_ready(void *self)
{
    struct inquiries *q = self;
    inquiry_desk_resync(q->desk);
}

static void on_session_gone(void *self, struct session *s)
{
    struct inquiries *q = self;
    inquiry_desk_close(q->desk, s);
}

static void *create(struct app *app)
{
    struct inquiries *q = calloc(1, sizeof *q);
    if (!q) abort();
    q->app = app;
    q->desk = inquiry_desk_new(app);
    app->inquiry_desk = q->desk;
    q->feed = inquiry_feed_new(app, q->desk);
    q->batch = chat_batch_new(app, NULL);
    return q;
}

static void destroy(void *self)
{
    struct inquiries *q = self;
    q->app->inquiry_desk = NULL;
    chat_batch_free(q->batch);
    inquiry_feed_free(q->feed);
    inquiry_desk_free(q->desk);
    free(q);
}

static const struct route routes[] = {
    {"inquiry.booth", handle_booth, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"inquiry.claim", handle_claim, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
    {"inquiry.desk", handle_desk, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
    {"inquiry.history", handle_history, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"inquiry.list", handle_list, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"inquiry.open", handle_open, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"inquiry.read", handle_read, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"inquiry.send", handle_send, ROLES_SIGNED_IN, RATE_CHAT},
    {"inquiry.settings", handle_settings, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
};

const struct domain inquiries_domain = {
    .name = "inquiries",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .channels = {INQUIRY_CHANNEL},
    .on_notify = on_notify,
    .on_listen_ready = on_listen_ready,
    .on_session_gone = on_session_gone,
    .create = create,
    .destroy = destroy,
};
