/* exhibitor.c — the exhibitor domain object: its routes, the shared reply path of its write
 * functions, and what a node does with EXHIBITOR_CHANNEL notifications (exhibitor.h). */
#include "domains/exhibitor/exhibitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "util/log.h"
#include "core/session.h"
#include "domains/exhibitor/ex_internal.h"
#include "domains/inquiries/inquiry_desk.h"
#include "domains/presence/presence.h"

/* The data of booth.updated and products.updated. */
static struct db_stmt q_booth_event = DB_STMT("ex_booth_event",
    "SELECT jsonb_build_object('booth', exhibitor_booth_json($1))::text");
static struct db_stmt q_products_event = DB_STMT("ex_products_event",
    "SELECT jsonb_build_object('booth_id', $1::bigint, 'products', exhibitor_products_json($1))::text");

/* ---------- replies from the functions' jsonb ---------- */

struct run {
    struct request *r;
    ex_after_fn after;
    void *arg;
    void (*free_arg)(void *arg);
};

static void run_done(struct run *x)
{
    if (x->free_arg) x->free_arg(x->arg);
    free(x);
}

/* A stable English sentence per error word of the functions. */
static const char *word_message(const char *word)
{
    static const struct { const char *word, *message; } words[] = {
        {"organizer_only", "only organizers may change slug, tier, category or sort order"},
        {"already_staff", "this address already staffs the booth"},
        {"account_exists", "an account with this address exists: sign in with it, then accept"},
        {"other_email", "this invitation is for another e-mail address"},
        {"last_staff", "the booth's last staff member cannot leave it"},
        {"owner_only", "only an owner of the booth may remove an owner"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(words[i].word, word)) return words[i].message;
    return word;
}

static void reply_error(struct request *r, cJSON *answer, const char *code)
{
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(answer, "message");
    const char *m = cJSON_IsString(msg) ? word_message(msg->valuestring) : NULL;
    if (!strcmp(code, "forbidden")) request_error(r, PROTO_FORBIDDEN, "%s", m ? m : "only this booth's staff or an organizer may do this");
    else if (!strcmp(code, "not_found")) request_error(r, PROTO_NOT_FOUND, "%s", m ? m : "no such booth, product, invitation or staff member");
    else if (!strcmp(code, "conflict")) request_error(r, PROTO_CONFLICT, "%s", m ? m : "conflicts with the stored state");
    else if (!strcmp(code, "limit")) request_error(r, PROTO_BAD_REQUEST, "the booth has reached its limit for this");
    else {
        cJSON *fields = cJSON_DetachItemFromObjectCaseSensitive(answer, "fields");
        request_error_fields(r, fields, "check the marked fields");
    }
}

cJSON *ex_answer_data(struct request *r, const struct db_result *res)
{
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return NULL; }
    cJSON *answer = db_result_rows(res) == 1 ? cJSON_Parse(db_result_value(res, 0, 0)) : NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(answer, "error");
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(answer, "data");
    if (cJSON_IsString(err)) {
        reply_error(r, answer, err->valuestring);
    } else if (!cJSON_IsObject(data)) {
        log_error("exhibitor: %s: unexpected answer from the database", r->env.type);
        request_error(r, PROTO_INTERNAL, "internal error");
    } else {
        cJSON_Delete(answer);
        return data;
    }
    cJSON_Delete(data);
    cJSON_Delete(answer);
    return NULL;
}

static void on_run(void *arg, const struct db_result *res)
{
    struct run *x = arg;
    struct request *r = x->r;
    cJSON *data = ex_answer_data(r, res);
    if (data) {
        if (x->after) x->after(r, data, x->arg);
        request_ok(r, data);
    }
    run_done(x);
}

void ex_run(struct request *r, struct db_stmt *st, int n, const char *const *params, ex_after_fn after, void *arg,
            void (*free_arg)(void *arg))
{
    struct run *x = malloc(sizeof *x);
    if (!x) abort();
    *x = (struct run){r, after, arg, free_arg};
    if (request_query(r, st, n, params, on_run, x)) run_done(x);
}

void ex_run_ids(struct request *r, struct db_stmt *st, const char *id_field, const char *extra_field)
{
    int64_t id, extra = 0;
    if (ex_get_id(r, id_field, &id) || (extra_field && ex_get_id(r, extra_field, &extra))) return;
    char i[REQUEST_INT_LEN], a[REQUEST_INT_LEN], x[REQUEST_INT_LEN];
    const char *p[] = {request_int(i, id), request_int(a, r->s->account_id), request_int(x, extra)};
    ex_run(r, st, extra_field ? 3 : 2, p, NULL, NULL, NULL);
}

