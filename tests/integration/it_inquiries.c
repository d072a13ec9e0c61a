/* it_inquiries.c — private inquiries on two nodes: delivery to both sides live on every
 * node, idempotent resend, gapless seqs, since_seq catch-up, read marks and unread counts,
 * claims, desk presence as staff online, the public chat's reading rule, and kill -9 of a
 * node while buyers send (every acked message stored once, no seq gap).
 *   it_inquiries <test> <path/to/boothd> */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "harness.h"
#include "inquiry_fixture.h"

#define STAFF "staff@haneul-cosmetics.demo.expo"

/* The next inquiry.message on c; checks thread and seq. */
static void expect_message_at(const char *file, int line, struct expo *c, long long thread, long long seq,
                              const char *text)
{
    cJSON *e = expo_event(c, "inquiry.message", it_ms(5000));
    if (!e) it_fail(file, line, "%s: no inquiry.message (thread %lld seq %lld)", c->label, thread, seq);
    const cJSON *m = JGET(e, "message");
    if (JINT(m, "thread_id") != thread || JINT(m, "seq") != seq || strcmp(JSTR(m, "text"), text))
        it_fail(file, line, "%s: expected thread %lld seq %lld %s, got %s", c->label, thread, seq, text, json_text(m));
    cJSON_Delete(e);
}
#define EXPECT_MESSAGE(c, t, s, x) expect_message_at(__FILE__, __LINE__, (c), (t), (s), (x))

