/* it_auth.c — integration tests of the auth domain: register, sign in, resume, sign out
 * (and the other sessions of a revoked token), and what each role may call.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_auth <test> <path/to/boothd>
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

static void test_auth(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "reg");
    struct user alice;
    do_register(&c, &alice, "Alice Kim", "alice@it.example");

    /* The same email again: conflict. Bad input: bad_request. */
    EXPO_ERR(&c, "conflict", "auth.register", "{\"email\":\"alice@it.example\",\"password\":%s,\"name\":\"Other\"}",
             json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":\"short@it.example\",\"password\":\"1234567\",\"name\":\"S\"}");
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"password\":%s,\"name\":\"No Mail\"}", json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":\"noname@it.example\",\"password\":%s}", json_quote(PW));
    /* auth.login/register are rate limited per session (a small burst): use a new connection
     * for each group of five. */
    expo_close(&c);
    expo_connect(&c, na.port, "reg2");
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":42,\"password\":%s,\"name\":\"N\"}", json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register",
             "{\"email\":\"lang@it.example\",\"password\":%s,\"name\":\"L\",\"lang\":\"fr\"}", json_quote(PW));

    /* lang is kept. */
    cJSON *d = EXPO_OK(&c, "auth.register",
                       "{\"email\":\"minji@it.example\",\"password\":%s,\"name\":\"민지\",\"lang\":\"ko\"}",
                       json_quote(PW));
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "lang"), "ko");
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "name"), "민지");
    cJSON_Delete(d);
    expo_close(&c);

    /* Login: same user, a working token. */
    struct expo l;
    expo_connect(&l, na.port, "login");
    struct user a2;
    do_login(&l, &a2, "alice@it.example", PW);
    ASSERT_STR_EQ(a2.id, alice.id);
    ASSERT_STR_EQ(a2.role, "visitor");

    /* Wrong password and unknown email: unauthorized, indistinguishable. */
    cJSON *r1 = expo_call(&l, "auth.login", "{\"email\":\"alice@it.example\",\"password\":\"wrong password\"}");
    cJSON *r2 = expo_call(&l, "auth.login", "{\"email\":\"nobody@it.example\",\"password\":\"wrong password\"}");
    ASSERT_NOT_NULL(r1);
    ASSERT_NOT_NULL(r2);
    EXPO_CHECK_ERROR(r1, "unauthorized");
    EXPO_CHECK_ERROR(r2, "unauthorized");
    ASSERT_STR_EQ(JSTR(JGET(r1, "error"), "message"), JSTR(JGET(r2, "error"), "message"));
    cJSON_Delete(r1);
    cJSON_Delete(r2);

    /* Demo accounts and their roles. */
    struct booth b;
    hall_booth(&l, 0, &b);
    char staff_email[160];
    snprintf(staff_email, sizeof staff_email, "staff@%s.demo.expo", b.slug);
    struct user org, staff, buyer;
    do_login(&l, &org, "organizer@demo.expo", DEMO_PW);
    ASSERT_STR_EQ(org.role, "organizer");
    do_login(&l, &staff, staff_email, DEMO_PW);
    ASSERT_STR_EQ(staff.role, "exhibitor");
    expo_close(&l);
    expo_connect(&l, na.port, "login2");
    do_login(&l, &buyer, "buyer1@demo.expo", DEMO_PW);
    ASSERT_STR_EQ(buyer.role, "visitor");
    expo_close(&l);

    /* Resume on other connections; a bad token is unauthorized. */
    struct expo s1, s2, s3, other;
    expo_connect(&s1, na.port, "s1");
    expo_connect(&s2, na.port, "s2");
    expo_connect(&s3, na.port, "s3");
    do_resume(&s1, &alice);
    do_resume(&s2, &alice);
    EXPO_ERR(&s3, "unauthorized", "auth.resume", "{\"token\":\"not-a-token\"}");
    EXPO_ERR(&s3, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote("x"));
    struct user alice3;
    do_login(&s3, &alice3, "alice@it.example", PW);  /* a different token of the same user */
    ASSERT_STR_NE(alice3.token, alice.token);
    expo_connect(&other, na.port, "other");
    do_resume(&other, &a2);

    /* Logout on s1 revokes alice.token and closes s2 (same token); s3 and other stay. */
    cJSON *lo = EXPO_OK(&s1, "auth.logout", "{}");
    cJSON_Delete(lo);
    int code = ws_wait_closed(&s2.ws, it_ms(5000), NULL);
    if (code == WS_E_TIMEOUT) FAIL("the other session holding the revoked token was not closed within 5 s");
    it_log("session s2 closed with %d after logout", code);
    expo_drop(&s2);
    /* s1 is signed out: requests that need a user are refused. */
    EXPO_ERR(&s1, "unauthorized", "booth.enter", "{\"booth_id\":%s}", b.id);
    cJSON_Delete(EXPO_OK(&s1, "sys.ping", NULL));
    /* The revoked token no longer resumes, on a new connection either. */
    struct expo s4;
    expo_connect(&s4, na.port, "s4");
    EXPO_ERR(&s4, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote(alice.token));
    /* Sessions with other tokens still work. */
    cJSON_Delete(enter(&s3, &b));
    cJSON_Delete(enter(&other, &b));
    expo_close(&s1);
    expo_close(&s3);
    expo_close(&s4);
    expo_close(&other);
}

