/* products.c — product.save (create or partial update), product.delete, product.reorder.
 * Fields are checked here like the booth editor's; each write is one exhibitor_product_*()
 * call that checks the actor, keeps a booth at EX_MAX_PRODUCTS, and NOTIFYs so visitors in
 * the booth get products.updated (the whole list, in display order) on every node. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/session.h"
#include "domains/exhibitor/ex_internal.h"

#define EX_MAX_PRODUCTS 50

static struct db_stmt q_save = DB_STMT("ex_product_save",
    "SELECT exhibitor_product_save($1, $2, $3, $4::jsonb, $5)::text");
static struct db_stmt q_delete = DB_STMT("ex_product_delete",
    "SELECT exhibitor_product_delete($1, $2)::text");
static struct db_stmt q_reorder = DB_STMT("ex_product_reorder",
    "SELECT exhibitor_product_reorder($1, $2, $3::bigint[])::text");

/* Limits follow the products table's CHECKs in schema.sql. */
static const struct form_field product_fields[] = {
    {"name_en", FORM_LINE, 1, 200, false, false},
    {"name_ko", FORM_LINE, 1, 200, false, false},
    {"description_en", FORM_TEXT, 0, 5000, true, false},
    {"description_ko", FORM_TEXT, 0, 5000, true, false},
    {"price_note", FORM_LINE, 0, 200, true, false},
    {"moq", FORM_LINE, 0, 100, true, false},
    {"image_file_id", FORM_ID, 0, 0, true, false},
};
#define N_FIELDS (sizeof product_fields / sizeof product_fields[0])

/* {booth_id, product_id?, <fields>} -> {product_id, products}. Without product_id a new
 * product (name_en and name_ko required); with it, only the fields sent change. */
void ex_product_save(struct request *r)
{
    char err[200];
    int64_t booth_id, product_id = 0;
    if (ex_get_id(r, "booth_id", &booth_id)) return;
    if (proto_get_int(r->data, "product_id", false, 1, EX_MAX_ID, &product_id, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    static const char *const skip[] = {"booth_id", "product_id", NULL};
    static const char *const names[] = {"name_en", "name_ko", NULL};
    char *json = form_patch_or_reply(r, r->data, product_fields, N_FIELDS, skip, product_id ? NULL : names);
    if (!json) return;
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN], pid[REQUEST_INT_LEN], max[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth_id), request_int(a, r->s->account_id),
                       product_id ? request_int(pid, product_id) : NULL, json, request_int(max, EX_MAX_PRODUCTS)};
    ex_run(r, &q_save, 5, p, NULL, NULL, NULL);
    free(json);
}

/* {product_id} -> {booth_id, products} */
void ex_product_delete(struct request *r) { ex_run_ids(r, &q_delete, "product_id", NULL); }

/* {booth_id, product_ids: [every product id of the booth, in the new order]} -> {products} */
void ex_product_reorder(struct request *r)
{
    int64_t booth_id;
    if (ex_get_id(r, "booth_id", &booth_id)) return;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r->data, "product_ids");
    int n = cJSON_IsArray(ids) ? cJSON_GetArraySize(ids) : -1;
    bool ok = n >= 0 && n <= EX_MAX_PRODUCTS;
    /* a PostgreSQL array literal of the ids, e.g. {3,1,2} */
    char lit[EX_MAX_PRODUCTS * (REQUEST_INT_LEN + 1) + 3], *w = lit;
    *w++ = '{';
    const cJSON *v;
    const cJSON *list = ok ? ids : NULL;
    cJSON_ArrayForEach(v, list) {
        double d = v->valuedouble;
        if (!cJSON_IsNumber(v) || d < 1 || d > (double)EX_MAX_ID || d != (double)(int64_t)d) { ok = false; break; }
        char one[REQUEST_INT_LEN];
        w += snprintf(w, sizeof lit - (size_t)(w - lit), "%s%s", w > lit + 1 ? "," : "", request_int(one, (int64_t)d));
    }
    if (!ok) {
        cJSON *errors = cJSON_CreateObject();
        cJSON_AddStringToObject(errors, "product_ids", "bad_type");
        request_error_fields(r, errors, "'product_ids' must be an array of at most %d product ids", EX_MAX_PRODUCTS);
        return;
    }
    snprintf(w, sizeof lit - (size_t)(w - lit), "}");
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth_id), request_int(a, r->s->account_id), lit};
    ex_run(r, &q_reorder, 3, p, NULL, NULL, NULL);
}
