/* Unit tests for the chat domain's group-commit decisions (domains/chat/batching.c). */
#include "check.h"
#include "domains/chat/batching.h"

static void test_batching(void)
{
    CHECK_INT(chat_batch_take(0, 0, true, 0), 0);
    CHECK_INT(chat_batch_take(3, 0, true, 0), 3);
    CHECK_INT(chat_batch_take(3, 1, true, 0), 0);                     /* a small stream waits for the commit */
    CHECK_INT(chat_batch_take(3, 1, true, CHAT_BATCH_SECOND_WAIT_MS - 1), 0);
    CHECK_INT(chat_batch_take(3, 1, true, CHAT_BATCH_SECOND_WAIT_MS), 3);  /* ... but not for long */
    CHECK_INT(chat_batch_take(CHAT_BATCH_SECOND_MIN - 1, 1, true, 0), 0);
    CHECK_INT(chat_batch_take(CHAT_BATCH_SECOND_MIN, 1, true, 0), CHAT_BATCH_SECOND_MIN);  /* a backlog: a second call */
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX + 1, 1, true, 0), CHAT_BATCH_MAX);
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX, CHAT_BATCH_INFLIGHT, true, 1000), 0);  /* never more than INFLIGHT */
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT, true, 1000), 0);   /* wait for a commit */
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX + 7, 0, true, 0), CHAT_BATCH_MAX);
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT + 5, false, 0), 1);  /* batching off never waits */
    CHECK_INT(chat_batch_take(0, 0, false, 0), 0);
}

/* When the timer of chat_batch.c must look again: only while a second batch could start later. */
static void test_second_due(void)
{
    CHECK_INT(chat_batch_second_due_ms(3, 1, true, 0), CHAT_BATCH_SECOND_WAIT_MS);
    CHECK_INT(chat_batch_second_due_ms(3, 1, true, 2), CHAT_BATCH_SECOND_WAIT_MS - 2);
    CHECK_INT(chat_batch_second_due_ms(3, 1, true, CHAT_BATCH_SECOND_WAIT_MS), 0);   /* may start now */
    CHECK_INT(chat_batch_second_due_ms(0, 1, true, 0), 0);                            /* nothing waits */
    CHECK_INT(chat_batch_second_due_ms(3, 0, true, 0), 0);                            /* starts at once */
    CHECK_INT(chat_batch_second_due_ms(3, CHAT_BATCH_INFLIGHT, true, 0), 0);          /* waits for a commit */
    CHECK_INT(chat_batch_second_due_ms(CHAT_BATCH_SECOND_MIN, 1, true, 0), 0);        /* a backlog starts now */
    CHECK_INT(chat_batch_second_due_ms(3, 1, false, 0), 0);
    /* consistent with chat_batch_take: due 0 with messages and one batch in flight means "take now" */
    for (uint64_t w = 0; w < 10; w++)
        CHECK((chat_batch_second_due_ms(3, 1, true, w) == 0) == (chat_batch_take(3, 1, true, w) > 0));
}

/* A pending message is answered unavailable once its own wait plus a batch's longest wait for
 * a connection could pass the 5-s answer limit (issue 14). */
static void test_pending_deadline(void)
{
    CHECK(CHAT_PENDING_MAX_MS + DB_QUEUE_TIMEOUT_MS < CHAT_ANSWER_MS);
    CHECK(!chat_pending_expired(1000, 1000));
    CHECK(!chat_pending_expired(1000, 1000 + CHAT_PENDING_MAX_MS));
    CHECK(chat_pending_expired(1000, 1001 + CHAT_PENDING_MAX_MS));
    CHECK(!chat_pending_expired(5000, 4000));   /* a clock that went back: not expired */
}

int main(void)
{
    test_batching();
    test_second_due();
    test_pending_deadline();
    return check_report("test_chat_batching");
}
