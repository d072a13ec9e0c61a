/* hall.c — hall.list: search and filter booths. The whole reply is built by PostgreSQL
 * as JSON (one round trip); the search matches Korean and English names, taglines and
 * product names (trigram-indexed lower-case text, LIKE wildcards in q escaped). Archived booths
 * (booths.archived_at) are left out for everyone: the organizers' set-up list shows them. */
#include <stdio.h>
#include <stdlib.h>

#include "core/domain.h"
#include "core/request.h"
#include "db/db.h"
#include "domains/presence/presence_sql.h"

/* The hall's order: platinum, gold, then the rest; then the organizer's sort order. */
#define SQL_HALL_ORDER "CASE tier WHEN 'platinum' THEN 0 WHEN 'gold' THEN 1 ELSE 2 END, sort_order, id"

#define SQL_LIKE(p) "'%' || replace(replace(replace(lower(" p "), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'"

/* The whole reply for booths that match `search` (an SQL condition on booths b), the category
 * $2 (NULL: any), page $3 (offset), $4 (limit); `search` may use $1. */
#define SQL_HALL_LIST(search) \
    "WITH f AS (SELECT b.*, c.slug AS category_slug FROM booths b LEFT JOIN categories c ON c.id = b.category_id" \
    "   WHERE b.archived_at IS NULL AND " search " AND ($2::text IS NULL OR c.slug = $2))," \
    " page AS (SELECT * FROM f ORDER BY " SQL_HALL_ORDER " OFFSET $3 LIMIT $4)" \
    " SELECT json_build_object(" \
    "  'total', (SELECT count(*) FROM f)," \
    "  'booths', coalesce((SELECT json_agg(json_build_object('id', id, 'slug', slug," \
    "     'name', json_build_object('en', name_en, 'ko', name_ko), 'category', category_slug," \
    "     'tagline', json_build_object('en', tagline_en, 'ko', tagline_ko), 'tier', tier," \
    "     'logo_url', logo_url," \
    "     'visitors_now', " SQL_PRESENCE_COUNT("page.id", "visitor") "," \
    "     'staff_online', " SQL_PRESENCE_COUNT("page.id", "staff") ")" \
    "     ORDER BY " SQL_HALL_ORDER ") FROM page), '[]')," \
    "  'categories', coalesce((SELECT json_agg(json_build_object('slug', c.slug," \
    "     'name', json_build_object('en', c.name_en, 'ko', c.name_ko)," \
    "     'booths', (SELECT count(*) FROM booths b WHERE b.category_id = c.id AND b.archived_at IS NULL)) ORDER BY c.sort_order, c.id)" \
    "     FROM categories c), '[]'))::text"

/* Browsing the hall (no search text; $1 is NULL, named only so that its type is known): the hall
 * page's own call, so the most frequent statement of an expo day. Its plan does not depend on
 * the values (a category and a page), so it runs with its generic plan: planned on every call it
 * spent 0.43 ms planning for 1.0 ms of execution (the `mixed` benchmark, issue 15). */
static struct db_stmt q_hall_browse = DB_STMT_GENERIC("hall_browse",
    SQL_HALL_LIST("($1::text IS NULL)"));
/* Searching: planned for each search text, which may then use the trigram indexes. */
static struct db_stmt q_hall_search = DB_STMT("hall_search",
    SQL_HALL_LIST("(b.search_text LIKE " SQL_LIKE("$1") " OR EXISTS (SELECT 1 FROM products p"
                  " WHERE p.booth_id = b.id AND p.search_text LIKE " SQL_LIKE("$1") "))"));

static void on_hall(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_Parse(db_result_value(res, 0, 0));
    if (!d) { request_error(r, PROTO_INTERNAL, "internal error"); return; }
    request_ok(r, d);
}

/* hall.list {q?, category?, offset?, limit? (<= 100)} */
static void handle_list(struct request *r)
{
    char err[200];
    const char *q, *category;
    int64_t offset = 0, limit = 50;
    if (proto_get_string(r->data, "q", false, 0, 100, &q, err, sizeof err) ||
        proto_get_string(r->data, "category", false, 0, 64, &category, err, sizeof err) ||
        proto_get_int(r->data, "offset", false, 0, 100000, &offset, err, sizeof err) ||
        proto_get_int(r->data, "limit", false, 1, 100, &limit, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (q && !*q) q = NULL;
    if (category && !*category) category = NULL;
    char off[REQUEST_INT_LEN], lim[REQUEST_INT_LEN];
    const char *p[] = {q, category, request_int(off, offset), request_int(lim, limit)};
    (void)request_query(r, q ? &q_hall_search : &q_hall_browse, 4, p, on_hall, r);
}

static const struct route routes[] = {
    {"hall.list", handle_list, ROLES_ANYONE, RATE_DEFAULT},
};

const struct domain hall_domain = {
    .name = "hall",
    DOMAIN_ROUTES(routes),
};
