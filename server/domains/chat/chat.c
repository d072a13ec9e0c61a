/* chat.c — see chat.h. */
#include "domains/chat/chat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/room.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/chat/chat_batch.h"
#include "domains/chat/chat_feed.h"
#include "domains/chat/chat_sql.h"
#include "util/text.h"

struct chat {
    struct app *app;
    struct chat_feed *feed;
    struct chat_batch *batch;
};

/* $4: the session is inside the booth or an organizer; else only the booth's staff ($5) may
 * read (NULL: refused). A booth's chat is not readable from outside it. Organizers ($6) and the
 * booth's staff get hidden messages with their text, marked hidden; everyone else a placeholder. */
#define SQL_HISTORY_STAFF "EXISTS (SELECT 1 FROM booth_staff st WHERE st.booth_id = $1 AND st.account_id = $5)"
static struct db_stmt q_history = DB_STMT("chat_history",
    "SELECT CASE WHEN $4::boolean OR " SQL_HISTORY_STAFF
    " THEN (SELECT coalesce(json_agg(" SQL_STORED_MESSAGE_JSON_FOR("($6::boolean OR " SQL_HISTORY_STAFF ")")
    " ORDER BY m.seq), '[]')"
    " FROM (SELECT * FROM chat_messages c WHERE c.booth_id = $1 AND c.deleted_at IS NULL"
    "   AND ($2::bigint IS NULL OR c.seq < $2) ORDER BY c.seq DESC LIMIT $3) m"
    " JOIN accounts a ON a.id = m.author_id)::text END");

/* chat.send {booth_id, text (1-2000 chars after cleaning), client_msg_id (<= 64)} */
static void handle_send(struct request *r)
{
    char err[200];
    int64_t booth_id;
    const char *text, *cmid;
    if (proto_get_int(r->data, "booth_id", true, 1, INT64_C(9007199254740991), &booth_id, err, sizeof err) ||
        proto_get_string(r->data, "text", true, 1, 20000, &text, err, sizeof err) ||
        proto_get_string(r->data, "client_msg_id", true, 1, 64, &cmid, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!room_member(r->s, booth_id)) {
        request_error(r, PROTO_FORBIDDEN, "enter the booth before chatting in it");
        return;
    }
    char *clean = text_clean(text);
    size_t n = utf8_length(clean);
    if (n < 1 || n > 2000) {
        free(clean);
        request_error(r, PROTO_BAD_REQUEST, "'text' must be 1 to 2000 characters");
        return;
    }
    struct chat *c = r->self;
    chat_batch_submit(c->batch, r, booth_id, clean, cmid);
}

static void on_history(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_isnull(res, 0, 0)) { request_error(r, PROTO_FORBIDDEN, "enter the booth to read its chat"); return; }
    request_ok_raw(r, "messages", db_result_value(res, 0, 0));
}

/* chat.history {booth_id, before_seq?, limit? (<= 200)} -> {messages} (oldest first) */
static void handle_history(struct request *r)
{
    char err[200];
    int64_t booth_id, before = 0, limit = 50;
    if (proto_get_int(r->data, "booth_id", true, 1, INT64_C(9007199254740991), &booth_id, err, sizeof err) ||
        proto_get_int(r->data, "before_seq", false, 1, INT64_C(9007199254740991), &before, err, sizeof err) ||
        proto_get_int(r->data, "limit", false, 1, 200, &limit, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char id[REQUEST_INT_LEN], b[REQUEST_INT_LEN], l[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    bool organizer = (r->s->role & ROLE_ORGANIZER) != 0;
    bool inside = room_member(r->s, booth_id) != NULL || organizer;
    const char *p[] = {request_int(id, booth_id), before ? request_int(b, before) : NULL, request_int(l, limit),
                       inside ? "true" : "false", request_int(a, r->s->account_id), organizer ? "true" : "false"};
    (void)request_query(r, &q_history, 6, p, on_history, r);
}

/* ---------- the domain ---------- */

/* A notification of this node's own commit is skipped: the batch's result delivers those
 * messages (chat_batch.c), and it usually arrives a moment after the notification. Read on
 * that notification, the table gave rows the result then made redundant: 17 % of the
 * messages at 5,000 msgs/s were read back that way (issue 15). A batch whose result is lost
 * marks its booths for a read itself. */
static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct chat *c = self;
    (void)channel;
    if (!own) chat_feed_on_notify(c->feed, payload);
}

/* (Re)connected: commits announced while we were away are read from the table. */
static void on_listen_ready(void *self)
{
    struct chat *c = self;
    chat_feed_mark_all(c->feed);
}

static void *create(struct app *app)
{
    struct chat *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->app = app;
    c->feed = chat_feed_new(app);
    c->batch = chat_batch_new(app, c->feed);
    app->chat_feed = c->feed;
    return c;
}

static void destroy(void *self)
{
    struct chat *c = self;
    c->app->chat_feed = NULL;
    chat_batch_free(c->batch);
    chat_feed_free(c->feed);
    free(c);
}

static const struct route routes[] = {
    {"chat.history", handle_history, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"chat.send", handle_send, ROLES_SIGNED_IN, RATE_CHAT},
};

const struct domain chat_domain = {
    .name = "chat",
    DOMAIN_ROUTES(routes),
    .channels = {CHAT_CHANNEL},
    .on_notify = on_notify,
    .on_listen_ready = on_listen_ready,
    .create = create,
    .destroy = destroy,
};