static void test_two_nodes(void)
{
    ifx_up();
    struct expo staff, buyer, buyer_b;
    ifx_login(&staff, ifx_nb.port, "staff@B", STAFF);
    long long booth = ifx_desk(&staff);
    long long buyer_id = ifx_login(&buyer, ifx_na.port, "buyer1@A", "buyer1@demo.expo");
    ifx_login(&buyer_b, ifx_nb.port, "buyer1@B", "buyer1@demo.expo");

    /* The desk counts as staff online, seen from the other node. */
    cJSON *info = EXPO_OK(&buyer, "inquiry.booth", "{\"booth_id\":%lld}", booth);
    ASSERT_GE(JINT(info, "staff_online"), 1);
    ASSERT_TRUE(cJSON_IsNull(JGET(info, "thread")));
    cJSON_Delete(info);

    /* Rows lost (as when the node is reaped after a database outage) are written again. */
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'"), 1);
    free(psql_ok(ifx_pg.url, "DELETE FROM presence WHERE session_id LIKE '%:desk'"));
    for (int i = 0; i < 100 && psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'") == 0; i++)
        it_sleep_ms(it_ms(100));
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'"), 1);

    long long thread = ifx_open(&buyer, booth);
    ASSERT_EQ(ifx_open(&buyer, booth), thread);                 /* one thread per buyer and booth */

    /* buyer (node A) -> desk (node B) and the buyer's other device (node B) */
    ASSERT_EQ(ifx_send(&buyer, thread, "What is your MOQ for the toner?", "q1"), 1);
    EXPECT_MESSAGE(&staff, thread, 1, "What is your MOQ for the toner?");
    EXPECT_MESSAGE(&buyer_b, thread, 1, "What is your MOQ for the toner?");
    EXPECT_MESSAGE(&buyer, thread, 1, "What is your MOQ for the toner?");

    /* resend: the stored message, no new seq, no new event */
    cJSON *d = EXPO_OK(&buyer, "inquiry.send", "{\"thread_id\":%lld,\"text\":\"again\",\"client_msg_id\":\"q1\"}", thread);
    ASSERT_TRUE(JBOOL(d, "duplicate"));
    ASSERT_EQ(JINT(JGET(d, "message"), "seq"), 1);
    cJSON_Delete(d);

    /* unread for the booth side, then the desk lists it */
    d = EXPO_OK(&staff, "inquiry.list", "{\"booth_id\":%lld}", booth);
    const cJSON *t0 = cJSON_GetArrayItem(JGET(d, "threads"), 0);
    ASSERT_EQ(JINT(t0, "id"), thread);
    ASSERT_EQ(JINT(t0, "unread"), 1);
    ASSERT_EQ(JINT(JGET(t0, "buyer"), "id"), buyer_id);
    ASSERT_STR_EQ(JSTR(JGET(t0, "buyer"), "time_zone"), "America/Chicago");
    ASSERT_STR_EQ(JSTR(JGET(t0, "last_message"), "text"), "What is your MOQ for the toner?");
    cJSON_Delete(d);

    /* staff reads: the buyer's sessions see "seen" */
    d = EXPO_OK(&staff, "inquiry.read", "{\"thread_id\":%lld,\"seq\":99}", thread);
    ASSERT_EQ(JINT(d, "seq"), 1);                               /* never past the last message */
    cJSON_Delete(d);
    cJSON *rd = expo_event(&buyer, "inquiry.read", it_ms(5000));
    ASSERT_NOT_NULL(rd);
    ASSERT_STR_EQ(JSTR(rd, "side"), "booth");
    ASSERT_EQ(JINT(rd, "seq"), 1);
    cJSON_Delete(rd);

    /* claim: the desk sees who */
    cJSON_Delete(EXPO_OK(&staff, "inquiry.claim", "{\"thread_id\":%lld,\"claim\":true}", thread));
    cJSON *cl = expo_event(&staff, "inquiry.claimed", it_ms(5000));
    ASSERT_NOT_NULL(cl);
    ASSERT_EQ(JINT(cl, "thread_id"), thread);
    ASSERT_TRUE(cJSON_IsObject(JGET(cl, "claimed_by")));
    cJSON_Delete(cl);

    /* staff replies: both buyer sessions get it live, the buyer's unread is 1 */
    ASSERT_EQ(ifx_send(&staff, thread, "MOQ is 500 units.", "r1"), 2);
    EXPECT_MESSAGE(&staff, thread, 2, "MOQ is 500 units.");     /* the desk shows its own answer too */
    EXPECT_MESSAGE(&buyer, thread, 2, "MOQ is 500 units.");
    EXPECT_MESSAGE(&buyer_b, thread, 2, "MOQ is 500 units.");
    d = EXPO_OK(&buyer_b, "inquiry.list", "{}");
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(d, "threads"), 0), "unread"), 1);
    cJSON_Delete(d);

    /* a burst from the buyer, pipelined: every message once, seqs in order on the desk. Two
     * batches may commit at once, so pipelined sends take seqs in commit order, not always in
     * send order (as in booth chat; the page sends one at a time). */
    char text[32], cmid[16];
    for (int i = 0; i < 8; i++) {
        snprintf(text, sizeof text, "burst %d", i);
        snprintf(cmid, sizeof cmid, "b%d", i);
        expo_send(&buyer, "inquiry.send", "{\"thread_id\":%lld,\"text\":%s,\"client_msg_id\":%s}", thread,
                  json_quote(text), json_quote(cmid));
    }
    for (int i = 0; i < 8; i++) {
        cJSON *rep = expo_next_reply(&buyer, it_ms(5000));
        ASSERT_NOT_NULL(rep);
        ASSERT_TRUE(JBOOL(rep, "ok"));
        cJSON_Delete(rep);
    }
    int seen[8] = {0};
    for (int i = 0; i < 8; i++) {
        cJSON *e = expo_event(&staff, "inquiry.message", it_ms(5000));
        ASSERT_NOT_NULL(e);
        const cJSON *m = JGET(e, "message");
        ASSERT_EQ(JINT(m, "seq"), 3 + i);
        int n = -1;
        ASSERT_EQ(sscanf(JSTR(m, "text"), "burst %d", &n), 1);
        ASSERT_TRUE(n >= 0 && n < 8 && !seen[n]);
        seen[n] = 1;
        cJSON_Delete(e);
    }

    /* catch-up after a reconnect: since_seq gives exactly what is missing */
    expo_close(&buyer_b);
    ifx_send(&staff, thread, "Sample shipped.", "r2");
    ifx_login(&buyer_b, ifx_nb.port, "buyer1@B-again", "buyer1@demo.expo");
    d = EXPO_OK(&buyer_b, "inquiry.history", "{\"thread_id\":%lld,\"since_seq\":9}", thread);
    const cJSON *msgs = JGET(d, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), 10);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 1), "seq"), 11);
    ASSERT_STR_EQ(JSTR(JGET(cJSON_GetArrayItem(msgs, 1), "author"), "role"), "staff");
    cJSON_Delete(d);
    d = EXPO_OK(&buyer_b, "inquiry.history", "{\"thread_id\":%lld,\"before_seq\":3,\"limit\":5}", thread);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "messages")), 2);
    cJSON_Delete(d);

    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages"), 11);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT max(seq) FROM inquiry_messages"), 11);

    /* the desk closing takes the staff presence away */
    expo_close(&staff);
    for (int i = 0; i < 50; i++) {
        if (psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'") == 0) break;
        it_sleep_ms(it_ms(100));
    }
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'"), 0);
    expo_close(&buyer);
    expo_close(&buyer_b);
    /* clean exits (a sanitized build reports leaks and errors through the exit status) */
    ASSERT_EQ(boothd_stop(&ifx_na), 0);
    ASSERT_EQ(boothd_stop(&ifx_nb), 0);
}

