/* it_chat.c — integration tests of the chat domain across two nodes: delivery in seq order,
 * idempotent resends, resuming from since_seq, and chatting through a PostgreSQL restart.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_chat <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg_proxy.h"
#include "visit.h"

static void test_chat_two_nodes(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 1, &x);
    long long l0 = enter_last_seq(&a, &x);
    ASSERT_EQ(enter_last_seq(&b, &x), l0);

    /* Interleaved sends from both nodes, not waiting for events in between. */
    enum { PER = 5, TOTAL = 2 * PER };
    long long reply_seq[TOTAL];
    char reply_id[TOTAL][64];
    for (int i = 0; i < PER; i++) {
        char text[64], cmid[32];
        struct expo *who[2] = {&a, &b};
        struct user *uw[2] = {&ua, &ub};
        for (int k = 0; k < 2; k++) {
            snprintf(text, sizeof text, "%.40s says %d", uw[k]->name, i);
            snprintf(cmid, sizeof cmid, "%s-%d", k ? "b" : "a", i);
            cJSON *m = SEND_OK(who[k], &x, text, cmid);
            reply_seq[2 * i + k] = CHECK_MESSAGE(m, &x, uw[k], text);
            snprintf(reply_id[2 * i + k], 64, "%s", json_text(JGET(m, "id")));
            cJSON_Delete(m);
        }
    }
    /* Acks are in commit order: strictly increasing, and exactly the next seqs. */
    for (int i = 0; i < TOTAL; i++) ASSERT_EQ(reply_seq[i], l0 + 1 + i);

    /* Both sides see all ten, in the same seq order, the same messages. */
    long long sa[TOTAL], sb[TOTAL];
    char ia[TOTAL][64], ib[TOTAL][64];
    COLLECT_CHAT(&a, &x, TOTAL, sa, ia, it_ms(5000));
    COLLECT_CHAT(&b, &x, TOTAL, sb, ib, it_ms(5000));
    for (int i = 0; i < TOTAL; i++) {
        ASSERT_EQ(sa[i], l0 + 1 + i);
        ASSERT_EQ(sb[i], l0 + 1 + i);
        ASSERT_STR_EQ(ia[i], reply_id[i]);
        ASSERT_STR_EQ(ib[i], reply_id[i]);
    }
    /* No extra (duplicate) events. */
    ASSERT_EQ(expo_count_events(&a, "chat.message", 500), 0);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 0), 0);

    /* History on either node agrees; newest last. */
    cJSON *h = EXPO_OK(&b, "chat.history", "{\"booth_id\":%s,\"limit\":%d}", x.id, TOTAL);
    const cJSON *msgs = JGET(h, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), TOTAL);
    for (int i = 0; i < TOTAL; i++) {
        const cJSON *m = cJSON_GetArrayItem(msgs, i);
        ASSERT_EQ(CHECK_MESSAGE(m, &x, i % 2 ? &ub : &ua, NULL), l0 + 1 + i);
        ASSERT_STR_EQ(json_text(JGET(m, "id")), reply_id[i]);
    }
    cJSON_Delete(h);

    /* A third visitor entering later gets the tail in booth.enter. */
    struct expo c;
    struct user uc;
    visitor(&c, &uc, nb.port, "carol");
    cJSON *e = enter(&c, &x);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + TOTAL);
    msgs = JGET(e, "messages");
    int n = cJSON_GetArraySize(msgs);
    ASSERT_GE(n, TOTAL);
    ASSERT_LE(n, 50);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, n - 1), "seq"), l0 + TOTAL);
    cJSON_Delete(e);

    /* Table: exactly these rows for the booth, gapless. */
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE booth_id = %s AND seq > %lld", sql_id(x.id), l0);
    ASSERT_EQ(psql_long(pg.url, sql), TOTAL);
    snprintf(sql, sizeof sql, "SELECT max(seq) - count(*) FROM chat_messages WHERE booth_id = %s", sql_id(x.id));
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    expo_close(&a);
    expo_close(&b);
    expo_close(&c);
}

