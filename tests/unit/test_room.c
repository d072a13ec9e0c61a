/* Unit tests for core/room.c: membership (one object in two indexes), the member states
 * ENTERING -> LIVE <-> CATCHING_UP, the ring and the delivery cursor. No sockets, no database:
 * sessions get a transport that only counts write requests. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/room.h"
#include "core/session.h"

static int wants;
static void want_write(void *handle, bool reply) { (void)handle; (void)reply; wants++; }
static const struct session_transport transport = {.want_write = want_write};

static int gone_calls;
static void on_gone(void *arg, struct session *s)
{
    gone_calls++;
    rooms_session_gone(arg, s);
}

static struct session *open_session(struct sessions *all)
{
    static int handle;
    return session_new(all, &handle, &transport, "127.0.0.1", 0);
}

/* The seqs of the chat.message-like payloads "m<seq>" queued on s, as "1,2,3"; drains it. */
static void drain(struct session *s, char *out, size_t len)
{
    out[0] = 0;
    struct outmsg *m;
    while ((m = session_next_out(s))) {
        size_t l = strlen(out);
        snprintf(out + l, len - l, "%s%s", l ? "," : "", (const char *)outmsg_payload(m) + 1);
        outmsg_unref(m);
    }
}

static void deliver(struct rooms *rs, int64_t booth, int64_t seq)
{
    char text[24];
    snprintf(text, sizeof text, "m%lld", (long long)seq);
    struct outmsg *m = outmsg_new(text, strlen(text));
    room_deliver(rs, booth, seq, m, NULL);
    outmsg_unref(m);
}

/* A hidden message: "P<seq>" is everyone's placeholder, "S<seq>" the staff's form. */
static void deliver_hidden(struct rooms *rs, int64_t booth, int64_t seq)
{
    char text[24];
    snprintf(text, sizeof text, "xP%lld", (long long)seq);
    struct outmsg *m = outmsg_new(text, strlen(text));
    snprintf(text, sizeof text, "xS%lld", (long long)seq);
    struct outmsg *mp = outmsg_new(text, strlen(text));
    room_deliver(rs, booth, seq, m, mp);
    outmsg_unref(m);
    outmsg_unref(mp);
}

static void test_membership(void)
{
    struct rooms *rs = rooms_new();
    struct sessions *all = sessions_new(2, on_gone, rs);
    struct session *a = open_session(all), *b = open_session(all);
    struct member *ma = room_join(rs, 7, a);
    CHECK(ma != NULL);
    CHECK_INT(ma->state, MEMBER_ENTERING);
    CHECK(room_member(a, 7) == ma);
    CHECK(room_member(a, 8) == NULL);
    CHECK(room_member(b, 7) == NULL);
    room_join(rs, 7, b);
    room_join(rs, 8, b);
    CHECK_INT(room_size(rs, 7), 2);
    CHECK_INT(room_size(rs, 8), 1);
    CHECK_INT(b->n_rooms, 2);
    /* a session is in at most SESSION_MAX_BOOTHS rooms */
    for (int64_t id = 100; id < 100 + SESSION_MAX_BOOTHS - 1; id++) CHECK(room_join(rs, id, a) != NULL);
    CHECK(room_join(rs, 999, a) == NULL);
    CHECK_INT(a->n_rooms, SESSION_MAX_BOOTHS);
    /* leaving keeps the other member's index right (swap-remove) */
    room_leave(rs, ma);
    CHECK(room_member(a, 7) == NULL);
    CHECK_INT(room_size(rs, 7), 1);
    CHECK(room_member(b, 7)->room != NULL);
    CHECK_INT(room_member(b, 7)->index, 0);
    /* the last member takes the room with it */
    room_leave(rs, room_member(b, 8));
    CHECK_INT(room_size(rs, 8), 0);
    CHECK_INT(room_seq(rs, 8), -1);
    /* closing a session leaves every room (through the registry's gone hook) */
    session_closed(a);
    CHECK_INT(gone_calls, 1);
    CHECK_INT(room_size(rs, 100), 0);
    CHECK_INT(sessions_count(all), 1);
    session_closed(b);
    CHECK_INT(room_size(rs, 7), 0);
    /* a session in no room holds no room array (memory per idle session, issue 15) */
    struct session *c = open_session(all);
    CHECK(c->rooms == NULL);
    struct member *mc = room_join(rs, 9, c);
    CHECK(c->rooms != NULL && c->rooms[0] == mc);
    room_leave(rs, mc);
    CHECK(c->rooms == NULL && c->n_rooms == 0);
    session_closed(c);
    sessions_free(all);
    rooms_free(rs);
}

