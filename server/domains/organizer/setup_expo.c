/* setup_expo.c — the expo's set-up without SQL (the organizer console's Set-up section):
 * category.save, company.save and booth.save create (no id) or edit (id) one row with every
 * field, including the organizer-only ones (slug, tier, category, sort order); booth.archive
 * takes a booth out of the hall (or brings it back); setup.list lists all three, archived
 * booths included. Organizers only (the route table says so; the dispatcher refuses anyone
 * else before a handler runs).
 *
 * Fields are checked here with the exhibitor console's table-driven form checks
 * (domains/exhibitor/form.h) on a flat view of the request: {"name": {"en", "ko"}} is checked
 * as "name.en" and "name.ko", and every refusal comes back at once in error.fields under that
 * flat name, as booth.update does. Nothing is written when any field fails. Then one call of a
 * setup_*() function (functions.sql, section "setup") decides what only the database knows
 * (slug taken, unknown company or category), writes the row and its audit entry (before /
 * after) and NOTIFYs, so the hall (hall.changed) and the booth's visitors (booth.updated) see
 * the change on every node. */
#include "domains/organizer/setup_expo.h"

#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/exhibitor/form_reply.h"
#include "util/log.h"

#define ID_MAX INT64_C(9007199254740991)

static struct db_stmt q_category = DB_STMT("setup_category", "SELECT setup_category_save($1, $2, $3::jsonb)::text");
static struct db_stmt q_company = DB_STMT("setup_company", "SELECT setup_company_save($1, $2, $3::jsonb)::text");
static struct db_stmt q_booth = DB_STMT("setup_booth", "SELECT setup_booth_save($1, $2, $3::jsonb)::text");
static struct db_stmt q_archive = DB_STMT("setup_archive", "SELECT setup_booth_archive($1, $2, $3::boolean)::text");
static struct db_stmt q_list = DB_STMT("setup_list", "SELECT jsonb_build_object('data', setup_list())::text");

/* Limits follow the columns' CHECKs in schema.sql. */
static const struct form_field category_fields[] = {
    {"slug", FORM_SLUG, 2, 63, false, true},
    {"name.en", FORM_LINE, 1, 100, false, false},
    {"name.ko", FORM_LINE, 1, 100, false, false},
    {"sort_order", FORM_INT, 0, 1000000, false, true},
};
static const struct form_field company_fields[] = {
    {"name.en", FORM_LINE, 1, 200, false, false},
    {"name.ko", FORM_LINE, 1, 200, false, false},
    {"country", FORM_LINE, 2, 64, false, false},
    {"city.en", FORM_LINE, 0, 100, true, false},
    {"city.ko", FORM_LINE, 0, 100, true, false},
    {"website", FORM_URL, 0, 500, true, false},
};
static const struct form_field booth_fields[] = {
    {"slug", FORM_SLUG, 2, 63, false, true},
    {"company_id", FORM_ID, 0, 0, false, true},
    {"category_id", FORM_ID, 0, 0, true, true},
    {"name.en", FORM_LINE, 1, 200, false, false},
    {"name.ko", FORM_LINE, 1, 200, false, false},
    {"tagline.en", FORM_LINE, 0, 300, true, false},
    {"tagline.ko", FORM_LINE, 0, 300, true, false},
    {"description.en", FORM_TEXT, 0, 10000, true, false},
    {"description.ko", FORM_TEXT, 0, 10000, true, false},
    {"tier", FORM_TIER, 0, 0, false, true},
    {"sort_order", FORM_INT, 0, 1000000, false, true},
    {"time_zone", FORM_TZ, 1, 64, false, false},
    {"contact_email", FORM_EMAIL, 0, 254, true, false},
    {"video_call_url", FORM_URL, 0, 500, true, false},
};
#define COUNT(a) (sizeof a / sizeof a[0])

/* The request's fields with each bilingual pair {en, ko} spread into "<pair>.en" and
 * "<pair>.ko" (a JSON null clears both); `id` is left out. A pair that is neither an object
 * nor null is refused in `errors`. Returns a new object (caller frees). */
static cJSON *flatten(const cJSON *data, cJSON *errors)
{
    static const char *const pairs[] = {"name", "tagline", "description", "city"};
    cJSON *flat = cJSON_CreateObject();
    const cJSON *v;
    cJSON_ArrayForEach(v, data) {
        if (!strcmp(v->string, "id")) continue;
        bool pair = false;
        for (size_t i = 0; i < COUNT(pairs); i++) pair |= !strcmp(v->string, pairs[i]);
        if (!pair) {
            cJSON_AddItemToObject(flat, v->string, cJSON_Duplicate(v, true));
        } else if (cJSON_IsNull(v)) {
            char k[40];
            snprintf(k, sizeof k, "%s.en", v->string);
            cJSON_AddNullToObject(flat, k);
            snprintf(k, sizeof k, "%s.ko", v->string);
            cJSON_AddNullToObject(flat, k);
        } else if (!cJSON_IsObject(v)) {
            cJSON_AddStringToObject(errors, v->string, "bad_type");
        } else {
            const cJSON *c;
            cJSON_ArrayForEach(c, v) {
                /* a language chosen by the client: only short keys become field names */
                char k[40];
                if (strlen(c->string) > 8) { cJSON_AddStringToObject(errors, v->string, "unknown_field"); continue; }
                snprintf(k, sizeof k, "%s.%s", v->string, c->string);
                cJSON_AddItemToObject(flat, k, cJSON_Duplicate(c, true));
            }
        }
    }
    return flat;
}

