/* Unit tests for the join path's group-commit decisions (domains/presence/join_batching.c). */
#include "check.h"
#include "domains/presence/join_batching.h"

static void test_take(void)
{
    CHECK_INT(join_batch_take(0, 0, 2, 100), 0);                    /* nothing waits */
    CHECK_INT(join_batch_take(7, 0, 2, 100), 7);                    /* all of this turn's */
    CHECK_INT(join_batch_take(7, 1, 2, 100), 7);
    CHECK_INT(join_batch_take(7, 2, 2, 100), 0);                    /* wait for a result */
    CHECK_INT(join_batch_take(250, 0, 2, 100), 100);                /* at most max */
    /* the presence writer: at most PRESENCE_BATCH_INFLIGHT batches (and presence_batch_cut) */
    CHECK_INT(join_batch_take(3, 0, PRESENCE_BATCH_INFLIGHT, PRESENCE_BATCH_MAX), 3);
    CHECK_INT(join_batch_take(3, PRESENCE_BATCH_INFLIGHT, PRESENCE_BATCH_INFLIGHT, PRESENCE_BATCH_MAX), 0);
    CHECK_INT(join_batch_take(RESUME_BATCH_MAX + 1, 0, RESUME_BATCH_INFLIGHT, RESUME_BATCH_MAX), RESUME_BATCH_MAX);
}

static void test_cut(void)
{
    uint64_t none[1] = {0};
    CHECK_INT(presence_batch_cut(none, 0, 10, NULL, 0), 0);
    uint64_t distinct[] = {1, 2, 3, 4};
    CHECK_INT(presence_batch_cut(distinct, 4, 10, NULL, 0), 4);
    CHECK_INT(presence_batch_cut(distinct, 4, 2, NULL, 0), 2);             /* max first */
    /* session 2 enters, then leaves in the same turn: the leave waits for the next batch */
    uint64_t again[] = {1, 2, 3, 2, 5};
    CHECK_INT(presence_batch_cut(again, 5, 10, NULL, 0), 3);
    uint64_t head[] = {9, 9, 9};
    CHECK_INT(presence_batch_cut(head, 3, 10, NULL, 0), 1);                /* always progress */
    CHECK_INT(presence_batch_cut(head + 1, 2, 10, NULL, 0), 1);
    CHECK_INT(presence_batch_cut(head + 2, 1, 10, NULL, 0), 1);
    /* sessions of a batch still committing wait for it: never two of one session at once */
    uint64_t busy[] = {3, 7, 20};
    CHECK_INT(presence_batch_cut(distinct, 4, 10, busy, 3), 2);            /* 1, 2, then 3 is busy */
    uint64_t first_busy[] = {7, 1, 2};
    CHECK_INT(presence_batch_cut(first_busy, 3, 10, busy, 3), 0);          /* nothing may start */
    uint64_t free_ones[] = {4, 5, 6};
    CHECK_INT(presence_batch_cut(free_ones, 3, 10, busy, 3), 3);
}

/* An item is sent only while its own wait plus a batch's longest wait for a connection stays
 * under the answer limit. */
static void test_deadline(void)
{
    CHECK(JOIN_PENDING_MAX_MS + DB_QUEUE_TIMEOUT_MS < JOIN_ANSWER_MS);
    CHECK(!join_pending_expired(1000, 1000));
    CHECK(!join_pending_expired(1000, 1000 + JOIN_PENDING_MAX_MS));
    CHECK(join_pending_expired(1000, 1001 + JOIN_PENDING_MAX_MS));
    CHECK(!join_pending_expired(5000, 4000));       /* a clock that went back: not expired */
}

int main(void)
{
    test_take();
    test_cut();
    test_deadline();
    return check_report("test_join_batching");
}
