/* import.c — expo.import, the organizer's bulk import of exhibitors from CSV: a dry run lists
 * every bad row (line, column, reason) from the file itself (import_rows.c) and from the
 * database (organizer_import_conflicts in functions.sql); apply writes companies, booths and
 * a team invite per staff address in one transaction (organizer_import), and only when the
 * whole file is clean. The invite links go back to the organizer to send; the tokens are
 * stored only as SHA-256 and are accepted like team.invite's (invite.accept). */
#include "domains/organizer/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "domains/auth/token.h"
#include "domains/organizer/import_rows.h"
#include "util/log.h"

static struct db_stmt q_check = DB_STMT("organizer_import_check", "SELECT organizer_import_conflicts($1::jsonb)::text");
static struct db_stmt q_apply = DB_STMT("organizer_import_apply", "SELECT organizer_import($1, $2::jsonb)::text");

struct import_ctx {
    int rows_read;
    int good;
    cJSON *errors;              /* from the file */
    cJSON *invites;             /* apply: [{line, email, link}] */
    bool apply;
};

static void ctx_free(struct import_ctx *x)
{
    cJSON_Delete(x->errors);
    cJSON_Delete(x->invites);
    free(x);
}

static double line_of(const cJSON *e)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(e, "line");
    return cJSON_IsNumber(l) ? l->valuedouble : 0;
}

static int cmp_line(const void *a, const void *b)
{
    double x = line_of(*(cJSON *const *)a), y = line_of(*(cJSON *const *)b);
    return x < y ? -1 : x > y;
}

/* Merges the database's conflicts into the file's errors, ordered by line (stable enough:
 * a row's own problems keep their column order within the file's or the database's list). */
static void merge_errors(cJSON *errors, const char *db_json)
{
    cJSON *more = cJSON_Parse(db_json);
    size_t n = (size_t)cJSON_GetArraySize(errors) + (size_t)cJSON_GetArraySize(more);
    cJSON **all = malloc(sizeof *all * (n ? n : 1));
    if (!all) abort();
    size_t k = 0;
    cJSON *e;
    while ((e = cJSON_DetachItemFromArray(errors, 0))) all[k++] = e;
    while (more && (e = cJSON_DetachItemFromArray(more, 0))) all[k++] = e;
    cJSON_Delete(more);
    qsort(all, k, sizeof *all, cmp_line);
    for (size_t i = 0; i < k; i++) cJSON_AddItemToArray(errors, all[i]);
    free(all);
}

static void reply(struct request *r, struct import_ctx *x, bool applied, cJSON *booths)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddBoolToObject(d, "applied", applied);
    cJSON_AddNumberToObject(d, "rows", x->rows_read);
    cJSON_AddNumberToObject(d, "good_rows", x->good);
    cJSON_AddItemToObject(d, "errors", x->errors);
    x->errors = NULL;
    if (applied) {
        cJSON_AddItemToObject(d, "booths", booths ? booths : cJSON_CreateArray());
        cJSON_AddItemToObject(d, "invites", x->invites ? x->invites : cJSON_CreateArray());
        x->invites = NULL;
    } else {
        cJSON_Delete(booths);
    }
    ctx_free(x);
    request_ok(r, d);
}

static void on_checked(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    struct import_ctx *x = r->ctx;
    r->ctx = NULL;
    if (db_result_status(res) != DB_OK) { ctx_free(x); request_db_error(r, res); return; }
    merge_errors(x->errors, db_result_value(res, 0, 0));
    reply(r, x, false, NULL);
}

static void on_applied(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    struct import_ctx *x = r->ctx;
    r->ctx = NULL;
    if (db_result_status(res) != DB_OK) {
        ctx_free(x);
        if (db_result_status(res) == DB_ERR_QUERY && !strcmp(db_result_sqlstate(res), "23505")) {
            request_error(r, PROTO_CONFLICT, "a booth or account of this file was created meanwhile; run the dry run again");
            return;
        }
        request_db_error(r, res);
        return;
    }
    cJSON *out = cJSON_Parse(db_result_value(res, 0, 0));
    cJSON *conflicts = cJSON_DetachItemFromObjectCaseSensitive(out, "conflicts");
    if (conflicts) {
        char *s = cJSON_PrintUnformatted(conflicts);
        merge_errors(x->errors, s);
        free(s);
        cJSON_Delete(conflicts);
        cJSON_Delete(out);
        reply(r, x, false, NULL);
        return;
    }
    cJSON *booths = cJSON_DetachItemFromObjectCaseSensitive(out, "booths");
    cJSON_Delete(out);
    log_info("session %llu: bulk import applied (%d booths)", (unsigned long long)r->s->id, cJSON_GetArraySize(booths));
    reply(r, x, true, booths);
}

