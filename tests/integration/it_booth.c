/* it_booth.c — integration tests of the booth domain: booth.get, and entering several
 * booths from one session.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_booth <test> <path/to/boothd>
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

static void test_booth_get(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "get");
    struct booth b;
    hall_booth(&c, 0, &b);
    cJSON *d = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    const cJSON *x = JGET(d, "booth");
    ASSERT_STR_EQ(json_text(JGET(x, "id")), b.id);
    ASSERT_STR_EQ(JSTR(x, "slug"), b.slug);
    ASSERT_STR_EQ(JSTR(JGET(x, "name"), "en"), b.name_en);
    ASSERT_STR_EQ(JSTR(JGET(x, "name"), "ko"), b.name_ko);
    JGET(JGET(x, "tagline"), "en");
    ASSERT_GT(strlen(JSTR(JGET(x, "description"), "en")), 0);
    ASSERT_GT(strlen(JSTR(JGET(x, "description"), "ko")), 0);
    JGET(x, "category");
    ASSERT_GT(strlen(JSTR(x, "time_zone")), 0);
    JGET(x, "logo_url");
    JGET(x, "banner_url");
    const cJSON *products = JGET(x, "products");
    ASSERT_TRUE(cJSON_IsArray(products));
    ASSERT_GE(cJSON_GetArraySize(products), 3);
    ASSERT_LE(cJSON_GetArraySize(products), 6);
    ASSERT_TRUE(cJSON_IsArray(JGET(x, "media")));
    ASSERT_EQ(JINT(x, "visitors_now"), 0);
    JGET(x, "staff_online");
    cJSON_Delete(d);

    EXPO_ERR(&c, "not_found", "booth.get", "{\"booth_id\":987654321}");
    EXPO_ERR(&c, "bad_request", "booth.get", "{}");
    cJSON *r = expo_call(&c, "booth.get", "{\"booth_id\":\"no such booth\"}");
    ASSERT_NOT_NULL(r);
    char code[64];
    expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
    if (strcmp(code, "bad_request") != 0 && strcmp(code, "not_found") != 0)
        FAIL("booth.get with a text id: code %s, expected bad_request or not_found", code);
    cJSON_Delete(r);
    expo_close(&c);
}

static void test_multi_booth(void)
{
    up(1);
    struct expo t, ox, oy;
    struct user ut, uox, uoy;
    visitor(&t, &ut, na.port, "tabs");
    visitor(&ox, &uox, na.port, "obs-x");
    visitor(&oy, &uoy, na.port, "obs-y");
    struct booth x, y;
    hall_booth(&t, 7, &x);
    hall_booth(&t, 8, &y);
    cJSON_Delete(enter(&ox, &x));
    cJSON_Delete(enter(&oy, &y));
    cJSON_Delete(enter(&t, &x));
    cJSON_Delete(enter(&t, &y));
    WAIT_PRESENCE(&ox, &x, 2, -1, it_ms(5000));
    WAIT_PRESENCE(&oy, &y, 2, -1, it_ms(5000));

    cJSON_Delete(SEND_OK(&t, &x, "to x", "mx-1"));
    cJSON_Delete(SEND_OK(&t, &y, "to y", "my-1"));
    long long s;
    COLLECT_CHAT(&ox, &x, 1, &s, NULL, it_ms(5000)); /* fails on a message of booth y */
    COLLECT_CHAT(&oy, &y, 1, &s, NULL, it_ms(5000));
    ASSERT_EQ(expo_count_events(&ox, "chat.message", 300), 0);
    ASSERT_EQ(expo_count_events(&oy, "chat.message", 0), 0);
    /* Presence events are per booth too. */
    expo_discard_events(&ox, NULL);
    expo_discard_events(&oy, NULL);

    /* Closing the socket leaves every booth. */
    expo_drop(&t);
    WAIT_PRESENCE(&ox, &x, 1, -1, it_ms(5000));
    WAIT_PRESENCE(&oy, &y, 1, -1, it_ms(5000));
    expo_close(&ox);
    expo_close(&oy);
}

static const struct it_test tests[] = {
    {"booth_get", test_booth_get, 90},
    {"multi_booth", test_multi_booth, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