static void test_idempotent(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    struct booth x;
    long long l0 = two_in_booth(&a, &ua, "alice", na.port, &b, &ub, "bob", nb.port, 2, &x);

    cJSON *m1 = SEND_OK(&a, &x, "hello once", "dup-1");
    long long seq = CHECK_MESSAGE(m1, &x, &ua, "hello once");
    ASSERT_EQ(seq, l0 + 1);
    char id1[64];
    snprintf(id1, sizeof id1, "%s", json_text(JGET(m1, "id")));

    /* Resend, same and different text: the stored message comes back, nothing new. */
    it_sleep_ms(CHAT_GAP_MS);
    cJSON *m2 = SEND_OK(&a, &x, "hello once", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m2, "id")), id1);
    ASSERT_EQ(JINT(m2, "seq"), seq);
    ASSERT_STR_EQ(JSTR(m2, "text"), "hello once");
    ASSERT_STR_EQ(JSTR(m2, "sent_at"), JSTR(m1, "sent_at"));
    cJSON *m3 = SEND_OK(&a, &x, "hello twice?", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m3, "id")), id1);
    ASSERT_STR_EQ(JSTR(m3, "text"), "hello once");

    /* The ack was "lost": alice reconnects on the other node and resends. */
    expo_drop(&a);
    struct expo a2;
    expo_connect(&a2, nb.port, "alice-again");
    do_resume(&a2, &ua);
    cJSON_Delete(enter(&a2, &x));
    cJSON *m4 = SEND_OK(&a2, &x, "hello once", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m4, "id")), id1);
    ASSERT_EQ(JINT(m4, "seq"), seq);

    /* The key is per author: bob may use the same client_msg_id. */
    cJSON *mb = SEND_OK(&b, &x, "bob's own", "dup-1");
    ASSERT_EQ(CHECK_MESSAGE(mb, &x, &ub, "bob's own"), seq + 1);

    /* Bob saw alice's message exactly once, then his own. */
    long long seqs[2];
    COLLECT_CHAT(&b, &x, 2, seqs, NULL, it_ms(5000));
    ASSERT_EQ(seqs[0], seq);
    ASSERT_EQ(seqs[1], seq + 1);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 1000), 0);

    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'dup-1' AND author_id = %s", sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE booth_id = %s AND seq > %lld", sql_id(x.id), l0);
    ASSERT_EQ(psql_long(pg.url, sql), 2);
    cJSON_Delete(m1);
    cJSON_Delete(m2);
    cJSON_Delete(m3);
    cJSON_Delete(m4);
    cJSON_Delete(mb);
    expo_close(&a2);
    expo_close(&b);
}

static void test_since_seq(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    struct booth x;
    long long l0 = two_in_booth(&a, &ua, "alice", na.port, &b, &ub, "bob", nb.port, 4, &x);

    char ids[7][64];
    for (int i = 0; i < 3; i++) {
        char t[32], k[32];
        snprintf(t, sizeof t, "before drop %d", i);
        snprintf(k, sizeof k, "pre-%d", i);
        cJSON *m = SEND_OK(&b, &x, t, k);
        snprintf(ids[i], 64, "%s", json_text(JGET(m, "id")));
        cJSON_Delete(m);
    }
    long long seen[3];
    COLLECT_CHAT(&a, &x, 3, seen, NULL, it_ms(5000));
    long long last_seen = seen[2];
    ASSERT_EQ(last_seen, l0 + 3);

    /* Alice's connection dies without a close frame; bob keeps talking. */
    expo_drop(&a);
    for (int i = 3; i < 7; i++) {
        char t[32], k[32];
        snprintf(t, sizeof t, "while away %d", i);
        snprintf(k, sizeof k, "gap-%d", i);
        cJSON *m = SEND_OK(&b, &x, t, k);
        snprintf(ids[i], 64, "%s", json_text(JGET(m, "id")));
        cJSON_Delete(m);
        it_sleep_ms(CHAT_GAP_MS);
    }

    /* Alice comes back (other node) and resumes from her last seq: exactly the gap. */
    struct expo a2;
    expo_connect(&a2, nb.port, "alice-back");
    do_resume(&a2, &ua);
    cJSON *e = EXPO_OK(&a2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, last_seen);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 7);
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "truncated");
    if (tr && !cJSON_IsFalse(tr)) FAIL("truncated is %s for a 4-message gap", json_text(tr));
    const cJSON *msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *m = cJSON_GetArrayItem(msgs, i);
        char t[32];
        snprintf(t, sizeof t, "while away %d", i + 3);
        ASSERT_EQ(CHECK_MESSAGE(m, &x, &ub, t), l0 + 4 + i);
        ASSERT_STR_EQ(json_text(JGET(m, "id")), ids[i + 3]);
    }
    cJSON_Delete(e);
    /* Live again: the next message arrives as an event, no duplicate of the gap. */
    cJSON_Delete(SEND_OK(&b, &x, "welcome back", "post-1"));
    long long s1;
    COLLECT_CHAT(&a2, &x, 1, &s1, NULL, it_ms(5000));
    ASSERT_EQ(s1, l0 + 8);
    ASSERT_EQ(expo_count_events(&a2, "chat.message", 300), 0);

    /* since_seq at the head: nothing. */
    struct expo a3;
    expo_connect(&a3, na.port, "alice-tab");
    do_resume(&a3, &ua);
    e = EXPO_OK(&a3, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0 + 8);
    ASSERT_EQ(cJSON_GetArraySize(JGET(e, "messages")), 0);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 8);
    cJSON_Delete(e);

    /* chat.history paging: before_seq and limit, newest last. */
    cJSON *h = EXPO_OK(&a3, "chat.history", "{\"booth_id\":%s,\"before_seq\":%lld,\"limit\":2}", x.id, l0 + 5);
    msgs = JGET(h, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 3);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 1), "seq"), l0 + 4);
    cJSON_Delete(h);
    /* limit above 200: capped, or refused. */
    h = expo_call(&a3, "chat.history", "{\"booth_id\":%s,\"limit\":500}", x.id);
    ASSERT_NOT_NULL(h);
    if (cJSON_IsTrue(JGET(h, "ok"))) ASSERT_LE(cJSON_GetArraySize(JGET(JGET(h, "data"), "messages")), 200);
    else EXPO_CHECK_ERROR(h, "bad_request");
    cJSON_Delete(h);
    expo_close(&a2);
    expo_close(&a3);
    expo_close(&b);
}

