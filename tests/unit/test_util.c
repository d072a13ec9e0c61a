/* Unit tests for util/: rate limiter, UTF-8 text cleaning, per-address counter, outmsg,
 * RFC 3339 formatting, WebSocket frame headers, and the dispatch table helpers. */
#include <stdlib.h>
#include "check.h"
#include "core/dispatch.h"
#include "util/addrcount.h"
#include "util/outmsg.h"
#include "util/ratelimit.h"
#include "util/text.h"
#include "net/wsframe.h"
#include "util/timefmt.h"

static void test_ratelimit(void)
{
    struct ratelimit r;
    ratelimit_init(&r, 2.0f, 10.0f, 1000);
    int ok = 0;
    for (int i = 0; i < 20; i++) ok += ratelimit_take(&r, 1000);
    CHECK_INT(ok, 10);                      /* the burst */
    CHECK(!ratelimit_take(&r, 1400));       /* 0.8 token after 400 ms */
    CHECK(ratelimit_take(&r, 1500));        /* 1 token after 500 ms */
    CHECK(!ratelimit_take(&r, 1500));
    ok = 0;
    for (int t = 2000; t <= 11000; t += 100) ok += ratelimit_take(&r, (uint64_t)t);
    CHECK_INT(ok, 19);                      /* ~2 per second over 9.5 s */
    CHECK(!ratelimit_take(&r, 500));        /* clock going backwards adds nothing */
}

static void test_text(void)
{
    CHECK(utf8_valid("abc 한국 😀", strlen("abc 한국 😀")));
    CHECK(!utf8_valid("\xC0\xAF", 2));            /* overlong */
    CHECK(!utf8_valid("\xED\xA0\x80", 3));        /* surrogate */
    CHECK(!utf8_valid("\xF4\x90\x80\x80", 4));    /* > U+10FFFF */
    CHECK(!utf8_valid("\xE2\x82", 2));            /* truncated */
    CHECK_INT(utf8_length("한국어 ok"), 6);
    char *s = text_clean("  hi\x01\x7f there\t\r\n\n\n\n\nend \xC2\x85 ");
    CHECK_STR(s, "hi there \n\nend");
    free(s);
    s = text_clean(" \n\t ");
    CHECK_STR(s, "");
    free(s);
    s = text_clean("<b>x</b>");
    CHECK_STR(s, "<b>x</b>");                      /* never interpreted, so kept as text */
    free(s);
}

static void test_addrcount(void)
{
    struct addrcount *a = addrcount_new();
    CHECK_INT(addrcount_inc(a, "127.0.0.1"), 1);
    CHECK_INT(addrcount_inc(a, "127.0.0.1"), 2);
    CHECK_INT(addrcount_inc(a, "127.0.0.2"), 1);
    CHECK_INT(addrcount_get(a, "127.0.0.1"), 2);
    CHECK_INT(addrcount_dec(a, "127.0.0.1"), 1);
    CHECK_INT(addrcount_dec(a, "127.0.0.1"), 0);
    CHECK_INT(addrcount_dec(a, "127.0.0.1"), 0);
    CHECK_INT(addrcount_get(a, "127.0.0.1"), 0);
    char k[32];
    for (int i = 0; i < 10000; i++) { snprintf(k, sizeof k, "10.0.%d.%d", i / 256, i % 256); addrcount_inc(a, k); }
    CHECK_INT(addrcount_get(a, "10.0.39.15"), 1);
    addrcount_free(a);
}

static void test_outmsg(void)
{
    struct outmsg *m = outmsg_new("hello", 5);
    CHECK_INT(m->refs, 1);
    outmsg_ref(m);
    CHECK_INT(m->refs, 2);
    CHECK(memcmp(outmsg_payload(m), "hello", 5) == 0);
    outmsg_unref(m);
    outmsg_unref(m);          /* freed: ASan would report a leak otherwise */
    char *dup = strdup("{}");
    m = outmsg_from_string(dup);
    CHECK_INT(m->len, 2);
    outmsg_unref(m);
}

