/* setup_expo.c — the expo's set-up without SQL: category.save, company.save and booth.save
 * create (no id) or edit (id) one row with every field, including the organizer-only ones
 * (slug, tier, category, sort order). Organizers only. Each write is one statement that also
 * writes the audit row (before/after); a taken slug is `conflict`, a value the database
 * refuses (unknown company, time zone) is `bad_request` naming the field. */
#include "domains/organizer/setup_expo.h"

#include <stdlib.h>
#include <string.h>

#include "core/request.h"
#include "core/session.h"
#include "domains/organizer/organizer_sql.h"
#include "util/text.h"
#include "util/validate.h"

#define UPSERT(table, insert_cols, insert_vals, update_set, action) \
    "WITH b AS (SELECT * FROM " table " WHERE id = $2 FOR UPDATE)," \
    " ins AS (INSERT INTO " table " (" insert_cols ") SELECT " insert_vals " WHERE $2::bigint IS NULL RETURNING *)," \
    " upd AS (UPDATE " table " t SET " update_set " FROM b WHERE t.id = b.id RETURNING t.*)," \
    " r AS (SELECT * FROM ins UNION ALL SELECT * FROM upd)," \
    " l AS (" SQL_AUDIT(action, table, "r.id", "(SELECT to_jsonb(b) FROM b)", "to_jsonb(r)") " FROM r)" \
    " SELECT id FROM r"

static struct db_stmt q_category = DB_STMT("setup_category",
    UPSERT("categories", "slug, name_en, name_ko, sort_order", "$3, $4, $5, $6::int",
           "slug = $3, name_en = $4, name_ko = $5, sort_order = $6::int", "category.save"));
static struct db_stmt q_company = DB_STMT("setup_company",
    UPSERT("companies", "name_en, name_ko, country, website", "$3, $4, coalesce($5, 'KR'), $6",
           "name_en = $3, name_ko = $4, country = coalesce($5, t.country), website = $6, updated_at = now()",
           "company.save"));
static struct db_stmt q_booth = DB_STMT("setup_booth",
    UPSERT("booths", "slug, company_id, category_id, name_en, name_ko, tagline_en, tagline_ko, tier, sort_order, time_zone",
           "$3, $4, $5, $6, $7, $8, $9, $10, $11::int, coalesce($12, 'Asia/Seoul')",
           "slug = $3, company_id = $4, category_id = $5, name_en = $6, name_ko = $7, tagline_en = $8, tagline_ko = $9,"
           " tier = $10, sort_order = $11::int, time_zone = coalesce($12, t.time_zone), updated_at = now()",
           "booth.save"));

