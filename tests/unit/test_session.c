/* Unit tests for core/session.c: the registry, the index from account to sessions, and the
 * bounded outbound queue. No sockets: the transport only counts write requests. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/session.h"

static int wants, reply_wants;
static void want_write(void *handle, bool reply) { (void)handle; wants++; reply_wants += reply; }
static const struct session_transport transport = {.want_write = want_write};

static struct session *open_session(struct sessions *all)
{
    static int handle;
    return session_new(all, &handle, &transport, "127.0.0.1", 0);
}

static int visits;
static void count_visit(struct session *s, void *arg) { (void)s; (void)arg; visits++; }

static void test_sessions(void)
{
    struct sessions *all = sessions_new(2, NULL, NULL);
    struct session *a = open_session(all), *b = open_session(all), *c = open_session(all);
    CHECK(a->id != b->id);
    CHECK_INT(sessions_count(all), 3);
    session_set_identity(a, 42, ROLE_VISITOR, "A", NULL, "");
    session_set_identity(b, 42, ROLE_VISITOR, "A again", NULL, "");
    session_set_identity(c, 42 + 4096, ROLE_VISITOR, "C", NULL, "");   /* likely the same bucket */
    visits = 0;
    sessions_foreach_of_account(all, 42, count_visit, NULL);
    CHECK_INT(visits, 2);
    visits = 0;
    sessions_foreach_of_account(all, 42 + 4096, count_visit, NULL);
    CHECK_INT(visits, 1);
    /* signing in as someone else moves the session in the index; signing out drops it */
    session_set_identity(b, 7, ROLE_EXHIBITOR, "B", "Co", "");
    session_clear_identity(a);
    visits = 0;
    sessions_foreach_of_account(all, 42, count_visit, NULL);
    CHECK_INT(visits, 0);
    visits = 0;
    sessions_foreach_of_account(all, 7, count_visit, NULL);
    CHECK_INT(visits, 1);
    /* a closing session is not visited; a closed one is unlinked */
    session_close(b, 1001, "bye");
    visits = 0;
    sessions_foreach_of_account(all, 7, count_visit, NULL);
    CHECK_INT(visits, 0);
    session_closed(b);
    visits = 0;
    sessions_foreach(all, count_visit, NULL);
    CHECK_INT(visits, 2);
    session_closed(a);
    session_closed(c);
    CHECK_INT(sessions_count(all), 0);
    sessions_free(all);
}

static void test_queue_bound(void)
{
    struct sessions *all = sessions_new(2, NULL, NULL);
    struct session *s = open_session(all);
    wants = reply_wants = 0;
    struct outmsg *m = outmsg_new("x", 1);
    for (int i = 0; i < SESSION_QUEUE_MAX; i++) CHECK_INT(session_send(s, m), 0);
    CHECK_INT(wants, 1);                            /* asked to write once, when it became non-empty */
    CHECK_INT(reply_wants, 0);
    outmsg_unref(session_next_out(s));
    /* a reply behind queued events asks again, as a reply (it is written before events) */
    CHECK_INT(session_send_reply(s, m), 0);
    CHECK_INT(wants, 2);
    CHECK_INT(reply_wants, 1);
    CHECK_INT(session_send_reply(s, m), -1);        /* overflow: the reader is too slow */
    CHECK_INT(s->state, SESSION_CLOSING);
    CHECK_INT(s->close_code, 1008);
    CHECK_INT(session_send(s, m), -1);
    outmsg_unref(m);
    session_closed(s);
    sessions_free(all);
}

/* Idle sessions hold no queue memory: a short queue lives in the session's inline slots, a
 * longer one on the heap, kept while it drains and fills again (a busy room's member) and
 * given back by session_trim once empty; messages come out in order across the switches. */
static void test_queue_inline(void)
{
    struct sessions *all = sessions_new(2, NULL, NULL);
    struct session *s = open_session(all);
    struct outmsg *m[20];
    for (int i = 0; i < 20; i++) m[i] = outmsg_new("x", 1);
    CHECK(s->q == s->q_inline);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < SESSION_QUEUE_INLINE; i++) CHECK_INT(session_send(s, m[i]), 0);
        CHECK(s->q == s->q_inline);
        CHECK(session_next_out(s) == m[0]);          /* the ring wraps inside the inline slots */
        outmsg_unref(m[0]);
        for (int i = SESSION_QUEUE_INLINE; i < 20; i++) CHECK_INT(session_send(s, m[i]), 0);
        CHECK(s->q != s->q_inline);
        for (int i = 1; i < 20; i++) {
            struct outmsg *o = session_next_out(s);
            CHECK(o == m[i]);
            outmsg_unref(o);
        }
        CHECK(session_next_out(s) == NULL);
        CHECK(s->q != s->q_inline);                  /* drained: the array is kept... */
        struct outmsg **grown = s->q;
        for (int i = 0; i < 12; i++) CHECK_INT(session_send(s, m[i]), 0);
        CHECK(s->q == grown);                        /* ...and filled again without a malloc */
        CHECK(session_next_out(s) == m[0]);          /* the refill started at slot 0 */
        outmsg_unref(m[0]);
        session_trim(s);                             /* not empty: trim keeps it */
        CHECK(s->q == grown);
        for (int i = 1; i < 12; i++) {
            struct outmsg *o = session_next_out(s);
            CHECK(o == m[i]);
            outmsg_unref(o);
        }
        session_trim(s);
        CHECK(s->q == s->q_inline);                  /* empty and trimmed: back inline */
    }
    /* a queue dropped on close (the close reason is kept, truncated to fit a close frame) */
    for (int i = 0; i < 5; i++) CHECK_INT(session_send(s, m[i]), 0);
    char reason[200];
    memset(reason, 'r', sizeof reason - 1);
    reason[sizeof reason - 1] = 0;
    session_close(s, 1008, reason);
    CHECK_INT((int)strlen(s->close_reason), SESSION_CLOSE_REASON_MAX);
    session_closed(s);
    for (int i = 0; i < 20; i++) outmsg_unref(m[i]);
    sessions_free(all);
}

int main(void)
{
    test_sessions();
    test_queue_bound();
    test_queue_inline();
    return check_report("test_session");
}