static void test_unauthenticated(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "anon");
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    struct booth b;
    hall_booth(&c, 0, &b);
    cJSON *d = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    cJSON_Delete(d);
    EXPO_ERR(&c, "unauthorized", "booth.enter", "{\"booth_id\":%s}", b.id);
    EXPO_ERR(&c, "unauthorized", "booth.leave", "{\"booth_id\":%s}", b.id);
    EXPO_ERR(&c, "unauthorized", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"a1\"}", b.id);
    EXPO_ERR(&c, "unauthorized", "chat.history", "{\"booth_id\":%s}", b.id);
    /* Still open, and nobody is present anywhere. */
    ASSERT_EQ(c.closed, 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM presence"), 0);
    /* After signing in the same connection may enter. */
    struct user u;
    do_register(&c, &u, "Late Comer", "late@it.example");
    cJSON_Delete(enter(&c, &b));
    expo_close(&c);
}

static void test_authorization(void)
{
    up(1);
    struct expo a;
    struct user ua;
    visitor(&a, &ua, na.port, "alice");
    struct booth x, y;
    hall_booth(&a, 11, &x);
    hall_booth(&a, 12, &y);

    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z1\"}", x.id);
    it_sleep_ms(CHAT_GAP_MS);
    EXPO_ERR(&a, "not_found", "booth.enter", "{\"booth_id\":987654321}");
    cJSON_Delete(enter(&a, &x));
    cJSON_Delete(SEND_OK(&a, &x, "now I may", "z2"));
    it_sleep_ms(CHAT_GAP_MS);
    /* In x, not in y. */
    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z3\"}", y.id);
    it_sleep_ms(CHAT_GAP_MS);

    /* Input checks. */
    struct { const char *what, *data; } bad[] = {
        {"empty text", "\"text\":\"\",\"client_msg_id\":\"e1\""},
        {"blank text", "\"text\":\" \\t\\n \",\"client_msg_id\":\"e2\""},
        {"text is a number", "\"text\":5,\"client_msg_id\":\"e3\""},
        {"no client_msg_id", "\"text\":\"x\""},
        {"empty client_msg_id", "\"text\":\"x\",\"client_msg_id\":\"\""},
        {"client_msg_id is a number", "\"text\":\"x\",\"client_msg_id\":7"},
        {"no text", "\"client_msg_id\":\"e4\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        it_log("chat.send with %s", bad[i].what);
        EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,%s}", x.id, bad[i].data);
        it_sleep_ms(CHAT_GAP_MS);
    }
    static char text[8200];
    memset(text, 'a', 2001);
    text[2001] = '\0';
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":\"%s\",\"client_msg_id\":\"long\"}", x.id, text);
    it_sleep_ms(CHAT_GAP_MS);
    char cmid[80];
    memset(cmid, 'k', 65);
    cmid[65] = '\0';
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":\"x\",\"client_msg_id\":\"%s\"}", x.id, cmid);
    it_sleep_ms(CHAT_GAP_MS);

    /* Limits are inclusive, counted in characters after trimming. */
    text[2000] = '\0';
    cJSON *m = SEND_OK(&a, &x, text, "max-ascii");
    ASSERT_EQ((long long)strlen(JSTR(m, "text")), 2000);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    static char padded[8300];
    snprintf(padded, sizeof padded, "   %s  \n", text);
    m = SEND_OK(&a, &x, padded, "max-trimmed");
    ASSERT_EQ((long long)strlen(JSTR(m, "text")), 2000);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    text[0] = '\0';
    for (int i = 0; i < 2000; i++) strcat(text, "가");
    m = SEND_OK(&a, &x, text, "max-hangul");
    ASSERT_STR_EQ(JSTR(m, "text"), text);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    memset(cmid, 'k', 64);
    cmid[64] = '\0';
    cJSON_Delete(SEND_OK(&a, &x, "64-char key", cmid));
    it_sleep_ms(CHAT_GAP_MS);

    /* Control characters are cleaned; HTML is kept as text. */
    m = SEND_OK(&a, &x, "ring\x07 the\x1b[31m bell\x01", "ctl");
    const char *t = JSTR(m, "text");
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            FAIL("control character 0x%02x kept in \"%s\"", (unsigned char)*p, t);
    ASSERT_CONTAINS(t, "ring");
    ASSERT_CONTAINS(t, "bell");
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'ctl' AND text ~ '[\\x01-\\x08\\x0b-\\x1f]'");
    ASSERT_EQ(psql_long(pg.url, sql), 0);

    /* After leaving: forbidden again. */
    cJSON_Delete(EXPO_OK(&a, "booth.leave", "{\"booth_id\":%s}", x.id));
    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z9\"}", x.id);
    ASSERT_EQ(a.closed, 0);
    expo_close(&a);
}

static const struct it_test tests[] = {
    {"auth", test_auth, 120},
    {"unauthenticated", test_unauthenticated, 90},
    {"authorization", test_authorization, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