static void test_delivery_states(void)
{
    char got[256];
    struct rooms *rs = rooms_new();
    struct sessions *all = sessions_new(2, on_gone, rs);
    struct session *a = open_session(all), *b = open_session(all);
    struct member *ma = room_join(rs, 1, a);
    /* ENTERING: nothing is delivered, but the ring keeps it */
    deliver(rs, 1, 5);
    drain(a, got, sizeof got);
    CHECK_STR(got, "");
    CHECK_INT(room_seq(rs, 1), 5);
    /* the reply carried up to 4: seq 5 comes from the ring, then LIVE */
    CHECK(room_entered(ma, 4));
    CHECK_INT(ma->state, MEMBER_LIVE);
    CHECK_INT(ma->seq, 5);
    drain(a, got, sizeof got);
    CHECK_STR(got, "5");
    deliver(rs, 1, 6);
    deliver(rs, 1, 6);              /* a repeat (NOTIFY and own commit) is not sent twice */
    drain(a, got, sizeof got);
    CHECK_STR(got, "6");
    /* a second member whose reply is ahead of the room's cursor waits for the room */
    struct member *mb = room_join(rs, 1, b);
    CHECK(room_entered(mb, 8));
    CHECK_INT(mb->seq, 8);
    deliver(rs, 1, 7);
    deliver(rs, 1, 8);
    deliver(rs, 1, 9);
    drain(a, got, sizeof got);
    CHECK_STR(got, "7,8,9");
    drain(b, got, sizeof got);
    CHECK_STR(got, "9");
    session_closed(a);
    session_closed(b);
    sessions_free(all);
    rooms_free(rs);
}

static void test_catching_up(void)
{
    char got[1024];
    struct rooms *rs = rooms_new();
    struct sessions *all = sessions_new(2, on_gone, rs);
    struct session *a = open_session(all), *b = open_session(all);
    struct member *ma = room_join(rs, 3, a);
    CHECK(room_entered(ma, 0));
    for (int64_t q = 1; q <= ROOM_RING + 10; q++) deliver(rs, 3, q);
    drain(a, got, sizeof got);
    /* b's reply ended at 2: the ring no longer reaches back that far */
    struct member *mb = room_join(rs, 3, b);
    CHECK(!room_entered(mb, 2));
    CHECK_INT(mb->state, MEMBER_CATCHING_UP);
    CHECK_INT(mb->seq, 2);
    deliver(rs, 3, ROOM_RING + 11);         /* paused while catching up */
    drain(b, got, sizeof got);
    CHECK_STR(got, "");
    /* the ring holds the last ROOM_RING (12..139); the table gave it up to 10: still short */
    CHECK(!room_catch_up(mb, 10));
    CHECK_INT(mb->state, MEMBER_CATCHING_UP);
    /* up to ROOM_RING: the ring has the rest */
    CHECK(room_catch_up(mb, ROOM_RING));
    CHECK_INT(mb->state, MEMBER_LIVE);
    CHECK_INT(mb->seq, ROOM_RING + 11);
    drain(b, got, sizeof got);
    char want[256];
    snprintf(want, sizeof want, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", ROOM_RING + 1, ROOM_RING + 2, ROOM_RING + 3,
             ROOM_RING + 4, ROOM_RING + 5, ROOM_RING + 6, ROOM_RING + 7, ROOM_RING + 8, ROOM_RING + 9,
             ROOM_RING + 10, ROOM_RING + 11);
    CHECK_STR(got, want);
    member_transition(mb, MEMBER_LIVE, mb->seq);
    CHECK_INT(mb->state, MEMBER_LIVE);
    session_closed(a);
    session_closed(b);
    sessions_free(all);
    rooms_free(rs);
}

/* Moderation: each member gets the form of a hidden message its role may see, live and from
 * the ring; a message hidden after it entered the ring is never served from it; a hide
 * announced before the message arrived is remembered until it is delivered. */
