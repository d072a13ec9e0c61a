/* Unit tests of boothd-load's pure pieces: latency histogram, open-loop schedule and timer
 * heap, message marker and chat.message scanner, result merge/JSON, summary, /proc parsing.
 * The WebSocket frames and handshake (tests/support/wsproto.c) are tested in test_wsproto. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#include "hist.h"
#include "procstat.h"
#include "result.h"
#include "scan.h"
#include "plan.h"
#include "summary.h"

#define CHECK_NEAR(a, b, rel) do { double _a = (double)(a), _b = (double)(b); check_count++; \
    if (fabs(_a - _b) > (rel) * fabs(_b) + 1e-9) { check_failures++; fprintf(stderr, \
    "%s:%d: %s ~ %s failed: %g vs %g\n", __FILE__, __LINE__, #a, #b, _a, _b); } } while (0)

static void test_hist(void)
{
    /* buckets are contiguous, ordered, and the upper edge is within 1/64 of the value */
    int last = -1;
    for (uint64_t v = 0; v < 5000000; v += v < 1000 ? 1 : 997) {
        int b = hist_bucket(v);
        CHECK(b >= last);
        last = b;
        CHECK(hist_bucket_high(b) >= v);
        CHECK((double)hist_bucket_high(b) <= (double)v * (1.0 + 1.0 / 64) + 1);
    }
    CHECK_INT(hist_bucket(127), 127);
    CHECK_INT(hist_bucket(128), 128);
    CHECK_INT(hist_bucket_high(128), 129);
    CHECK(hist_bucket(UINT64_MAX) == HIST_BUCKETS - 1);

    struct hist *h = malloc(sizeof *h), *g = malloc(sizeof *g);
    hist_init(h);
    CHECK_INT(hist_value_at(h, 0.5), 0);
    for (int i = 1; i <= 10000; i++) hist_add(h, i * 10);      /* 10 us .. 100 ms */
    CHECK_INT(h->n, 10000);
    CHECK_INT(h->min, 10);
    CHECK_INT(h->max, 100000);
    CHECK_NEAR(hist_value_at(h, 0.5), 50000, 1.0 / 64);
    CHECK_NEAR(hist_value_at(h, 0.99), 99000, 1.0 / 64);
    CHECK(hist_value_at(h, 0.99) >= 99000);                      /* never under-reports */
    CHECK_INT(hist_value_at(h, 1.0), 100000);
    CHECK_INT(hist_value_at(h, 0.0), 10);
    CHECK_NEAR(hist_mean(h), 50005, 1e-9);
    hist_add(h, -5);                                             /* clock skew counts as 0 */
    CHECK_INT(h->min, 0);

    hist_init(g);
    for (int i = 0; i < 100; i++) hist_add(g, 5000000);          /* 5 s */
    hist_merge(g, h);
    CHECK_INT(g->n, 10101);
    CHECK_INT(g->max, 5000000);
    CHECK_INT(g->min, 0);
    CHECK(hist_value_at(g, 0.999) >= 4900000);

    /* JSON round trip */
    cJSON *j = hist_to_json(g);
    struct hist *k = malloc(sizeof *k);
    CHECK_INT(hist_from_json(j, k), 0);
    CHECK(memcmp(k, g, sizeof *k) == 0);
    cJSON_Delete(j);
    free(h); free(g); free(k);
}

