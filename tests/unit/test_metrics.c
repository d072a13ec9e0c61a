/* Unit tests for core/metrics.c's label keys: interning is stable (the same string, any
 * pointer, gives the same key), "other" is interned first, past METRICS_MAX_KEYS every new
 * label counts as "other", and a message's cached key counts where its kind does. */
#include "check.h"
#include "core/metrics.h"

#include <stdio.h>
#include <stdlib.h>

static void test_interning(void)
{
    metrics_reset();
    int reply = metrics_key("reply");
    CHECK_INT(metrics_key("other"), 0);              /* interned first */
    CHECK(reply != 0);
    CHECK_INT(metrics_key(NULL), 0);
    char copy[] = "reply";
    CHECK_INT(metrics_key(copy), reply);              /* by value, not by pointer */
    /* many keys: each keeps its index, looked up again in any order */
    int k[200];
    char name[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "type.%d", i);
        k[i] = metrics_key(name);
    }
    for (int i = 199; i >= 0; i--) {
        snprintf(name, sizeof name, "type.%d", i);
        CHECK_INT(metrics_key(name), k[i]);
        CHECK(k[i] != 0 && k[i] != reply);
    }
    CHECK_INT(metrics_key("reply"), reply);
    /* past the cap: "other" */
    int last = -1;
    for (int i = 0; i < METRICS_MAX_KEYS; i++) {
        snprintf(name, sizeof name, "more.%d", i);
        last = metrics_key(name);
    }
    CHECK_INT(last, 0);
    CHECK_INT(metrics_key("never.seen"), 0);
    CHECK_INT(metrics_key("type.7"), k[7]);           /* the old ones still resolve */
}

static void test_ws_out_key(void)
{
    metrics_reset();
    int ev = metrics_key("chat.message");
    metrics_ws_out_key(ev, 10);
    metrics_ws_out("chat.message", 5);
    metrics_ws_out_key(9999, 1);                      /* unknown key: "other" */
    metrics_ws_out_key(-1, 1);
    struct metrics_gauges g = {0};
    char *text = metrics_render(&g, 0);
    CHECK(strstr(text, "boothd_ws_messages_out_total{type=\"chat.message\"} 2") != NULL);
    CHECK(strstr(text, "boothd_ws_bytes_out_total{type=\"chat.message\"} 15") != NULL);
    CHECK(strstr(text, "boothd_ws_messages_out_total{type=\"other\"} 2") != NULL);
    free(text);
    metrics_reset();
}

int main(void)
{
    test_interning();
    test_ws_out_key();
    return check_report("test_metrics");
}