static void test_timefmt(void)
{
    char buf[40];
    timefmt_rfc3339_ms(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01-01T00:00:00.000Z");
    timefmt_rfc3339_ms(1795756129123LL, buf, sizeof buf);
    CHECK_STR(buf, "2026-11-27T05:08:49.123Z");
}

static void h(struct request *r) { (void)r; }

static void test_dispatch(void)
{
    const struct route table[] = {
        {"auth.login", h, ROLES_ANYONE, RATE_AUTH},
        {"chat.send", h, ROLES_SIGNED_IN, RATE_CHAT},
        {"meeting.respond", h, ROLE_EXHIBITOR, RATE_DEFAULT},
        {"sys.ping", h, ROLES_ANYONE, RATE_DEFAULT},
    };
    size_t bad = 99;
    CHECK_INT(dispatch_table_check(table, 4, &bad), 0);
    CHECK(dispatch_find(table, 4, "chat.send") == &table[1]);
    CHECK(dispatch_find(table, 4, "sys.ping") == &table[3]);
    CHECK(dispatch_find(table, 4, "chat.sen") == NULL);
    CHECK(dispatch_find(table, 4, "zzz.z") == NULL);
    CHECK_INT(dispatch_authorize(&table[1], ROLE_ANON), PROTO_UNAUTHORIZED);
    CHECK_INT(dispatch_authorize(&table[1], ROLE_VISITOR), PROTO_OK);
    CHECK_INT(dispatch_authorize(&table[2], ROLE_VISITOR), PROTO_FORBIDDEN);
    CHECK_INT(dispatch_authorize(&table[2], ROLE_ANON), PROTO_UNAUTHORIZED);
    CHECK_INT(dispatch_authorize(&table[2], ROLE_EXHIBITOR), PROTO_OK);
    const struct route unsorted[] = {{"b.b", h, ROLES_ANYONE, 0}, {"a.a", h, ROLES_ANYONE, 0}};
    CHECK_INT(dispatch_table_check(unsorted, 2, &bad), -1);
    CHECK_INT(bad, 1);
    const struct route norole[] = {{"a.a", h, 0, 0}};
    CHECK_INT(dispatch_table_check(norole, 1, &bad), -1);
    float rate, burst;
    dispatch_rate_params(RATE_CHAT, 2, &rate, &burst);
    CHECK(rate == 2.0f && burst == 10.0f);
    dispatch_rate_params(RATE_CHAT, 20, &rate, &burst);
    CHECK(rate == 20.0f && burst == 100.0f);
    dispatch_rate_params(RATE_AUTH, 20, &rate, &burst);      /* only chat follows --chat-rate */
    CHECK(burst == 5.0f);
}

static void test_wsframe(void)
{
    unsigned char h[WSFRAME_MAX_HEADER];
    CHECK_INT(wsframe_header(h, WSFRAME_OP_TEXT, 0), 2);
    CHECK_INT(h[0], 0x81);                      /* FIN + text */
    CHECK_INT(h[1], 0);                         /* unmasked, length 0 */
    CHECK_INT(wsframe_header(h, WSFRAME_OP_TEXT, 125), 2);
    CHECK_INT(h[1], 125);
    CHECK_INT(wsframe_header(h, WSFRAME_OP_TEXT, 126), 4);   /* 16-bit length from 126 on */
    CHECK_INT(h[1], 126);
    CHECK_INT(h[2], 0);
    CHECK_INT(h[3], 126);
    CHECK_INT(wsframe_header(h, WSFRAME_OP_TEXT, 65535), 4);
    CHECK_INT(h[2], 0xff);
    CHECK_INT(h[3], 0xff);
    CHECK_INT(wsframe_header(h, 0x2, 65536), 10);            /* 64-bit length, binary */
    CHECK_INT(h[0], 0x82);
    CHECK_INT(h[1], 127);
    static const unsigned char len65536[8] = {0, 0, 0, 0, 0, 1, 0, 0};
    CHECK(memcmp(h + 2, len65536, 8) == 0);
    CHECK_INT(wsframe_header(h, WSFRAME_OP_TEXT, 0x0102030405ull), 10);
    static const unsigned char big[8] = {0, 0, 0, 1, 2, 3, 4, 5};
    CHECK(memcmp(h + 2, big, 8) == 0);
}

int main(void)
{
    test_ratelimit();
    test_text();
    test_addrcount();
    test_outmsg();
    test_timefmt();
    test_dispatch();
    test_wsframe();
    return check_report("test_util");
}