static void test_plan(void)
{
    struct plan p = {.t0 = 1000000, .step_us = 1000000, .n_steps = 3, .rate = {100, 0, 400}, .senders = 100};
    CHECK_INT(plan_end(&p), 4000000);
    CHECK_INT(plan_step_at(&p, 999999), -1);
    CHECK_INT(plan_step_at(&p, 1000000), 0);
    CHECK_INT(plan_step_at(&p, 3999999), 2);
    CHECK_INT(plan_step_at(&p, 4000000), -1);

    /* one sender at 1/s in step 0, none in step 1, 4/s in step 2; phase 0.5 */
    int64_t t = plan_next(&p, 0.5, p.t0 - 1);
    CHECK_INT(t, 1500000);
    t = plan_next(&p, 0.5, t);
    CHECK_INT(t, 3125000);                                       /* step 1 is silent */
    int n = 1;
    while ((t = plan_next(&p, 0.5, t)) != SCHED_NEVER) n++;
    CHECK_INT(n, 4);                                             /* 3.125 3.375 3.625 3.875 */

    /* the fleet sends the planned number of messages, evenly */
    struct plan q = {.t0 = 0, .step_us = 10000000, .n_steps = 1, .rate = {1000}, .senders = 300};
    uint64_t rng = 42;
    long total = 0, first_half = 0;
    for (int s = 0; s < 300; s++) {
        double ph = rng_unit(&rng);
        for (int64_t u = plan_next(&q, ph, -1); u != SCHED_NEVER; u = plan_next(&q, ph, u)) {
            total++;
            if (u < 5000000) first_half++;
        }
    }
    CHECK(labs(total - 10000) <= 300);                           /* +-1 per sender */
    CHECK(labs(first_half - 5000) <= 300);

    /* a late caller gets the next grid point, not a burst of missed ones */
    struct plan r = {.t0 = 0, .step_us = 10000000, .n_steps = 1, .rate = {2}, .senders = 1};
    CHECK_INT(plan_next(&r, 0.0, 2750000), 3000000);
    CHECK_INT(plan_next(&r, 0.0, 3000000), 3500000);
    struct plan none = {.t0 = 0, .step_us = 1000, .n_steps = 1, .rate = {0}, .senders = 0};
    CHECK(plan_next(&none, 0.1, -1) == SCHED_NEVER);
}

static void test_heap(void)
{
    struct heap h;
    heap_init(&h);
    uint64_t rng = 7;
    for (uint32_t i = 0; i < 5000; i++) heap_push(&h, (int64_t)(rng_next(&rng) % 100000), i);
    CHECK_INT(heap_peek(&h) >= 0, 1);
    struct heap_ent e;
    int64_t last = -1;
    int n = 0;
    CHECK(!heap_pop_due(&h, -1, &e));
    while (heap_pop_due(&h, 50000, &e)) { CHECK(e.t >= last); CHECK(e.t <= 50000); last = e.t; n++; }
    CHECK(heap_peek(&h) > 50000);
    while (heap_pop_due(&h, INT64_MAX - 1, &e)) { CHECK(e.t >= last); last = e.t; n++; }
    CHECK_INT(n, 5000);
    CHECK(heap_peek(&h) == SCHED_NEVER);
    heap_free(&h);
    for (int i = 0; i < 1000; i++) { double u = rng_unit(&rng); CHECK(u >= 0 && u < 1); }
}

static void test_scan(void)
{
    char buf[200];
    struct marker m = {123456789012, 3, 4711, 1}, back;
    size_t l = marker_format(buf, 64, &m);
    CHECK_INT(l, 64);
    CHECK_INT(strlen(buf), 64);
    CHECK(!strncmp(buf, "lt123456789012.3.4711.1 x", 25));
    CHECK_INT(marker_parse(buf, l, &back), 0);
    CHECK_INT(back.planned_us, m.planned_us);
    CHECK_INT(back.step, 3);
    CHECK_INT(back.sender, 4711);
    CHECK_INT(back.node, 1);
    l = marker_format(buf, 5, &m);                               /* never shorter than the marker */
    CHECK_STR(buf, "lt123456789012.3.4711.1");
    CHECK_INT(marker_parse(buf, l, &back), 0);
    CHECK(marker_parse("hello", 5, &back) != 0);
    CHECK(marker_parse("lt12.3", 6, &back) != 0);
    CHECK(marker_parse("lt1.2.3.4x", 10, &back) != 0);

    /* the exact layout boothd sends: PostgreSQL's json_build_object spacing */
    const char *ev = "{\"type\":\"chat.message\",\"data\":{\"message\":{\"booth_id\" : 7, \"seq\" : 42, \"id\" : 1017, "
                     "\"author\" : {\"id\" : 55, \"name\" : \"text\", \"role\" : \"visitor\", \"company\" : null}, "
                     "\"text\" : \"lt99.0.12.1 xxxx\", \"sent_at\" : \"2025-05-14T09:30:00.123Z\"}}}";
    struct chat_event ce;
    CHECK_INT(scan_kind(ev, strlen(ev)), IN_CHAT);
    CHECK_INT(scan_chat_event(ev, strlen(ev), &ce), 0);
    CHECK_INT(ce.booth_id, 7);
    CHECK_INT(ce.seq, 42);
    CHECK_INT(ce.has_marker, 1);
    CHECK_INT(ce.m.planned_us, 99);
    CHECK_INT(ce.m.sender, 12);
    const char *compact = "{\"type\":\"chat.message\",\"data\":{\"message\":{\"booth_id\":3,\"seq\":1,\"text\":\"hi there\"}}}";
    CHECK_INT(scan_chat_event(compact, strlen(compact), &ce), 0);
    CHECK_INT(ce.seq, 1);
    CHECK_INT(ce.has_marker, 0);
    /* keys in another order than boothd's are still found */
    const char *reordered = "{\"type\":\"chat.message\",\"data\":{\"message\":{\"text\":\"lt5.1.2.0 x\",\"seq\":9,\"booth_id\":4}}}";
    CHECK_INT(scan_chat_event(reordered, strlen(reordered), &ce), 0);
    CHECK_INT(ce.booth_id, 4);
    CHECK_INT(ce.seq, 9);
    CHECK_INT(ce.has_marker, 1);
    CHECK_INT(ce.m.sender, 2);
    const char *broken = "{\"type\":\"chat.message\",\"data\":{\"message\":{\"booth_id\":\"x\"}}}";
    CHECK(scan_chat_event(broken, strlen(broken), &ce) != 0);
    CHECK(scan_chat_event(ev, 60, &ce) != 0);                    /* truncated */
    CHECK_INT(scan_kind("{\"type\":\"presence.changed\",\"data\":{}}", 37), IN_PRESENCE);
    CHECK_INT(scan_kind("{\"id\":\"1.2.3\",\"ok\":true}", 24), IN_REPLY);
    CHECK_INT(scan_kind("{\"type\":\"meeting.updated\"}", 26), IN_OTHER_EVENT);
    CHECK_INT(scan_kind("[]", 2), IN_JUNK);
}