static void test_since_seq_truncated(void)
{
    up(1);
    struct expo a;
    struct user ua;
    visitor(&a, &ua, na.port, "alice");
    struct booth x;
    hall_booth(&a, 5, &x);
    long long l0 = enter_last_seq(&a, &x);
    /* 620 messages committed by another writer (schema.sql's chat_append, as a node does). */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM chat_append((SELECT jsonb_agg(jsonb_build_object('booth_id', %s::bigint, "
             "'author_id', %s::bigint, 'text', 'bulk ' || g, 'client_msg_id', 'bulk-' || g) ORDER BY g) "
             "FROM generate_series(1, 620) g))",
             sql_id(x.id), sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), 620);

    struct expo a2;
    expo_connect(&a2, na.port, "alice-2");
    do_resume(&a2, &ua);
    cJSON *e = EXPO_OK(&a2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 620);
    ASSERT_EQ(JBOOL(e, "truncated"), 1);
    const cJSON *msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 500);
    for (int i = 0; i < 500; i++) ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, i), "seq"), l0 + 1 + i);
    cJSON_Delete(e);

    struct expo a3;
    expo_connect(&a3, na.port, "alice-3");
    do_resume(&a3, &ua);
    e = EXPO_OK(&a3, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0 + 500);
    msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 120);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 501);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 119), "seq"), l0 + 620);
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "truncated");
    if (tr && !cJSON_IsFalse(tr)) FAIL("truncated is %s for 120 messages", json_text(tr));
    cJSON_Delete(e);

    /* Without since_seq: the last 50. */
    struct expo a4;
    expo_connect(&a4, na.port, "alice-4");
    do_resume(&a4, &ua);
    e = enter(&a4, &x);
    msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 50);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 571);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 49), "seq"), l0 + 620);
    cJSON_Delete(e);

    /* The first connection was in the booth: the batch reached it as events, in order. */
    long long seqs[620];
    COLLECT_CHAT(&a, &x, 620, seqs, NULL, it_ms(10000));
    for (int i = 0; i < 620; i++) ASSERT_EQ(seqs[i], l0 + 1 + i);
    expo_close(&a);
    expo_close(&a2);
    expo_close(&a3);
    expo_close(&a4);
}

/* ---- PostgreSQL restart while chatting -------------------------------------------------- */

enum { MSG_NEW, MSG_INFLIGHT, MSG_RETRY, MSG_ACKED };

struct pmsg {
    char cmid[32];
    char text[48];
    int state;
    long req;
    double sent_at;
    int attempts;
    long long seq;
    char id[64];
    char last_error[32];
};

struct chatter {
    struct expo c;
    struct user u;
    const char *name;
    int port;
    struct pmsg m[256];
    int n;
    double next_send;
    int connected;      /* open and in the booth */
    int reconnects;
    int errors;         /* error replies */
    long long events[2048]; /* seqs of chat.message events, in arrival order */
    int n_events;
};

static const struct booth *chat_booth;
static double reply_limit_s; /* every request must be answered within this */

