/* Unit tests for net/flush_queue.c: replies before events, FIFO within a class, a reply
 * promoting a connection queued for events, removal from either class, and the per-turn
 * budget of events (with a clock the test moves) and the rounds of --event-hold-ms. */
#include "check.h"
#include "net/flush_queue.h"

#include <stddef.h>

static struct flush_link links[8];

static int idx(const struct flush_link *l) { return l ? (int)(l - links) : -1; }

static void reset(struct flush_queue *q)
{
    *q = (struct flush_queue){0};
    for (int i = 0; i < 8; i++) links[i] = (struct flush_link){0};
}

static void test_order(void)
{
    struct flush_queue q;
    reset(&q);
    CHECK(flush_queue_empty(&q));
    CHECK(flush_queue_pop(&q) == NULL);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    flush_queue_push(&q, &links[2], FLUSH_REPLY);
    flush_queue_push(&q, &links[3], FLUSH_EVENT);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);      /* already queued: keeps its place */
    flush_queue_push(&q, &links[4], FLUSH_REPLY);
    CHECK(!flush_queue_empty(&q));
    /* replies in the order queued, then events in the order queued */
    CHECK_INT(idx(flush_queue_pop(&q)), 2);
    CHECK_INT(idx(flush_queue_pop(&q)), 4);
    CHECK_INT(idx(flush_queue_pop(&q)), 0);
    CHECK_INT(links[0].cls, FLUSH_NONE);
    CHECK_INT(idx(flush_queue_pop(&q)), 1);
    CHECK_INT(idx(flush_queue_pop(&q)), 3);
    CHECK(flush_queue_pop(&q) == NULL);
    CHECK(flush_queue_empty(&q));
}

static void test_promote_and_remove(void)
{
    struct flush_queue q;
    reset(&q);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    flush_queue_push(&q, &links[2], FLUSH_EVENT);
    flush_queue_push(&q, &links[5], FLUSH_REPLY);
    /* a reply for a connection with events queued: it moves behind the replies */
    flush_queue_push(&q, &links[1], FLUSH_REPLY);
    CHECK_INT(links[1].cls, FLUSH_REPLY);
    /* an event for a connection queued with a reply changes nothing */
    flush_queue_push(&q, &links[5], FLUSH_EVENT);
    CHECK_INT(links[5].cls, FLUSH_REPLY);
    /* removal from the middle and the ends of both classes */
    flush_queue_remove(&q, &links[2]);
    flush_queue_remove(&q, &links[2]);                 /* not queued: nothing */
    flush_queue_remove(&q, &links[7]);
    CHECK_INT(idx(flush_queue_pop(&q)), 5);
    CHECK_INT(idx(flush_queue_pop(&q)), 1);
    CHECK_INT(idx(flush_queue_pop(&q)), 0);
    CHECK(flush_queue_empty(&q));
    /* the tail pointers stayed right: appending after removals keeps the order */
    flush_queue_push(&q, &links[3], FLUSH_EVENT);
    flush_queue_push(&q, &links[4], FLUSH_EVENT);
    flush_queue_remove(&q, &links[4]);
    flush_queue_push(&q, &links[6], FLUSH_EVENT);
    CHECK_INT(idx(flush_queue_pop(&q)), 3);
    CHECK_INT(idx(flush_queue_pop(&q)), 6);
    CHECK(flush_queue_empty(&q));
    /* an unknown class queues nothing */
    flush_queue_push(&q, &links[0], FLUSH_NONE);
    CHECK(flush_queue_empty(&q));
}

static uint64_t clock_ns;
static unsigned clock_reads;
static uint64_t test_clock(void) { clock_reads++; return clock_ns; }