/* Reads an optional or required string field into *out (borrowed), 0 or replied. */
static int str_field(struct request *r, const cJSON *obj, const char *name, bool required, size_t min, size_t max,
                     const char **out)
{
    char err[200];
    if (proto_get_string(obj, name, required, min, max, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

/* {en, ko} under name: both required (or both optional when !required). */
static int pair_field(struct request *r, const char *name, bool required, size_t max, const char **en, const char **ko)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->data, name);
    *en = *ko = NULL;
    if (!o && !required) return 0;
    if (!cJSON_IsObject(o)) {
        request_error(r, PROTO_BAD_REQUEST, "'%s' must be an object {\"en\": text, \"ko\": text}", name);
        return -1;
    }
    return str_field(r, o, "en", required, required, max, en) || str_field(r, o, "ko", required, required, max, ko) ? -1 : 0;
}

static int slug_field(struct request *r, const char **slug)
{
    if (str_field(r, r->data, "slug", true, 2, 63, slug)) return -1;
    if (validate_slug(*slug)) {
        request_error(r, PROTO_BAD_REQUEST, "'slug': use lower-case letters, digits and single hyphens");
        return -1;
    }
    return 0;
}

static int int_field(struct request *r, const char *name, bool required, int64_t lo, int64_t hi, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, required, lo, hi, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

static void on_saved(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) {
        const char *st = db_result_sqlstate(res);
        if (db_result_status(res) == DB_ERR_QUERY && !strcmp(st, "23505")) {
            request_error(r, PROTO_CONFLICT, "'slug' is taken");
            return;
        }
        if (db_result_status(res) == DB_ERR_QUERY && !strcmp(st, "23503")) {
            request_error(r, PROTO_BAD_REQUEST, "'company_id' or 'category_id' names nothing");
            return;
        }
        if (db_result_status(res) == DB_ERR_QUERY && (!strcmp(st, "23514") || !strncmp(st, "22", 2))) {
            request_error(r, PROTO_BAD_REQUEST, "a value is out of range: %s", db_result_message(res));
            return;
        }
        request_db_error(r, res);
        return;
    }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such row"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "id", (double)db_result_int64(res, 0, 0));
    request_ok(r, d);
}

#define ID_MAX INT64_C(9007199254740991)

/* {id?, slug, name: {en, ko} (1-100), sort_order?} -> {id} */
void setup_handle_category(struct request *r)
{
    int64_t id = 0, sort = 0;
    const char *slug, *en, *ko;
    if (int_field(r, "id", false, 1, ID_MAX, &id) || slug_field(r, &slug) || pair_field(r, "name", true, 100, &en, &ko) ||
        int_field(r, "sort_order", false, -1000000, 1000000, &sort))
        return;
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN], sb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), id ? request_int(idb, id) : NULL, slug, en, ko, request_int(sb, sort)};
    (void)request_query(r, &q_category, 6, p, on_saved, r);
}

/* {id?, name: {en, ko} (1-200), country? (2-64), website?: http(s) URL} -> {id} */
void setup_handle_company(struct request *r)
{
    int64_t id = 0;
    const char *en, *ko, *country, *website;
    if (int_field(r, "id", false, 1, ID_MAX, &id) || pair_field(r, "name", true, 200, &en, &ko) ||
        str_field(r, r->data, "country", false, 2, 64, &country) || str_field(r, r->data, "website", false, 1, 500, &website))
        return;
    if (website && validate_url_http(website)) {
        request_error(r, PROTO_BAD_REQUEST, "'website': %s", validate_err_message(validate_url_http(website)));
        return;
    }
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), id ? request_int(idb, id) : NULL, en, ko, country, website};
    (void)request_query(r, &q_company, 6, p, on_saved, r);
}

/* {id?, slug, company_id, category_id?, name: {en, ko}, tagline?: {en, ko} (<= 300),
 *  tier?: platinum|gold|standard, sort_order?, time_zone?} -> {id} */
void setup_handle_booth(struct request *r)
{
    int64_t id = 0, company, category = 0, sort = 0;
    const char *slug, *en, *ko, *ten, *tko, *tier = "standard", *tz;
    if (int_field(r, "id", false, 1, ID_MAX, &id) || slug_field(r, &slug) ||
        int_field(r, "company_id", true, 1, ID_MAX, &company) || int_field(r, "category_id", false, 1, ID_MAX, &category) ||
        pair_field(r, "name", true, 200, &en, &ko) || pair_field(r, "tagline", false, 300, &ten, &tko) ||
        str_field(r, r->data, "tier", false, 1, 20, &tier) || int_field(r, "sort_order", false, -1000000, 1000000, &sort) ||
        str_field(r, r->data, "time_zone", false, 1, 64, &tz))
        return;
    if (!tier) tier = "standard";
    if (strcmp(tier, "platinum") && strcmp(tier, "gold") && strcmp(tier, "standard")) {
        request_error(r, PROTO_BAD_REQUEST, "'tier' must be platinum, gold or standard");
        return;
    }
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN], cb[REQUEST_INT_LEN], catb[REQUEST_INT_LEN], sb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), id ? request_int(idb, id) : NULL, slug,
                       request_int(cb, company), category ? request_int(catb, category) : NULL, en, ko, ten, tko, tier,
                       request_int(sb, sort), tz};
    (void)request_query(r, &q_booth, 12, p, on_saved, r);
}
