/* chat.c — chat.send (through the group-commit batcher) and chat.history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "domains/chat/chat_batch.h"
#include "domains/chat/chat_sql.h"
#include "db/db.h"
#include "domains/handlers.h"
#include "core/request.h"
#include "core/session.h"
#include "util/text.h"

static struct db_stmt q_history = DB_STMT("chat_history",
    "SELECT coalesce(json_agg(" SQL_MESSAGE_JSON " ORDER BY m.seq), '[]')::text"
    " FROM (SELECT * FROM chat_messages c WHERE c.booth_id = $1 AND c.deleted_at IS NULL"
    "   AND ($2::bigint IS NULL OR c.seq < $2) ORDER BY c.seq DESC LIMIT $3) m"
    " JOIN accounts a ON a.id = m.author_id");

/* chat.send {booth_id, text (1-2000 chars after cleaning), client_msg_id (<= 64)} */
void handle_chat_send(struct request *r)
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
    if (!session_in_booth(r->s, booth_id)) {
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
    chat_batch_submit(r, booth_id, clean, cmid);
}

static void on_history(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "messages", db_result_value(res, 0, 0));
    request_ok(r, d);
}

/* chat.history {booth_id, before_seq?, limit? (<= 200)} -> {messages} (oldest first) */
void handle_chat_history(struct request *r)
{
    char err[200];
    int64_t booth_id, before = 0, limit = 50;
    if (proto_get_int(r->data, "booth_id", true, 1, INT64_C(9007199254740991), &booth_id, err, sizeof err) ||
        proto_get_int(r->data, "before_seq", false, 1, INT64_C(9007199254740991), &before, err, sizeof err) ||
        proto_get_int(r->data, "limit", false, 1, 200, &limit, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char id[24], b[24], l[16];
    snprintf(id, sizeof id, "%lld", (long long)booth_id);
    snprintf(b, sizeof b, "%lld", (long long)before);
    snprintf(l, sizeof l, "%lld", (long long)limit);
    const char *p[] = {id, before ? b : NULL, l};
    if (db_query(r->app->db, &q_history, 3, p, on_history, r))
        request_error(r, PROTO_UNAVAILABLE, "the database is unavailable; try again");
}