static void test_hidden(void)
{
    char got[256];
    struct rooms *rs = rooms_new();
    struct sessions *all = sessions_new(8, on_gone, rs);
    struct session *v = open_session(all), *st = open_session(all), *o = open_session(all);
    struct member *mv = room_join(rs, 1, v), *ms = room_join(rs, 1, st), *mo = room_join(rs, 1, o);
    snprintf(mv->role, sizeof mv->role, "visitor");
    snprintf(ms->role, sizeof ms->role, "staff");
    snprintf(mo->role, sizeof mo->role, "organizer");
    CHECK(!member_privileged(mv));
    CHECK(member_privileged(ms));
    CHECK(member_privileged(mo));
    CHECK(room_entered(mv, 0) && room_entered(ms, 0) && room_entered(mo, 0));
    deliver(rs, 1, 1);
    deliver_hidden(rs, 1, 2);
    drain(v, got, sizeof got);
    CHECK_STR(got, "1,P2");
    drain(st, got, sizeof got);
    CHECK_STR(got, "1,S2");
    drain(o, got, sizeof got);
    CHECK_STR(got, "1,S2");

    /* catching up from the ring: each its own form */
    struct session *v2 = open_session(all), *st2 = open_session(all);
    struct member *mv2 = room_join(rs, 1, v2), *ms2 = room_join(rs, 1, st2);
    snprintf(mv2->role, sizeof mv2->role, "visitor");
    snprintf(ms2->role, sizeof ms2->role, "staff");
    CHECK(room_entered(mv2, 0));
    CHECK(room_entered(ms2, 0));
    drain(v2, got, sizeof got);
    CHECK_STR(got, "1,P2");
    drain(st2, got, sizeof got);
    CHECK_STR(got, "1,S2");

    /* seq 3 delivered with its text, then hidden: the ring no longer serves 3 to anyone; a
     * member behind it is read from the table (CATCHING_UP) */
    deliver(rs, 1, 3);
    room_hidden(rs, 1, 3);
    CHECK(!room_hidden_pending(rs, 1, 3));
    struct session *v3 = open_session(all), *st3 = open_session(all);
    struct member *mv3 = room_join(rs, 1, v3), *ms3 = room_join(rs, 1, st3);
    snprintf(mv3->role, sizeof mv3->role, "visitor");
    snprintf(ms3->role, sizeof ms3->role, "staff");
    CHECK(!room_entered(mv3, 2));
    CHECK_INT(mv3->state, MEMBER_CATCHING_UP);
    CHECK(!room_entered(ms3, 1));
    drain(v3, got, sizeof got);
    CHECK_STR(got, "");
    drain(st3, got, sizeof got);
    CHECK_STR(got, "");
    /* the table gave them up to 3 (in their forms): the ring has nothing more, LIVE */
    CHECK(room_catch_up(mv3, 3));
    CHECK(room_catch_up(ms3, 3));

    /* seq 5 hidden before this node delivered it: pending until delivered (hidden), not 4; a
     * member whose read is out (ENTERING) is told to read again, LIVE ones are not */
    struct session *late = open_session(all);
    struct member *ml = room_join(rs, 1, late);
    room_hidden(rs, 1, 5);
    CHECK(ml->reread);
    CHECK(!mv->reread && !mv3->reread);
    room_leave(rs, ml);
    session_closed(late);
    CHECK(room_hidden_pending(rs, 1, 5));
    CHECK(!room_hidden_pending(rs, 1, 4));
    room_hidden(rs, 1, 5);                  /* twice: one entry */
    deliver(rs, 1, 4);
    CHECK(room_hidden_pending(rs, 1, 5));
    deliver_hidden(rs, 1, 5);
    CHECK(!room_hidden_pending(rs, 1, 5));
    drain(v3, got, sizeof got);
    CHECK_STR(got, "4,P5");
    drain(st3, got, sizeof got);
    CHECK_STR(got, "4,S5");
    /* more pending hides than slots: the lowest ones (delivered next) are kept */
    for (int64_t q = 20; q > 20 - 2 * 8; q--) room_hidden(rs, 1, q);
    CHECK(room_hidden_pending(rs, 1, 5 + 1));
    CHECK(room_hidden_pending(rs, 1, 5 + 8));
    CHECK(!room_hidden_pending(rs, 1, 20));

    /* an event in two forms (chat.hidden) */
    drain(v, got, sizeof got);
    drain(st, got, sizeof got);
    struct outmsg *pe = outmsg_new("xP", 2), *se = outmsg_new("xS", 2);
    CHECK_INT(room_publish_split(rs, 1, pe, se), 7);
    outmsg_unref(pe);
    outmsg_unref(se);
    drain(v, got, sizeof got);
    CHECK_STR(got, "P");
    drain(st, got, sizeof got);
    CHECK_STR(got, "S");
    struct session *each[] = {v, st, o, v2, st2, v3, st3};
    for (size_t i = 0; i < sizeof each / sizeof *each; i++) session_closed(each[i]);
    sessions_free(all);
    rooms_free(rs);
}

int main(void)
{
    test_membership();
    test_delivery_states();
    test_catching_up();
    test_hidden();
    return check_report("test_room");
}