static void test_result(void)
{
    struct result *a = result_new(2), *b = result_new(2);
    a->sessions = 10; a->entered = 10; b->sessions = 5; b->entered = 4;
    a->first_connect_us = 500; b->first_connect_us = 300; a->last_ready_us = 900; b->last_ready_us = 800;
    a->step[0].sent = 100; a->step[0].acked = 100; hist_add(&a->step[0].ack, 2000);
    b->step[1].errors[E_RATE_LIMITED] = 3; b->step[1].deliveries = 7; hist_add(&b->step[1].deliv_remote, 9000);
    b->req[RK_HALL].n = 2; b->req[RK_HALL].ok = 2; hist_add(&b->req[RK_HALL].lat, 1500);
    /* booth 5: a has 2 members at 10 and 8, b one at 10; b acked up to 10 */
    struct booth_end *x = result_booth(a, 5);
    x->members = 2; x->sum_last = 18; x->min_last = 8; x->max_last = 10;
    struct booth_end *y = result_booth(b, 5);
    y->members = 1; y->sum_last = 10; y->min_last = 10; y->max_last = 10; y->max_acked = 10;
    result_booth(b, 2)->max_acked = 4;                           /* a booth nobody stayed in */
    CHECK_INT(result_tail_loss(a), 2);

    /* through JSON, as the workers send it */
    cJSON *jb = result_to_json(b);
    char *txt = cJSON_PrintUnformatted(jb);
    cJSON_Delete(jb);
    cJSON *jp = cJSON_Parse(txt);
    struct result *b2 = result_from_json(jp);
    cJSON_Delete(jp);
    free(txt);
    CHECK(b2 != NULL);
    if (!b2) return;
    CHECK_INT(b2->n_booths, 2);
    CHECK_INT(b2->booths[0].booth_id, 2);
    CHECK(b2->booths[0].min_last == INT64_MAX);
    result_merge(a, b2);
    CHECK_INT(a->sessions, 15);
    CHECK_INT(a->entered, 14);
    CHECK_INT(a->first_connect_us, 300);
    CHECK_INT(a->last_ready_us, 900);
    CHECK_INT(a->step[1].errors[E_RATE_LIMITED], 3);
    CHECK_INT(a->step[1].deliv_remote.n, 1);
    CHECK_INT(a->req[RK_HALL].lat.n, 1);
    CHECK_INT(result_tail_loss(a), 2);                           /* member at 8 of 10 */
    CHECK_INT(a->n_booths, 2);
    CHECK_INT(result_booth(a, 5)->members, 3);
    CHECK(result_from_json(NULL) == NULL);
    CHECK_INT(err_code_from("unavailable"), E_UNAVAILABLE);
    CHECK_INT(err_code_from("whatever"), E_OTHER);

    /* summary: numbers, best step, clean verdict, table */
    struct run_info ri = {.scenario = "unit", .mode = "chat", .sessions = 15, .booths = 2, .senders = 15,
                          .procs = 2, .servers = 1, .msg_bytes = 64, .n_steps = 2, .step_s = 10,
                          .rate = {10, 20}, .slo_ms = 50, .rss_before_kib = 1000, .rss_ready_kib = 1014,
                          .rss_end_kib = 1020, .rss_ready_per_server_kib = {600, 414}, .n_rss_per_server = 2,
                          .sessions_by_node = "{\"n1\": 9, \"n2\": 6}"};
    ri.cpu[0] = (struct cpu_use){1.0, 0.5, 0.25, 10, 200};
    ri.cpu[1] = (struct cpu_use){1.0, 0.5, 0.25, 10, -1};
    cJSON *s = summary_json(&ri, a);
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(s, "sessions_by_node");
    CHECK(cJSON_IsObject(by) && cJSON_GetObjectItemCaseSensitive(by, "n2")->valuedouble == 6);
    const cJSON *each = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "server_memory"),
                                                         "rss_ready_kib_per_server");
    CHECK(cJSON_GetArraySize(each) == 2 && cJSON_GetArrayItem(each, 1)->valuedouble == 414);
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(s, "steps");
    CHECK_INT(cJSON_GetArraySize(steps), 2);
    const cJSON *s0 = cJSON_GetArrayItem(steps, 0);
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(s0, "acked_per_s")->valuedouble, 10, 1e-9);
    const cJSON *cpu0 = cJSON_GetObjectItemCaseSensitive(s0, "cpu");
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(cpu0, "db_xacts_per_s")->valuedouble, 20, 1e-9);   /* 200 in 10 s */
    CHECK(!cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(steps, 1), "cpu"),
                                            "db_xacts_per_s"));   /* unknown: left out */
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s0, "ack_p99_within_slo")));
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s0, "cpu"), "server_pct")->valuedouble, 10, 1e-9);
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(s0, "server_cpu_us_per_msg")->valuedouble, 10000, 1e-9);
    const cJSON *best = cJSON_GetObjectItemCaseSensitive(s, "best");
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(best, "acked_per_s")->valuedouble, 10, 1e-9);
    const cJSON *mem = cJSON_GetObjectItemCaseSensitive(s, "server_memory");
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(mem, "rss_per_session_bytes")->valuedouble, 14.0 * 1024 / 14, 1e-6);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(s, "clean")));
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(s, "why");
    CHECK(cJSON_IsString(why) && strstr(why->valuestring, "never entered") && strstr(why->valuestring, "3 error"));
    char *table = summary_table(s);
    CHECK(table && strstr(table, "boothd-load: unit") && strstr(table, "NOT CLEAN") && strstr(table, "hall.list"));
    free(table);
    cJSON_Delete(s);

    struct result *c = result_new(1);
    c->sessions = c->entered = 3;
    char w[128];
    CHECK_INT(summary_clean(c, w, sizeof w), 1);
    c->duplicates = 1;
    CHECK_INT(summary_clean(c, w, sizeof w), 0);
    CHECK_STR(w, "1 duplicate deliveries");
    result_free(c);
    result_free(a);
    result_free(b);
    result_free(b2);
}

static void test_procstat(void)
{
    unsigned long long t;
    pid_t pp;
    CHECK_INT(procstat_parse("1234 (post gres: x) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 70 0 0 20 0", &t, &pp), 0);
    CHECK_INT(t, 320);
    CHECK_INT(pp, 1);
    CHECK_INT(procstat_parse("77 (a) b)) R 9 1 1 0 -1 0 0 0 0 0 5 6 0 0", &t, &pp), 0);
    CHECK_INT(t, 11);
    CHECK_INT(pp, 9);
    CHECK(procstat_parse("garbage", &t, &pp) != 0);
    CHECK(procstat_cpu_s(getpid()) >= 0);
    CHECK(procstat_rss_kib(getpid()) > 0);
    CHECK(procstat_cpu_s(-1) < 0);
}

int main(void)
{
    test_hist();
    test_plan();
    test_heap();
    test_scan();
    test_result();
    test_procstat();
    return check_report("test_load");
}