/* chat.history only from inside the booth, its staff or organizers; public chat can be
 * switched off by staff; quick replies stored per booth. */
static void test_public_chat_rules(void)
{
    ifx_up();
    struct expo staff, buyer, org;
    ifx_login(&staff, ifx_na.port, "staff", STAFF);
    long long booth = ifx_desk(&staff);
    ifx_login(&buyer, ifx_nb.port, "buyer2", "buyer2@demo.expo");
    ifx_login(&org, ifx_na.port, "organizer", "organizer@demo.expo");

    EXPO_ERR(&buyer, "forbidden", "chat.history", "{\"booth_id\":%lld}", booth);
    cJSON_Delete(EXPO_OK(&staff, "chat.history", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&org, "chat.history", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&buyer, "booth.enter", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&buyer, "chat.history", "{\"booth_id\":%lld}", booth));

    cJSON *d = EXPO_OK(&staff, "inquiry.settings",
                       "{\"booth_id\":%lld,\"public_chat\":false,\"quick_replies\":[\"Thanks! \",\"MOQ is 500\"]}", booth);
    ASSERT_EQ(JBOOL(d, "public_chat"), 0);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "quick_replies")), 2);
    ASSERT_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(JGET(d, "quick_replies"), 1)), "MOQ is 500");
    cJSON_Delete(d);
    d = EXPO_OK(&buyer, "inquiry.booth", "{\"booth_id\":%lld}", booth);
    ASSERT_EQ(JBOOL(d, "public_chat"), 0);
    cJSON_Delete(d);
    /* public chat off: the buyer cannot post there, staff and organizers still can */
    cJSON *refused = expo_call(&buyer, "chat.send", "{\"booth_id\":%lld,\"text\":\"hi all\",\"client_msg_id\":\"pc1\"}", booth);
    EXPO_CHECK_ERROR(refused, "forbidden");
    if (!strstr(JSTR(JGET(refused, "error"), "message"), "privately"))
        FAIL("chat.send into a booth with public chat off should point to inquiry.open, said: %s",
             JSTR(JGET(refused, "error"), "message"));
    cJSON_Delete(refused);
    cJSON_Delete(EXPO_OK(&staff, "booth.enter", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&staff, "chat.send", "{\"booth_id\":%lld,\"text\":\"We answer privately\",\"client_msg_id\":\"pc2\"}", booth));
    cJSON_Delete(EXPO_OK(&org, "booth.enter", "{\"booth_id\":%lld}", booth));
    d = EXPO_OK(&org, "chat.send", "{\"booth_id\":%lld,\"text\":\"Organizer here\",\"client_msg_id\":\"pc3\"}", booth);
    ASSERT_STR_EQ(JSTR(JGET(JGET(d, "message"), "author"), "role"), "organizer");
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM chat_messages"), 2);
    EXPO_ERR(&staff, "bad_request", "inquiry.settings", "{\"booth_id\":%lld,\"quick_replies\":[\"\"]}", booth);
    EXPO_ERR(&staff, "bad_request", "inquiry.settings", "{\"booth_id\":%lld,\"public_chat\":\"no\"}", booth);
    d = EXPO_OK(&staff, "inquiry.desk", "{}");
    ASSERT_EQ(JBOOL(cJSON_GetArrayItem(JGET(d, "booths"), 0), "public_chat"), 0);
    cJSON_Delete(d);

    /* the send rate is told to the page */
    d = EXPO_OK(&buyer, "sys.ping", "{}");
    ASSERT_GT(JINT(JGET(d, "limits"), "chat_per_s"), 0);
    ASSERT_GT(JINT(JGET(d, "limits"), "chat_burst"), 0);
    cJSON_Delete(d);
    expo_close(&staff);
    expo_close(&buyer);
    expo_close(&org);
}

/* ---- kill -9 while buyers send ----------------------------------------------------------- */

#define KB 4            /* buyers */
#define KMSG 40         /* messages each wants stored */

struct kbuyer {
    struct expo c;
    long long thread;
    int acked[KMSG];
    long req[KMSG];
};

