/* Unit tests for the chat domain's group-commit decisions (domains/chat/batching.c). */
#include "check.h"
#include "domains/chat/batching.h"

static void test_batching(void)
{
    CHECK_INT(chat_batch_take(0, 0, true), 0);
    CHECK_INT(chat_batch_take(3, 0, true), 3);
    CHECK_INT(chat_batch_take(3, 1, true), 0);                        /* a small stream waits for the commit */
    CHECK_INT(chat_batch_take(CHAT_BATCH_SECOND_MIN - 1, 1, true), 0);
    CHECK_INT(chat_batch_take(CHAT_BATCH_SECOND_MIN, 1, true), CHAT_BATCH_SECOND_MIN);  /* a backlog: a second call */
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX + 1, 1, true), CHAT_BATCH_MAX);
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX, CHAT_BATCH_INFLIGHT, true), 0);  /* never more than INFLIGHT */
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT, true), 0);      /* wait for a commit */
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX + 7, 0, true), CHAT_BATCH_MAX);
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT + 5, false), 1);  /* batching off never waits */
    CHECK_INT(chat_batch_take(0, 0, false), 0);
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
    test_pending_deadline();
    return check_report("test_chat_batching");
}