int ex_get_id(struct request *r, const char *name, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, true, 1, EX_MAX_ID, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

/* ---------- notifications ---------- */

struct publish { struct exhibitor *ex; int64_t booth; const char *type; };

static void on_publish(void *arg, const struct db_result *res)
{
    struct publish *p = arg;
    cJSON *d = db_result_status(res) == DB_OK && db_result_rows(res) == 1 ? cJSON_Parse(db_result_value(res, 0, 0)) : NULL;
    if (d) {
        struct outmsg *m = protocol_event(p->type, d);
        room_publish(p->ex->app->rooms, p->booth, m);
        outmsg_unref(m);
    }
    free(p);
}

/* Reads what changed once and sends it to this node's sessions inside the booth. */
static void publish(struct exhibitor *ex, int64_t booth, struct db_stmt *st, const char *type)
{
    if (!room_size(ex->app->rooms, booth)) return;
    struct publish *p = malloc(sizeof *p);
    if (!p) abort();
    *p = (struct publish){ex, booth, type};
    char b[REQUEST_INT_LEN];
    const char *params[] = {request_int(b, booth)};
    if (db_query(ex->app->db, st, 1, params, on_publish, p)) {
        log_warn("exhibitor: booth %lld changed but cannot be read now", (long long)booth);
        free(p);
    }
}

/* A team change for the account's sessions: the booth and the event they get. */
struct team_event { int64_t booth; struct outmsg *event; };

/* The account no longer staffs the booth: each of its sessions here stops being "staff"
 * inside that booth (the role its presence rows are restored with after an outage; the rows
 * themselves were changed by exhibitor_team_remove) and is told. Staff rights are checked in
 * PostgreSQL on every staff action, so the session caches nothing else to drop. */
static void strip_staff(struct session *s, void *arg)
{
    struct team_event *x = arg;
    struct member *sb = room_member(s, x->booth);
    if (sb && !strcmp(sb->role, "staff")) snprintf(sb->role, sizeof sb->role, "visitor");
    session_send(s, x->event);
}

void ex_session_set_role(struct session *s, unsigned role)
{
    if (s->role == role) return;
    /* copies: session_set_identity frees the old strings before it copies the new ones */
    char *name = strdup(s->name ? s->name : ""), *company = s->company ? strdup(s->company) : NULL;
    char hash[sizeof s->token_hash];
    snprintf(hash, sizeof hash, "%s", s->token_hash);
    session_set_identity(s, s->account_id, role, name, company, hash);
    free(name);
    free(company);
}

/* The account joined the booth's team: a visitor session becomes an exhibitor (the account's
 * role changed in the same transaction), and inside the booth it is staff now. */
static void grant_staff(struct session *s, void *arg)
{
    struct team_event *x = arg;
    if (s->role == ROLE_VISITOR) ex_session_set_role(s, ROLE_EXHIBITOR);
    struct member *sb = room_member(s, x->booth);
    if (sb && !strcmp(sb->role, "visitor")) snprintf(sb->role, sizeof sb->role, "staff");
    session_send(s, x->event);
}

/* staff / joined: the account's sessions on this node, then a recount for the booth's room. */
static void team_changed(struct exhibitor *ex, int64_t booth, int64_t account, bool joined)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "booth_id", (double)booth);
    struct team_event x = {booth, protocol_event(joined ? "team.joined" : "team.removed", d)};
    /* Removed: the booth's inquiries and desk events stop reaching the account now, not when
     * its desk is next reopened. */
    if (!joined && ex->app->inquiry_desk) inquiry_desk_drop_booth(ex->app->inquiry_desk, account, booth);
    sessions_foreach_of_account(ex->app->sessions, account, joined ? grant_staff : strip_staff, &x);
    outmsg_unref(x.event);
    /* the staff count changed: recount for this node's members of the booth */
    if (room_size(ex->app->rooms, booth)) presence_changed(ex->app->presence, booth);
}

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct exhibitor *ex = self;
    (void)channel;
    (void)own;
    cJSON *n = cJSON_Parse(payload);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(n, "k");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(n, "b");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(n, "a");
    if (cJSON_IsString(k) && cJSON_IsNumber(b)) {
        int64_t booth = (int64_t)b->valuedouble;
        if (!strcmp(k->valuestring, "booth")) {
            publish(ex, booth, &q_booth_event, "booth.updated");
        } else if (!strcmp(k->valuestring, "products")) {
            publish(ex, booth, &q_products_event, "products.updated");
        } else if ((!strcmp(k->valuestring, "staff") || !strcmp(k->valuestring, "joined")) && cJSON_IsNumber(a)) {
            team_changed(ex, booth, (int64_t)a->valuedouble, !strcmp(k->valuestring, "joined"));
        }
    }
    cJSON_Delete(n);
}

static void *create(struct app *app)
{
    struct exhibitor *ex = calloc(1, sizeof *ex);
    if (!ex) abort();
    ex->app = app;
    return ex;
}

static void destroy(void *self) { free(self); }

#define STAFF (ROLE_EXHIBITOR | ROLE_ORGANIZER)

static const struct route routes[] = {
    {"booth.profile", ex_booth_profile, STAFF, RATE_DEFAULT},
    {"booth.update", ex_booth_update, STAFF, RATE_DEFAULT},
    {"invite.accept", ex_invite_accept, ROLES_ANYONE, RATE_AUTH},
    {"invite.get", ex_invite_get, ROLES_ANYONE, RATE_AUTH},
    {"product.delete", ex_product_delete, STAFF, RATE_DEFAULT},
    {"product.reorder", ex_product_reorder, STAFF, RATE_DEFAULT},
    {"product.save", ex_product_save, STAFF, RATE_DEFAULT},
    {"team.invite", ex_team_invite, STAFF, RATE_DEFAULT},
    {"team.invite.revoke", ex_invite_revoke, STAFF, RATE_DEFAULT},
    {"team.list", ex_team_list, STAFF, RATE_DEFAULT},
    {"team.remove", ex_team_remove, STAFF, RATE_DEFAULT},
};

const struct domain exhibitor_domain = {
    .name = "exhibitor",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .channels = {EXHIBITOR_CHANNEL},
    .on_notify = on_notify,
    .create = create,
    .destroy = destroy,
};