/* Checks r->data (flattened) against the table; `required` only when creating. Returns the
 * patch as JSON text (caller frees), or NULL after answering. */
static char *checked_patch(struct request *r, const struct form_field *fields, size_t n, bool create,
                           const char *const *required)
{
    cJSON *errors = cJSON_CreateObject();
    cJSON *flat = flatten(r->data, errors);
    char *json = NULL;
    if (cJSON_GetArraySize(errors)) {
        request_error_fields(r, errors, "check the marked fields");     /* a pair that is not {en, ko} */
        errors = NULL;
    } else {
        json = form_patch_or_reply(r, flat, fields, n, NULL, create ? required : NULL);
    }
    cJSON_Delete(errors);
    cJSON_Delete(flat);
    return json;
}

/* Replies from a setup_*() function's answer {"data"} / {"error", "fields"?}. */
static void on_answer(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *answer = db_result_rows(res) == 1 ? cJSON_Parse(db_result_value(res, 0, 0)) : NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(answer, "error");
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(answer, "data");
    if (cJSON_IsString(err) && !strcmp(err->valuestring, "not_found")) {
        request_error(r, PROTO_NOT_FOUND, "no such %s", !strcmp(r->env.type, "category.save") ? "category"
                                                        : !strcmp(r->env.type, "company.save") ? "company" : "booth");
    } else if (cJSON_IsString(err)) {
        request_error_fields(r, cJSON_DetachItemFromObjectCaseSensitive(answer, "fields"), "check the marked fields");
    } else if (cJSON_IsObject(data)) {
        request_ok(r, data);
        data = NULL;
    } else {
        log_error("setup: %s: unexpected answer from the database", r->env.type);
        request_error(r, PROTO_INTERNAL, "internal error");
    }
    cJSON_Delete(data);
    cJSON_Delete(answer);
}

/* The common shape of the three saves: ($1 actor, $2 id or NULL, $3 the patch). */
static void save(struct request *r, struct db_stmt *st, const struct form_field *fields, size_t n,
                 const char *const *required)
{
    char err[200];
    int64_t id = 0;
    if (proto_get_int(r->data, "id", false, 1, ID_MAX, &id, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char *json = checked_patch(r, fields, n, id == 0, required);
    if (!json) return;
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), id ? request_int(idb, id) : NULL, json};
    (void)request_query(r, st, 3, p, on_answer, r);
    free(json);
}

/* {id?, slug, name: {en, ko}, sort_order?} -> {id, category} */
void setup_handle_category(struct request *r)
{
    static const char *const required[] = {"slug", "name.en", "name.ko", NULL};
    save(r, &q_category, category_fields, COUNT(category_fields), required);
}

/* {id?, name: {en, ko}, country?, city?: {en, ko}, website?} -> {id, company} */
void setup_handle_company(struct request *r)
{
    static const char *const required[] = {"name.en", "name.ko", NULL};
    save(r, &q_company, company_fields, COUNT(company_fields), required);
}

/* {id?, slug, company_id, category_id?, name: {en, ko}, tagline?, description?, tier?,
 *  sort_order?, time_zone?, contact_email?, video_call_url?} -> {id, booth} */
void setup_handle_booth(struct request *r)
{
    static const char *const required[] = {"slug", "company_id", "name.en", "name.ko", NULL};
    save(r, &q_booth, booth_fields, COUNT(booth_fields), required);
}

/* {booth_id, archived?: true (default) | false} -> {booth} */
void setup_handle_archive(struct request *r)
{
    char err[200];
    int64_t booth;
    bool archived = true;
    if (request_get_id(r, "booth_id", &booth)) return;
    if (proto_get_bool(r->data, "archived", false, &archived, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char acc[REQUEST_INT_LEN], b[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), request_int(b, booth), archived ? "true" : "false"};
    (void)request_query(r, &q_archive, 3, p, on_answer, r);
}

/* {} -> {categories, companies, booths} */
void setup_handle_list(struct request *r) { (void)request_query(r, &q_list, 0, NULL, on_answer, r); }

/* ---------- hall.changed ---------- */

static void send_open(struct session *s, void *arg)
{
    if (session_is_open(s)) session_send(s, arg);
}

/* HALL_CHANNEL: "<booth id>" or "" (a category changed, or an import added booths). Every
 * session on this node gets hall.changed {booth_id|null}; the hall page re-reads hall.list
 * (after a random delay of up to a second, so a hall full of pages does not ask at once). */
void setup_on_hall_notify(struct app *app, const char *payload)
{
    char *end;
    long long id = strtoll(payload, &end, 10);
    cJSON *d = cJSON_CreateObject();
    if (*payload && !*end && id > 0) cJSON_AddNumberToObject(d, "booth_id", (double)id);
    else cJSON_AddNullToObject(d, "booth_id");
    struct outmsg *m = protocol_event("hall.changed", d);
    sessions_foreach(app->sessions, send_open, m);
    outmsg_unref(m);
}
