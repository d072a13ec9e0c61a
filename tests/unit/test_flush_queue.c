/* Unit tests for net/flush_queue.c: replies before events, FIFO within a class, a reply
 * promoting a connection queued for events, removal from either class, and the per-turn
 * budget of events (with a clock the test moves), a turn whose events are held and the
 * rounds of --event-hold-ms. */
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

static void test_events_held(void)
{
    struct flush_queue q;
    reset(&q);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    flush_queue_push(&q, &links[2], FLUSH_REPLY);
    flush_queue_push(&q, &links[3], FLUSH_EVENT);
    clock_ns = 0;
    struct flush_turn held = {.start_ns = 0, .now_ns = test_clock, .events_held = true};
    /* replies still go; events wait, queued in their order, and are not counted */
    CHECK_INT(idx(flush_queue_next(&q, &held)), 2);
    CHECK(flush_queue_next(&q, &held) == NULL);
    CHECK_INT(held.events, 0);
    /* a reply for a connection whose events wait takes them along, nothing reordered */
    flush_queue_push(&q, &links[1], FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &held)), 1);
    CHECK(flush_queue_next(&q, &held) == NULL);
    /* the next turn that is not held writes the waiting events in the order queued */
    struct flush_turn t = {.start_ns = 0, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t)), 0);
    CHECK_INT(idx(flush_queue_next(&q, &t)), 3);
    CHECK(flush_queue_next(&q, &t) == NULL);
    CHECK_INT(t.events, 2);
    CHECK(flush_queue_empty(&q));
}

static void test_rounds(void)
{
    struct flush_queue q;
    reset(&q);
    q.rounds = true;
    clock_ns = 0;
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    CHECK(!flush_queue_end_round(&q));                  /* nothing written: no round open */
    struct flush_turn t = {.start_ns = 100, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t)), 0);
    CHECK(q.round_open);
    CHECK_INT((int)q.round_start_ns, 100);
    /* written in this round: its next event waits for the next round */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_LATER);
    CHECK(!flush_queue_end_round(&q));                  /* link 1 is still to write */
    CHECK_INT(idx(flush_queue_next(&q, &t)), 1);
    CHECK(flush_queue_next(&q, &t) == NULL);
    CHECK(!flush_queue_empty(&q));
    /* the round has written all: it ends, LATER becomes the next round's events */
    CHECK(flush_queue_end_round(&q));
    CHECK(!q.round_open);
    CHECK_INT(links[0].cls, FLUSH_EVENT);
    CHECK(!flush_queue_end_round(&q));
    /* between rounds every event joins the next round, also one written in the last round */
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    CHECK_INT(links[1].cls, FLUSH_EVENT);
    struct flush_turn held = {.start_ns = 150, .now_ns = test_clock, .events_held = true};
    CHECK(flush_queue_next(&q, &held) == NULL);
    CHECK(!flush_queue_end_round(&q));
    struct flush_turn t2 = {.start_ns = 300, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t2)), 0);
    CHECK_INT((int)q.round_start_ns, 300);
    /* a reply takes a connection out of LATER, and a reply's write counts for the round */
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_LATER);
    flush_queue_push(&q, &links[0], FLUSH_REPLY);
    CHECK_INT(links[0].cls, FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &t2)), 0);
    flush_queue_push(&q, &links[2], FLUSH_REPLY);
    CHECK_INT(idx(flush_queue_next(&q, &t2)), 2);
    flush_queue_push(&q, &links[2], FLUSH_EVENT);
    CHECK_INT(links[2].cls, FLUSH_LATER);
    CHECK_INT(idx(flush_queue_next(&q, &t2)), 1);
    CHECK(flush_queue_next(&q, &t2) == NULL);
    /* removal from LATER, and pop takes LATER last */
    flush_queue_push(&q, &links[1], FLUSH_EVENT);
    CHECK_INT(links[1].cls, FLUSH_LATER);
    flush_queue_remove(&q, &links[2]);
    CHECK_INT(links[2].cls, FLUSH_NONE);
    flush_queue_push(&q, &links[3], FLUSH_EVENT);      /* not written in this round */
    CHECK_INT(links[3].cls, FLUSH_EVENT);
    CHECK_INT(idx(flush_queue_pop(&q)), 3);
    CHECK_INT(idx(flush_queue_pop(&q)), 1);
    CHECK(flush_queue_empty(&q));

    /* rounds off: a link written in this turn may be written again, nothing goes to LATER */
    reset(&q);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    struct flush_turn t3 = {.start_ns = 0, .now_ns = test_clock};
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 0);
    flush_queue_push(&q, &links[0], FLUSH_EVENT);
    CHECK_INT(links[0].cls, FLUSH_EVENT);
    CHECK_INT(idx(flush_queue_next(&q, &t3)), 0);
    CHECK(!flush_queue_end_round(&q));
    CHECK(!q.round_open);
}

int main(void)
{
    test_order();
    test_promote_and_remove();
    test_budget();
    test_events_held();
    test_rounds();
    return check_report("test_flush_queue");
}
