/* Unit tests for util/metrics.c's label keys: interning is stable (the same string, any
 * pointer, gives the same key), "other" is interned first, past METRICS_MAX_KEYS every new
 * label counts as "other", and a message's cached key counts where its kind does. */
#include "check.h"
#include "core/loop_stats.h"
#include "util/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* An iteration's work is its elapsed time less the I/O wait, and its histogram is rendered. */
static void test_loop_turns(void)
{
    CHECK_INT((long long)loop_stats_busy_ns(1000, 5000, 200, 3200), 1000);   /* 4 us, 3 us waiting */
    CHECK_INT((long long)loop_stats_busy_ns(1000, 5000, 200, 200), 4000);    /* no wait at all */
    CHECK_INT((long long)loop_stats_busy_ns(1000, 5000, 200, 9000), 0);      /* idle clock ahead */
    CHECK_INT((long long)loop_stats_busy_ns(5000, 1000, 0, 0), 0);           /* backwards */
    metrics_reset();
    metrics_loop_turn(0.00005);
    metrics_loop_turn(0.003);
    metrics_loop_turn(2.0);
    struct metrics_gauges g = {0};
    char *text = metrics_render(&g, 0);
    CHECK(strstr(text, "# TYPE boothd_loop_busy_seconds histogram") != NULL);
    CHECK(strstr(text, "boothd_loop_busy_seconds_bucket{le=\"0.0001\"} 1\n") != NULL);
    CHECK(strstr(text, "boothd_loop_busy_seconds_bucket{le=\"0.005\"} 2\n") != NULL);
    CHECK(strstr(text, "boothd_loop_busy_seconds_bucket{le=\"1\"} 2\n") != NULL);
    CHECK(strstr(text, "boothd_loop_busy_seconds_bucket{le=\"+Inf\"} 3\n") != NULL);
    CHECK(strstr(text, "boothd_loop_busy_seconds_count 3\n") != NULL);
    free(text);
    metrics_reset();
}

int main(void)
{
    test_interning();
    test_ws_out_key();
    test_loop_turns();
    return check_report("test_metrics");
}