static void chatter_collect(struct chatter *ch)
{
    if (!ch->connected) return;
    expo_pump(&ch->c, 0);
    for (int i = 0; i < ch->n; i++) {
        struct pmsg *p = &ch->m[i];
        if (p->state != MSG_INFLIGHT) continue;
        cJSON *r = expo_reply(&ch->c, p->req, 0);
        if (!r) {
            if (ch->c.closed) break;
            if (it_now() - p->sent_at > reply_limit_s)
                FAIL("%s: no reply to chat.send %s within %.1f s", ch->name, p->cmid, reply_limit_s);
            continue;
        }
        if (cJSON_IsTrue(JGET(r, "ok"))) {
            const cJSON *m = JGET(JGET(r, "data"), "message");
            p->seq = CHECK_MESSAGE(m, chat_booth, &ch->u, p->text);
            snprintf(p->id, sizeof p->id, "%s", json_text(JGET(m, "id")));
            p->state = MSG_ACKED;
        } else {
            char code[32];
            expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
            if (strcmp(code, "unavailable") != 0)
                FAIL("%s: chat.send %s failed with %s, expected only \"unavailable\" while the database is away: %s",
                     ch->name, p->cmid, code, json_text(r));
            snprintf(p->last_error, sizeof p->last_error, "%s", code);
            p->state = MSG_RETRY;
            ch->errors++;
        }
        cJSON_Delete(r);
    }
    /* Chat events (others are dropped). */
    for (;;) {
        cJSON *ev = expo_event(&ch->c, "chat.message", 0);
        if (!ev) break;
        const cJSON *m = JGET(ev, "message");
        if (ch->n_events < 2048) ch->events[ch->n_events++] = JINT(m, "seq");
        cJSON_Delete(ev);
    }
    expo_discard_events(&ch->c, NULL);
    if (ch->c.closed) {
        it_log("%s: connection closed (code %d); will reconnect", ch->name, ch->c.close_code);
        ch->connected = 0;
        for (int i = 0; i < ch->n; i++)
            if (ch->m[i].state == MSG_INFLIGHT) ch->m[i].state = MSG_RETRY;
    }
}

/* Tries to get back into the booth; returns 1 when connected again. */
static int chatter_reconnect(struct chatter *ch)
{
    expo_drop(&ch->c);
    if (expo_open(&ch->c, ch->port, ch->name) != WS_OK) return 0;
    cJSON *r = expo_call(&ch->c, "auth.resume", "{\"token\":%s}", json_quote(ch->u.token));
    int ok = r && cJSON_IsTrue(JGET(r, "ok"));
    cJSON_Delete(r);
    if (!ok) return 0;
    r = expo_call(&ch->c, "booth.enter", "{\"booth_id\":%s}", chat_booth->id);
    ok = r && cJSON_IsTrue(JGET(r, "ok"));
    cJSON_Delete(r);
    if (!ok) return 0;
    ch->connected = 1;
    ch->reconnects++;
    it_log("%s: back in the booth", ch->name);
    return 1;
}

/* Sends one message (a retry first, else a new one if allow_new). */
static void chatter_send(struct chatter *ch, int allow_new)
{
    if (!ch->connected || it_now() < ch->next_send) return;
    struct pmsg *p = NULL;
    for (int i = 0; i < ch->n && !p; i++)
        if (ch->m[i].state == MSG_RETRY) p = &ch->m[i];
    if (!p && allow_new && ch->n < 256) {
        p = &ch->m[ch->n];
        snprintf(p->cmid, sizeof p->cmid, "%s-%03d", ch->name, ch->n);
        snprintf(p->text, sizeof p->text, "message %d from %s", ch->n, ch->name);
        p->state = MSG_NEW;
        ch->n++;
    }
    if (!p) return;
    p->req = expo_send(&ch->c, "chat.send", "{\"booth_id\":%s,\"text\":%s,\"client_msg_id\":%s}", chat_booth->id,
                       json_quote(p->text), json_quote(p->cmid));
    p->state = p->req < 0 ? MSG_RETRY : MSG_INFLIGHT;
    p->sent_at = it_now();
    p->attempts++;
    ch->next_send = it_now() + 0.7; /* ~1.4/s: under the chat rate limit */
}

static int chatter_count(const struct chatter *ch, int state)
{
    int n = 0;
    for (int i = 0; i < ch->n; i++) n += ch->m[i].state == state;
    return n;
}

static void chat_phase(struct chatter **chs, int n, double seconds, int allow_new, int reconnect)
{
    double end = it_now() + seconds;
    while (it_now() < end) {
        for (int i = 0; i < n; i++) {
            if (!chs[i]->connected && reconnect) chatter_reconnect(chs[i]);
            chatter_send(chs[i], allow_new);
            chatter_collect(chs[i]);
        }
        it_sleep_ms(20);
    }
}

