/* Unit tests for the chat domain's group-commit decisions (domains/chat/batching.c). */
#include "check.h"
#include "domains/chat/batching.h"

static void test_batching(void)
{
    CHECK_INT(chat_batch_take(0, 0, true), 0);
    CHECK_INT(chat_batch_take(3, 0, true), 3);
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT - 1, true), 3);
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT, true), 0);      /* wait for a commit */
    CHECK_INT(chat_batch_take(CHAT_BATCH_MAX + 7, 0, true), CHAT_BATCH_MAX);
    CHECK_INT(chat_batch_take(3, CHAT_BATCH_INFLIGHT + 5, false), 1);  /* batching off never waits */
    CHECK_INT(chat_batch_take(0, 0, false), 0);
}

int main(void)
{
    test_batching();
    return check_report("test_chat_batching");
}
