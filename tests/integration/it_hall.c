/* it_hall.c — integration tests of the hall domain: search, categories, paging and the
 * presence counts it shows.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_hall <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "visit.h"

static void test_hall(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "hall");

    cJSON *d = EXPO_OK(&c, "hall.list", "{\"limit\":100}");
    long long total = JINT(d, "total");
    ASSERT_GE(total, 40);
    const cJSON *booths = JGET(d, "booths");
    int n = cJSON_GetArraySize(booths);
    ASSERT_EQ(n, total < 100 ? total : 100);
    const cJSON *cats = JGET(d, "categories");
    ASSERT_TRUE(cJSON_IsArray(cats));
    ASSERT_GE(cJSON_GetArraySize(cats), 8);
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(booths, i);
        JGET(e, "id");
        JSTR(e, "slug");
        ASSERT_GT(strlen(JSTR(JGET(e, "name"), "en")), 0);
        ASSERT_GT(strlen(JSTR(JGET(e, "name"), "ko")), 0);
        JGET(e, "category");
        JGET(JGET(e, "tagline"), "en");
        JGET(JGET(e, "tagline"), "ko");
        JGET(e, "logo_url");
        ASSERT_EQ(JINT(e, "visitors_now"), 0);
        ASSERT_EQ(json_truthy(JGET(e, "staff_online")), 0);
    }
    cJSON_Delete(d);

    /* Paging: disjoint pages that cover the hall. */
    char seen[512][64];
    int n_seen = 0;
    for (int off = 0; off < total; off += 7) {
        d = EXPO_OK(&c, "hall.list", "{\"offset\":%d,\"limit\":7}", off);
        ASSERT_EQ(JINT(d, "total"), total);
        const cJSON *page = JGET(d, "booths");
        int pn = cJSON_GetArraySize(page);
        ASSERT_EQ(pn, total - off < 7 ? total - off : 7);
        for (int i = 0; i < pn && n_seen < 512; i++) {
            const char *id = json_text(JGET(cJSON_GetArrayItem(page, i), "id"));
            for (int k = 0; k < n_seen; k++)
                if (strcmp(seen[k], id) == 0) FAIL("booth %s listed twice across pages (offset %d)", id, off);
            snprintf(seen[n_seen++], 64, "%s", id);
        }
        cJSON_Delete(d);
    }
    ASSERT_EQ(n_seen, total);

    /* limit is capped at 100 (or refused above it). */
    cJSON *r = expo_call(&c, "hall.list", "{\"limit\":101}");
    ASSERT_NOT_NULL(r);
    if (cJSON_IsTrue(JGET(r, "ok"))) ASSERT_LE(cJSON_GetArraySize(JGET(JGET(r, "data"), "booths")), 100);
    else EXPO_CHECK_ERROR(r, "bad_request");
    cJSON_Delete(r);

    /* Category filter. */
    struct booth b;
    hall_booth(&c, 3, &b);
    d = EXPO_OK(&c, "hall.list", "{\"category\":%s,\"limit\":100}", b.category);
    long long in_cat = JINT(d, "total");
    ASSERT_GE(in_cat, 1);
    ASSERT_LT(in_cat, total);
    booths = JGET(d, "booths");
    int found = 0;
    for (int i = 0; i < cJSON_GetArraySize(booths); i++) {
        struct booth x;
        booth_from(&x, cJSON_GetArrayItem(booths, i));
        ASSERT_STR_EQ(x.category, b.category);
        if (strcmp(x.id, b.id) == 0) found = 1;
    }
    ASSERT_TRUE(found);
    cJSON_Delete(d);

    /* Search by Korean name, English name, tagline-free product name; and a miss. */
    const char *queries[2] = {b.name_ko, b.name_en};
    for (int q = 0; q < 2; q++) {
        d = EXPO_OK(&c, "hall.list", "{\"q\":%s,\"limit\":100}", json_quote(queries[q]));
        found = 0;
        booths = JGET(d, "booths");
        for (int i = 0; i < cJSON_GetArraySize(booths); i++)
            if (same_id(JGET(cJSON_GetArrayItem(booths, i), "id"), b.id)) found = 1;
        if (!found) FAIL("hall.list q=\"%s\" does not find booth %s: %s", queries[q], b.id, json_text(d));
        ASSERT_LT(JINT(d, "total"), total);
        cJSON_Delete(d);
    }
    cJSON *bg = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    const cJSON *products = JGET(JGET(bg, "booth"), "products");
    ASSERT_GE(cJSON_GetArraySize(products), 1);
    const cJSON *pname = JGET(cJSON_GetArrayItem(products, 0), "name");
    const char *pq = cJSON_IsString(pname) ? pname->valuestring : JSTR(pname, "en");
    char pquery[256];
    snprintf(pquery, sizeof pquery, "%s", pq);
    cJSON_Delete(bg);
    d = EXPO_OK(&c, "hall.list", "{\"q\":%s,\"limit\":100}", json_quote(pquery));
    found = 0;
    booths = JGET(d, "booths");
    for (int i = 0; i < cJSON_GetArraySize(booths); i++)
        if (same_id(JGET(cJSON_GetArrayItem(booths, i), "id"), b.id)) found = 1;
    if (!found) FAIL("hall.list q=\"%s\" (a product of booth %s) does not find it: %s", pquery, b.id, json_text(d));
    cJSON_Delete(d);
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"zqxj-no-such-booth-zqxj\"}");
    ASSERT_EQ(JINT(d, "total"), 0);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "booths")), 0);
    cJSON_Delete(d);
    /* Search input is data, not SQL or a pattern. */
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"%%' OR '1'='1\"}");
    ASSERT_EQ(JINT(d, "total"), 0);
    cJSON_Delete(d);
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"%%\"}");
    ASSERT_LT(JINT(d, "total"), total);
    cJSON_Delete(d);
    EXPO_ERR(&c, "bad_request", "hall.list", "{\"limit\":\"ten\"}");
    expo_close(&c);
}

static const struct it_test tests[] = {
    {"hall", test_hall, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