/* Runs until nothing is in flight (or fails after limit_s). */
static void chat_settle(struct chatter **chs, int n, double limit_s)
{
    double end = it_now() + limit_s;
    for (;;) {
        int inflight = 0;
        for (int i = 0; i < n; i++) {
            chatter_collect(chs[i]);
            inflight += chatter_count(chs[i], MSG_INFLIGHT);
        }
        if (!inflight) return;
        if (it_now() > end) FAIL("%d chat.send requests still unanswered after %.0f s", inflight, limit_s);
        it_sleep_ms(20);
    }
}
static void test_pg_restart_chat(void)
{
    up(2);
    static struct chatter alice, bob;
    struct chatter *chs[2] = {&alice, &bob};
    alice.name = "alice";
    alice.port = na.port;
    bob.name = "bob";
    bob.port = nb.port;
    visitor(&alice.c, &alice.u, na.port, "alice");
    visitor(&bob.c, &bob.u, nb.port, "bob");
    static struct booth x;
    hall_booth(&alice.c, 10, &x);
    chat_booth = &x;
    long long l0 = enter_last_seq(&alice.c, &x);
    enter_last_seq(&bob.c, &x);
    alice.connected = bob.connected = 1;
    reply_limit_s = it_ms(6000) / 1000.0;

    it_log("phase 1: chatting with the database up");
    chat_phase(chs, 2, 3.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    for (int i = 0; i < 2; i++) ASSERT_EQ(chatter_count(chs[i], MSG_RETRY), 0);

    it_log("phase 2: PostgreSQL stopped while chatting");
    pg_stop(&pg);
    chat_phase(chs, 2, 5.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    int errors = alice.errors + bob.errors;
    it_log("errors during the outage: alice %d, bob %d", alice.errors, bob.errors);
    ASSERT_GT(errors, 0);

    it_log("phase 3: PostgreSQL back; retry what failed, keep chatting");
    pg_start_again(&pg);
    double t_back = it_now();
    double recover_limit = it_ms(30000) / 1000.0;
    for (;;) {
        chat_phase(chs, 2, 0.5, 0, 1);
        int open = 0;
        for (int i = 0; i < 2; i++) open += chatter_count(chs[i], MSG_RETRY) + chatter_count(chs[i], MSG_INFLIGHT) +
                                           !chs[i]->connected;
        if (!open) break;
        if (it_now() - t_back > recover_limit)
            FAIL("not recovered %.0f s after PostgreSQL came back: alice %d to retry, %s; bob %d to retry, %s",
                 recover_limit, chatter_count(&alice, MSG_RETRY), alice.connected ? "connected" : "disconnected",
                 chatter_count(&bob, MSG_RETRY), bob.connected ? "connected" : "disconnected");
    }
    it_log("recovered %.1f s after PostgreSQL came back", it_now() - t_back);
    /* Reset the error counters: from here on nothing may fail. */
    int errors_before = alice.errors + bob.errors;
    chat_phase(chs, 2, 3.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    ASSERT_EQ(alice.errors + bob.errors, errors_before);
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(chatter_count(chs[i], MSG_RETRY), 0);
        ASSERT_EQ(chatter_count(chs[i], MSG_ACKED), chs[i]->n);
    }
    /* Let the last events arrive. */
    double drain_end = it_now() + it_ms(3000) / 1000.0;
    while (it_now() < drain_end) {
        chatter_collect(&alice);
        chatter_collect(&bob);
        it_sleep_ms(50);
    }

    /* The table: every acknowledged message exactly once, with its acknowledged seq and id;
     * nothing else; seqs gapless. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT m.client_msg_id || '|' || m.seq || '|' || m.id || '|' || a.email FROM chat_messages m "
             "JOIN accounts a ON a.id = m.author_id WHERE m.booth_id = %s AND m.seq > %lld ORDER BY m.seq",
             sql_id(x.id), l0);
    char *rows = psql_ok(pg.url, sql);
    int total = alice.n + bob.n;
    ASSERT_EQ(it_count_lines(rows), total);
    long long expect_seq = l0 + 1;
    char *save = NULL;
    for (char *line = strtok_r(rows, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char cmid[64], email[128];
        long long seq;
        char id[64];
        if (sscanf(line, "%63[^|]|%lld|%63[^|]|%127s", cmid, &seq, id, email) != 4) FAIL("bad psql row \"%s\"", line);
        ASSERT_EQ(seq, expect_seq);
        expect_seq++;
        struct chatter *ch = strncmp(cmid, "alice-", 6) == 0 ? &alice : &bob;
        if (strcmp(email, ch->u.email) != 0) FAIL("row %s: author %s, expected %s", cmid, email, ch->u.email);
        int found = 0;
        for (int i = 0; i < ch->n; i++) {
            if (strcmp(ch->m[i].cmid, cmid) != 0) continue;
            found = 1;
            if (ch->m[i].seq != seq) FAIL("%s: acknowledged seq %lld, stored %lld", cmid, ch->m[i].seq, seq);
            if (strcmp(ch->m[i].id, id) != 0 && !(ch->m[i].id[0] == '"' && strncmp(ch->m[i].id + 1, id, strlen(id)) == 0))
                FAIL("%s: acknowledged id %s, stored %s", cmid, ch->m[i].id, id);
        }
        if (!found) FAIL("stored message %s was never sent", cmid);
    }
    free(rows);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT author_id, client_msg_id FROM chat_messages WHERE booth_id = %s "
             "GROUP BY 1, 2 HAVING count(*) > 1) d", sql_id(x.id));
    ASSERT_EQ(psql_long(pg.url, sql), 0);

    /* Live delivery: a client that stayed connected saw every message once, in seq order
     * (a node that lost its LISTEN connection catches up from the table). */
    for (int i = 0; i < 2; i++) {
        struct chatter *ch = chs[i];
        it_log("%s: %d events, %d reconnects, %d errors, %d messages", ch->name, ch->n_events, ch->reconnects,
               ch->errors, ch->n);
        if (ch->reconnects) continue;
        if (ch->n_events != total)
            FAIL("%s stayed connected but received %d chat.message events for %d committed messages", ch->name,
                 ch->n_events, total);
        for (int k = 0; k < ch->n_events; k++) ASSERT_EQ(ch->events[k], l0 + 1 + k);
    }
    expo_close(&alice.c);
    expo_close(&bob.c);
}

/* A node delivers its own commits from the batch result and never reads them back from the
 * table on their notification (chat.c skips notifications of its own transactions); another
 * node's commits arrive only by notification, so that node reads them. */
static void test_own_commits_not_reread(void)
{
    const char *const args[] = {"--chat-rate", "200", NULL};
    up_with(2, args);
    enum { SENDERS = 4, PER = 15, TOTAL = SENDERS * PER };
    struct expo s[SENDERS], here, there;
    struct user us[SENDERS], uh, ut;
    for (int i = 0; i < SENDERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "sender%d", i);
        visitor(&s[i], &us[i], na.port, name);
    }
    visitor(&here, &uh, na.port, "here");
    visitor(&there, &ut, nb.port, "there");
    struct booth x;
    hall_booth(&here, 1, &x);
    long long l0 = enter_last_seq(&here, &x);
    enter_last_seq(&there, &x);
    for (int i = 0; i < SENDERS; i++) enter_last_seq(&s[i], &x);
    /* Each enter reads past its last_seq once (booth.c) after answering: count from when
     * those reads are done, i.e. the count holds still for 300 ms. */
    long fetch_a0 = it_statement_runs(na.port, "chat_feed_fetch"), fetch_b0;
    for (long prev = -1; prev != fetch_a0;) {
        prev = fetch_a0;
        it_sleep_ms(300);
        fetch_a0 = it_statement_runs(na.port, "chat_feed_fetch");
    }
    fetch_b0 = it_statement_runs(nb.port, "chat_feed_fetch");

    /* Rounds of one message per sender, all sent before any ack is read: batches of up to
     * four, committed back to back. */
    for (int k = 0; k < PER; k++) {
        long id[SENDERS];
        for (int i = 0; i < SENDERS; i++)
            id[i] = expo_send(&s[i], "chat.send", "{\"booth_id\":%s,\"text\":\"round %d from %d\",\"client_msg_id\":\"own-%d-%d\"}",
                              x.id, k, i, k, i);
        for (int i = 0; i < SENDERS; i++) {
            cJSON *r = expo_reply(&s[i], id[i], it_ms(10000));
            if (!r || !cJSON_IsTrue(JGET(r, "ok"))) FAIL("round %d, sender %d: %s", k, i, r ? json_text(r) : "no reply");
            cJSON_Delete(r);
        }
    }
    long long seqs_here[TOTAL], seqs_there[TOTAL];
    COLLECT_CHAT(&here, &x, TOTAL, seqs_here, NULL, it_ms(5000));
    COLLECT_CHAT(&there, &x, TOTAL, seqs_there, NULL, it_ms(5000));
    for (int i = 0; i < TOTAL; i++) {
        ASSERT_EQ(seqs_here[i], l0 + 1 + i);
        ASSERT_EQ(seqs_there[i], l0 + 1 + i);
    }
    ASSERT_EQ(expo_count_events(&here, "chat.message", 300), 0);
    ASSERT_EQ(expo_count_events(&there, "chat.message", 0), 0);

    long fetch_a = it_statement_runs(na.port, "chat_feed_fetch") - fetch_a0;
    long fetch_b = it_statement_runs(nb.port, "chat_feed_fetch") - fetch_b0;
    it_log("table reads of the chat feed: %ld on the senders' node, %ld on the other", fetch_a, fetch_b);
    ASSERT_EQ(fetch_a, 0);
    ASSERT_GE(fetch_b, 1);
    for (int i = 0; i < SENDERS; i++) expo_close(&s[i]);
    expo_close(&here);
    expo_close(&there);
}

/* A cluster, the relay before it, and node-a (with the demo) connected through the relay. */
static void up_behind_proxy(struct pg_proxy *px)
{
    pg_start(&pg);
    pg_proxy_start(px, pg.url);
    struct boothd_opts o = {.db_url = px->url, .node_id = "node-a", .demo = 1};
    boothd_start(&na, &o, 40000);
}

/* A chat batch committed by PostgreSQL whose result never reached the node: the connection
 * is lost between the commit and the answer (a relay between boothd and PostgreSQL keeps the
 * answer and closes the connection once the transaction is over), and the commit's
 * notification is lost with it (the node would skip it as its own anyway). The sender is
 * answered `unavailable`; the node reads that booth from the table, so every member still
 * gets the message, once; the resend with the same client_msg_id is answered with the stored
 * message (duplicate) and delivers nothing again. */
static void test_lost_result(void)
{
    struct pg_proxy px;
    up_behind_proxy(&px);
    struct expo a, b;
    struct user ua, ub;
    struct booth x;
    long long l0 = two_in_booth(&a, &ua, "alice", na.port, &b, &ub, "bob", na.port, 1, &x);
    it_sleep_ms(300);
    forget_events(&a);
    forget_events(&b);
    long fetch0 = it_statement_runs(na.port, "chat_feed_fetch");

    pg_proxy_arm(&px, "chat_append", "boothd_chat");
    long id = expo_send(&a, "chat.send", "{\"booth_id\":%s,\"text\":\"lost on the way back\",\"client_msg_id\":\"lost-1\"}", x.id);
    cJSON *r = expo_reply(&a, id, it_ms(10000));
    if (!r) FAIL("chat.send got no answer after its connection was cut");
    EXPO_CHECK_ERROR(r, "unavailable");
    cJSON_Delete(r);
    ASSERT_EQ(pg_proxy_cuts(&px), 1);
    /* the commit's notification reaches the LISTEN connection on its own time */
    for (double t0 = it_now(); pg_proxy_dropped(&px) == 0 && it_now() - t0 < it_ms(5000) / 1000.0;) it_sleep_ms(20);
    ASSERT_EQ(pg_proxy_dropped(&px), 1);
    /* PostgreSQL did commit it: the window this test is about */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'lost-1'"), 1);

    long long seq_a[1], seq_b[1];
    COLLECT_CHAT(&b, &x, 1, seq_b, NULL, it_ms(5000));
    COLLECT_CHAT(&a, &x, 1, seq_a, NULL, it_ms(5000));
    ASSERT_EQ(seq_b[0], l0 + 1);
    ASSERT_EQ(seq_a[0], l0 + 1);
    ASSERT_GE(it_statement_runs(na.port, "chat_feed_fetch") - fetch0, 1);

    /* the client's retry: the stored message, not a second one */
    id = expo_send(&a, "chat.send", "{\"booth_id\":%s,\"text\":\"lost on the way back\",\"client_msg_id\":\"lost-1\"}", x.id);
    r = expo_reply(&a, id, it_ms(10000));
    if (!r || !cJSON_IsTrue(JGET(r, "ok"))) FAIL("the resend: %s", r ? json_text(r) : "no reply");
    const cJSON *d = JGET(r, "data");
    ASSERT_TRUE(cJSON_IsTrue(JGET(d, "duplicate")));
    ASSERT_EQ(JINT(JGET(d, "message"), "seq"), l0 + 1);
    cJSON_Delete(r);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 500), 0);
    ASSERT_EQ(expo_count_events(&a, "chat.message", 0), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'lost-1'"), 1);

    /* the node is whole again: a new message goes through as usual */
    cJSON_Delete(SEND_OK(&a, &x, "after the cut", "lost-2"));
    COLLECT_CHAT(&b, &x, 1, seq_b, NULL, it_ms(5000));
    ASSERT_EQ(seq_b[0], l0 + 2);
    expo_close(&a);
    expo_close(&b);
    boothd_stop(&na);
    pg_proxy_stop(&px);
}