static void test_kill9(void)
{
    ifx_up();
    struct expo staff;
    ifx_login(&staff, ifx_na.port, "staff", STAFF);
    long long booth = ifx_desk(&staff);
    static struct kbuyer b[KB];
    char email[64], label[32];
    for (int i = 0; i < KB; i++) {
        snprintf(email, sizeof email, "buyer%d@demo.expo", i + 1);
        snprintf(label, sizeof label, "buyer%d@B", i + 1);
        ifx_login(&b[i].c, ifx_nb.port, label, email);
        b[i].thread = ifx_open(&b[i].c, booth);
    }
    /* Everyone sends on node B, the last burst without waiting, and node B is killed while
     * that burst is being committed: some messages are acked, some stored but never acked,
     * some never stored. */
    int sent = KMSG * 3 / 4;
    for (int k = 0; k < sent; k++) {
        for (int i = 0; i < KB; i++)
            b[i].req[k] = expo_send(&b[i].c, "inquiry.send", "{\"thread_id\":%lld,\"text\":\"m%d\",\"client_msg_id\":\"k%d\"}",
                                    b[i].thread, k, k);
        if (k < KMSG / 2 && k % 4 == 3) it_sleep_ms(it_ms(50));
    }
    it_sleep_ms(3);
    boothd_kill9(&ifx_nb);
    int acked_before = 0;
    for (int i = 0; i < KB; i++) {
        expo_pump(&b[i].c, 200);
        for (int k = 0; k < sent; k++) {
            cJSON *rep = expo_reply(&b[i].c, b[i].req[k], 0);
            if (rep && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rep, "ok"))) { b[i].acked[k] = 1; acked_before++; }
            cJSON_Delete(rep);
        }
        expo_drop(&b[i].c);
    }
    it_log("%d of %d messages acked before kill -9", acked_before, KB * sent);
    ASSERT_GT(acked_before, 0);
    it_log("%ld stored at the kill", psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages"));
    /* Every acked message is stored. */
    for (int i = 0; i < KB; i++)
        for (int k = 0; k < sent; k++) {
            if (!b[i].acked[k]) continue;
            char sql[256];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM inquiry_messages WHERE thread_id = %lld AND client_msg_id = 'k%d'",
                     b[i].thread, k);
            ASSERT_EQ(psql_long(ifx_pg.url, sql), 1);
        }
    /* The buyers come back on node A and resend everything (same client_msg_ids). */
    for (int i = 0; i < KB; i++) {
        snprintf(email, sizeof email, "buyer%d@demo.expo", i + 1);
        snprintf(label, sizeof label, "buyer%d@A", i + 1);
        ifx_login(&b[i].c, ifx_na.port, label, email);
        for (int k = 0; k < KMSG; k++) {
            char text[16], cmid[16];
            snprintf(text, sizeof text, "m%d", k);
            snprintf(cmid, sizeof cmid, "k%d", k);
            cJSON *d = EXPO_OK(&b[i].c, "inquiry.send", "{\"thread_id\":%lld,\"text\":%s,\"client_msg_id\":%s}",
                               b[i].thread, json_quote(text), json_quote(cmid));
            if (b[i].acked[k]) ASSERT_TRUE(JBOOL(d, "duplicate"));
            cJSON_Delete(d);
            /* keep reading the desk: its events wait in the inbox, and its pings get answered
             * (a slow machine makes this phase longer than the server's idle-peer limit) */
            expo_pump(&staff, 0);
        }
    }
    /* Exactly KMSG per thread, seqs 1..KMSG without a gap, no duplicate. */
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages"), KB * KMSG);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM (SELECT thread_id FROM inquiry_messages GROUP BY thread_id"
                                    " HAVING count(*) <> max(seq) OR count(DISTINCT seq) <> count(*)"
                                    " OR count(DISTINCT client_msg_id) <> count(*)) x"), 0);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_threads t WHERE t.last_seq <>"
                                    " (SELECT max(seq) FROM inquiry_messages m WHERE m.thread_id = t.id)"), 0);
    /* The desk on node A saw every message of every thread in seq order. */
    long long last[KB + 1] = {0};
    int events = 0;
    cJSON *e;
    while ((e = expo_event(&staff, "inquiry.message", it_ms(events < KB * KMSG ? 3000 : 200)))) {
        const cJSON *m = JGET(e, "message");
        long long th = JINT(m, "thread_id"), seq = JINT(m, "seq");
        int i = 0;
        while (i < KB && b[i].thread != th) i++;
        ASSERT_LT(i, KB);
        ASSERT_EQ(seq, last[i] + 1);
        last[i] = seq;
        events++;
        cJSON_Delete(e);
    }
    ASSERT_EQ(events, KB * KMSG);
    for (int i = 0; i < KB; i++) expo_close(&b[i].c);
    expo_close(&staff);
}

static const struct it_test tests[] = {
    {"two_nodes", test_two_nodes, 120},
    {"public_chat_rules", test_public_chat_rules, 90},
    {"kill9", test_kill9, 180},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