static void test_budget(void)
{
    /* 2,000 event links: more than fit in a turn once the clock has moved past the budget */
    static struct flush_link many[2000];
    struct flush_queue q = {0};
    for (int i = 0; i < 2000; i++) flush_queue_push(&q, &many[i], FLUSH_EVENT);
    flush_queue_push(&q, &links[0], FLUSH_REPLY);

    clock_ns = 1000;
    clock_reads = 0;
    struct flush_turn t = {.start_ns = 1000, .now_ns = test_clock};
    /* within the budget everything may go; the clock is read once per FLUSH_CLOCK_EVERY */
    CHECK_INT(idx(flush_queue_next(&q, &t)), 0);       /* the reply first, not counted */
    for (unsigned i = 0; i < 100; i++) CHECK(flush_queue_next(&q, &t) == &many[i]);
    CHECK_INT(t.events, 100);
    CHECK_INT(clock_reads, 100 / FLUSH_CLOCK_EVERY);
    /* the budget is spent: the next check stops the turn, the rest stays queued in order */
    clock_ns = 1000 + FLUSH_EVENT_BUDGET_NS;
    unsigned more = 0;
    while (flush_queue_next(&q, &t)) more++;
    CHECK(more < FLUSH_CLOCK_EVERY);
    CHECK_INT(t.events % FLUSH_CLOCK_EVERY, 0);
    CHECK(!flush_queue_empty(&q));
    /* a reply queued now still goes out this turn; events do not */
    flush_queue_push(&q, &links[1], FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &t)), 1);
    CHECK(flush_queue_next(&q, &t) == NULL);
    /* the next turn goes on where this one stopped */
    struct flush_turn t2 = {.start_ns = clock_ns, .now_ns = test_clock};
    CHECK(flush_queue_next(&q, &t2) == &many[100 + more]);
    unsigned rest = 1;
    while (flush_queue_next(&q, &t2)) rest++;
    CHECK_INT(100 + more + rest, 2000);
    CHECK(flush_queue_empty(&q));
}

/* With a hold: each link written at most once per round for its events; LATER waits for
 * the round's time to be up, then goes ahead of the events queued meanwhile. */
static void test_rounds(void)
{
    enum { HOLD = 1000 };
    struct flush_queue q;
    reset(&q);
    q.hold_ns = HOLD;
    clock_ns = 0;
    /* the first round starts with the first event written */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    struct flush_turn t = {.start_ns = 5000, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t)), 0);
    CHECK_INT((int)q.round_start_ns, 5000);
    uint32_t r = q.round;
    /* written in this round: its next event waits in LATER; link 1 is written this turn */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_LATER);
    CHECK(flush_queue_round_due_ns(&q) == 0);          /* link 1 is still to write */
    CHECK_INT(idx(flush_queue_next(&q, &t)), 1);
    CHECK(flush_queue_next(&q, &t) == NULL);
    CHECK_INT((int)flush_queue_round_due_ns(&q), 5000 + HOLD);
    /* a link not written in this round goes at once, in a later turn of the same round */
    flush_queue_push(&q, &links[2], FLUSH_EVENT);
    CHECK_INT(links[2].cls, FLUSH_EVENT);
    struct flush_turn t2 = {.start_ns = 5000 + HOLD - 1, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t2)), 2);
    CHECK(flush_queue_next(&q, &t2) == NULL);          /* link 0 still waits */
    CHECK(q.round == r);
    /* the round's time is up: a new round, LATER first, then the events queued meanwhile */
    flush_queue_push(&q, &links[3], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);      /* written in the old round: LATER */
    CHECK_INT(links[1].cls, FLUSH_LATER);
    struct flush_turn t3 = {.start_ns = 5000 + HOLD, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 0);
    CHECK(q.round == r + 1);
    CHECK_INT((int)q.round_start_ns, 5000 + HOLD);
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 1);
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 3);
    CHECK(flush_queue_next(&q, &t3) == NULL);
    CHECK(flush_queue_empty(&q));
    /* a reply is never held, takes its link out of LATER and counts as its write */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_LATER);
    flush_queue_push(&q, &links[0], FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 0);
    flush_queue_push(&q, &links[4], FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 4);
    flush_queue_push(&q, &links[4], FLUSH_EVENT);
    CHECK_INT(links[4].cls, FLUSH_LATER);
    /* removal from LATER; pop takes LATER last */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[5], FLUSH_EVENT);
    flush_queue_remove(&q, &links[4]);
    CHECK_INT(links[4].cls, FLUSH_NONE);
    CHECK_INT(idx(flush_queue_pop(&q)), 5);
    CHECK_INT(idx(flush_queue_pop(&q)), 0);
    CHECK(flush_queue_round_due_ns(&q) == 0);
    CHECK(flush_queue_empty(&q));
    /* a quiet spell: the next event starts a new round and goes at once, even for a link
     * written in the last one */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_LATER);               /* the round is not started yet ... */
    struct flush_turn t4 = {.start_ns = 5000 + 10 * HOLD, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t4)), 0);      /* ... until this turn: it goes */
    CHECK_INT((int)q.round_start_ns, 5000 + 10 * HOLD);

    /* no hold: a link written in this turn may be written again, nothing goes to LATER */
    reset(&q);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    struct flush_turn t5 = {.start_ns = 0, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t5)), 0);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_EVENT);
    CHECK_INT(idx(flush_queue_next(&q, &t5)), 0);
    CHECK(flush_queue_round_due_ns(&q) == 0);
}

int main(void)
{
    test_order();
    test_promote_and_remove();
    test_budget();
    test_rounds();
    return check_report("test_flush_queue");
}