/* A room whose first member is still entering has no chat cursor, and its node drops what it
 * hears for that booth meanwhile. Here a message is committed (on the other node) after the
 * enter's statement read the booth and before its answer reached the node (the relay keeps it
 * back), so its notification is dropped: the enter must have the chat feed read what came
 * above the cursor it sets, or the member never gets that message. */
static void test_first_enter_misses_nothing(void)
{
    struct pg_proxy px;
    up_behind_proxy(&px);
    struct boothd_opts ob = {.db_url = pg.url, .node_id = "node-b"};
    boothd_start(&nb, &ob, 41000);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 2, &x);
    cJSON *e = enter(&b, &x);
    long long before = JINT(e, "last_seq");
    cJSON_Delete(e);

    pg_proxy_hold(&px, "presence_apply");
    long id = expo_send(&a, "booth.enter", "{\"booth_id\":%s}", x.id);
    for (double t0 = it_now(); !pg_proxy_held(&px) && it_now() - t0 < it_ms(5000) / 1000.0;) it_sleep_ms(10);
    ASSERT_TRUE(pg_proxy_held(&px));
    double heard0 = it_metric(na.port, "boothd_notify_received_total", "boothd_chat");
    cJSON *m = SEND_OK(&b, &x, "sent while alice was entering", "first-enter-1");
    long long seq = JINT(m, "seq");
    cJSON_Delete(m);
    ASSERT_EQ(seq, before + 1);
    for (double t0 = it_now(); it_metric(na.port, "boothd_notify_received_total", "boothd_chat") == heard0;) {
        if (it_now() - t0 > it_ms(5000) / 1000.0) FAIL("node-a did not hear the message's notification");
        it_sleep_ms(20);
    }
    pg_proxy_release(&px);
    cJSON *r = expo_reply(&a, id, it_ms(10000));
    if (!r || !cJSON_IsTrue(JGET(r, "ok"))) FAIL("booth.enter: %s", r ? json_text(r) : "no reply");
    ASSERT_EQ(JINT(JGET(r, "data"), "last_seq"), before);     /* read before the message: the window */
    cJSON_Delete(r);
    long long got[1];
    COLLECT_CHAT(&a, &x, 1, got, NULL, it_ms(5000));
    ASSERT_EQ(got[0], seq);
    expo_close(&a);
    expo_close(&b);
    boothd_stop(&na);
    boothd_stop(&nb);
    pg_proxy_stop(&px);
}