/* Gives every row with staff a fresh team-invite token: its hash goes to the database, the
 * link (/invite.html#<token>, the page team.invite's links open) back to the organizer. */
static void add_tokens(cJSON *rows, cJSON *invites)
{
    cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        const cJSON *email = cJSON_GetObjectItemCaseSensitive(row, "email");
        if (!cJSON_IsString(email)) continue;
        char tok[TOKEN_LEN + 1], hex[TOKEN_HASH_HEX_LEN + 1], link[TOKEN_LEN + 40];
        if (token_new(tok)) abort();
        token_hash_hex(tok, hex);
        cJSON_AddStringToObject(row, "token_hash", hex);
        snprintf(link, sizeof link, "/invite.html#%s", tok);
        cJSON *inv = cJSON_CreateObject();
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "staff_name");
        cJSON_AddNumberToObject(inv, "line", cJSON_GetObjectItem(row, "line")->valuedouble);
        cJSON_AddStringToObject(inv, "email", email->valuestring);
        if (cJSON_IsString(name)) cJSON_AddStringToObject(inv, "name", name->valuestring);
        cJSON_AddStringToObject(inv, "slug", cJSON_GetObjectItem(row, "slug")->valuestring);
        cJSON_AddStringToObject(inv, "link", link);
        cJSON_AddItemToArray(invites, inv);
        explicit_bzero(tok, sizeof tok);
    }
}

/* {csv: text (<= IMPORT_MAX_BYTES), apply?: bool} -> {applied, rows, good_rows, errors:
 * [{line, column, reason}], booths?: [...], invites?: [{line, email, link}]}. Applies only
 * when apply is true and there is no error at all. */
void import_handle(struct request *r)
{
    char err[200];
    bool apply = false;
    const cJSON *csv = cJSON_GetObjectItemCaseSensitive(r->data, "csv");
    if (!cJSON_IsString(csv)) { request_error(r, PROTO_BAD_REQUEST, "'csv' must be the file's text"); return; }
    if (strlen(csv->valuestring) > IMPORT_MAX_BYTES) {
        request_error(r, PROTO_BAD_REQUEST, "the file is over %d bytes: split it", IMPORT_MAX_BYTES);
        return;
    }
    if (proto_get_bool(r->data, "apply", false, &apply, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    struct import_ctx *x = calloc(1, sizeof *x);
    if (!x) abort();
    cJSON *rows;
    x->rows_read = import_rows_parse(csv->valuestring, strlen(csv->valuestring), &rows, &x->errors);
    x->good = cJSON_GetArraySize(rows);
    x->apply = apply;
    bool file_ok = cJSON_GetArraySize(x->errors) == 0 && x->good > 0;
    if (x->rows_read == 0 && !cJSON_GetArraySize(x->errors)) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "line", 2);
        cJSON_AddStringToObject(e, "column", "");
        cJSON_AddStringToObject(e, "reason", "no exhibitor rows after the header");
        cJSON_AddItemToArray(x->errors, e);
    }
    if (apply && file_ok) {
        x->invites = cJSON_CreateArray();
        add_tokens(rows, x->invites);
    }
    char *json = cJSON_PrintUnformatted(rows);
    cJSON_Delete(rows);
    r->ctx = x;
    char acc[REQUEST_INT_LEN];
    int rc;
    if (apply && file_ok) {
        const char *p[] = {request_int(acc, r->s->account_id), json};
        rc = request_query(r, &q_apply, 2, p, on_applied, r);
    } else {
        const char *p[] = {json};
        rc = request_query(r, &q_check, 1, p, on_checked, r);
    }
    if (rc) ctx_free(x);
    free(json);
}