/* --event-hold-ms: after a slice of events, the next waits for the hold, so a member's events
 * share a write; an event after a quiet spell goes at once; replies never wait, and a reply
 * takes its connection's waiting events along, in order. */
static void test_event_hold(void)
{
    enum { HOLD_MS = 800 };
    const char *const args[] = {"--event-hold-ms", "800", "--chat-rate", "200", NULL};
    up_with(1, args);
    struct expo a, b;
    struct user ua, ub;
    struct booth x;
    long long l0 = two_in_booth(&a, &ua, "alice", na.port, &b, &ub, "bob", na.port, 1, &x);
    /* the enters' presence events started slices: let their hold pass, then start clean */
    it_sleep_ms(HOLD_MS + 300);
    forget_events(&a);
    forget_events(&b);

    /* 1. After a quiet spell an event is not held. */
    double t0 = it_now();
    cJSON_Delete(SEND_OK(&a, &x, "first", "hold-1"));
    cJSON *e = expo_event(&b, "chat.message", it_ms(5000));
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(JINT(JGET(e, "message"), "seq"), l0 + 1);
    cJSON_Delete(e);
    double t1 = it_now();
    it_log("first message reached bob after %.0f ms", (t1 - t0) * 1000);

    /* 2. Right after that slice: the ack comes at once, bob's event when the hold is over
     *    (the slice that wrote "first" started after t0). */
    double ts2 = it_now();
    cJSON_Delete(SEND_OK(&a, &x, "second", "hold-2"));
    double ta2 = it_now();
    e = expo_event(&b, "chat.message", it_ms(5000));
    double t2 = it_now();
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(JINT(JGET(e, "message"), "seq"), l0 + 2);
    cJSON_Delete(e);
    it_log("second: ack after %.0f ms, bob's event %.0f ms after the first was sent",
           (ta2 - ts2) * 1000, (t2 - t0) * 1000);
    ASSERT_GE((long)((t2 - t0) * 1000), HOLD_MS - 20);
    ASSERT_GE((long)((t2 - ta2) * 1000), HOLD_MS / 4);

    /* 3. Held again (the slice that wrote "second" just started a hold): bob asks something,
     *    and his reply takes the waiting event along, ahead of it. */
    cJSON_Delete(SEND_OK(&a, &x, "third", "hold-3"));
    double tp = it_now();
    cJSON_Delete(EXPO_OK(&b, "sys.ping", NULL));
    double tq = it_now();
    e = expo_event(&b, "chat.message", 0);      /* already in the inbox: it came before the reply */
    ASSERT_TRUE(e != NULL);
    ASSERT_EQ(JINT(JGET(e, "message"), "seq"), l0 + 3);
    cJSON_Delete(e);
    it_log("third: bob's ping answered after %.0f ms, with the waiting event", (tq - tp) * 1000);
    ASSERT_LE((long)((tq - tp) * 1000), HOLD_MS / 2 * (it_ms(1000) / 1000));
    ASSERT_EQ(expo_count_events(&b, "chat.message", HOLD_MS + 200), 0);
    ASSERT_GE((long)it_metric(na.port, "boothd_ws_events_held_total", ""), 1);
    expo_close(&a);
    expo_close(&b);
}

/* ---- authorization and input limits ----------------------------------------------------- */

static const struct it_test tests[] = {
    {"chat_two_nodes", test_chat_two_nodes, 120},
    {"idempotent_resend", test_idempotent, 120},
    {"since_seq_resume", test_since_seq, 120},
    {"since_seq_truncated", test_since_seq_truncated, 120},
    {"pg_restart_chat", test_pg_restart_chat, 180},
    {"own_commits_not_reread", test_own_commits_not_reread, 120},
    {"event_hold", test_event_hold, 120},
    {"lost_result", test_lost_result, 120},
    {"first_enter_misses_nothing", test_first_enter_misses_nothing, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
