/* summary.c — see summary.h. */
#include "summary.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double ms(uint64_t us) { return (double)us / 1000.0; }
static double round3(double v) { return round(v * 1000.0) / 1000.0; }
static double round1(double v) { return round(v * 10.0) / 10.0; }

static cJSON *lat_json(const struct hist *h)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)h->n);
    if (!h->n) return o;
    cJSON_AddNumberToObject(o, "p50", round3(ms(hist_value_at(h, 0.50))));
    cJSON_AddNumberToObject(o, "p90", round3(ms(hist_value_at(h, 0.90))));
    cJSON_AddNumberToObject(o, "p99", round3(ms(hist_value_at(h, 0.99))));
    cJSON_AddNumberToObject(o, "p999", round3(ms(hist_value_at(h, 0.999))));
    cJSON_AddNumberToObject(o, "max", round3(ms(h->max)));
    cJSON_AddNumberToObject(o, "mean", round3(hist_mean(h) / 1000.0));
    return o;
}

static uint64_t sum_errors(const uint64_t *e)
{
    uint64_t n = 0;
    for (int i = 0; i < E_N; i++) n += e[i];
    return n;
}

static cJSON *errors_obj(const uint64_t *e)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < E_N; i++)
        if (e[i]) cJSON_AddNumberToObject(o, err_code_str((enum err_code)i), (double)e[i]);
    return o;
}

static cJSON *cpu_json(const struct cpu_use *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "window_s", round3(c->window_s));
    cJSON_AddNumberToObject(o, "server_s", round3(c->server));
    cJSON_AddNumberToObject(o, "postgres_s", round3(c->postgres));
    cJSON_AddNumberToObject(o, "generator_s", round3(c->generator));
    if (c->window_s > 0) {
        /* percent of ONE core; the machine has several */
        cJSON_AddNumberToObject(o, "server_pct", round1(100.0 * c->server / c->window_s));
        cJSON_AddNumberToObject(o, "postgres_pct", round1(100.0 * c->postgres / c->window_s));
        cJSON_AddNumberToObject(o, "generator_pct", round1(100.0 * c->generator / c->window_s));
        if (c->db_xacts >= 0) cJSON_AddNumberToObject(o, "db_xacts_per_s", round1(c->db_xacts / c->window_s));
    }
    return o;
}

cJSON *summary_json(const struct run_info *ri, const struct result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", ri->scenario ? ri->scenario : "custom");
    cJSON_AddStringToObject(o, "mode", ri->mode ? ri->mode : "chat");
    cJSON_AddNumberToObject(o, "sessions", ri->sessions);
    cJSON_AddNumberToObject(o, "booths", ri->booths);
    cJSON_AddNumberToObject(o, "senders", ri->senders);
    cJSON_AddNumberToObject(o, "procs", ri->procs);
    cJSON_AddNumberToObject(o, "servers", ri->servers);
    cJSON_AddNumberToObject(o, "msg_bytes", ri->msg_bytes);
    cJSON_AddNumberToObject(o, "slo_ms", ri->slo_ms);

    /* connect phase */
    cJSON *c = cJSON_AddObjectToObject(o, "connect");
    cJSON_AddNumberToObject(c, "sessions", (double)r->sessions);
    cJSON_AddNumberToObject(c, "connected", (double)r->connected);
    cJSON_AddNumberToObject(c, "authed", (double)r->authed);
    cJSON_AddNumberToObject(c, "entered", (double)r->entered);
    cJSON_AddNumberToObject(c, "connect_failed", (double)r->connect_failed);
    cJSON_AddNumberToObject(c, "auth_failed", (double)r->auth_failed);
    cJSON_AddNumberToObject(c, "enter_failed", (double)r->enter_failed);
    cJSON_AddNumberToObject(c, "retries", (double)r->retries);
    double secs = r->last_ready_us > r->first_connect_us && r->first_connect_us
                      ? (double)(r->last_ready_us - r->first_connect_us) / 1e6 : 0;
    cJSON_AddNumberToObject(c, "seconds", round3(secs));
    cJSON_AddNumberToObject(c, "entered_per_s", secs > 0 ? round1((double)r->entered / secs) : 0);
    cJSON_AddItemToObject(c, "join_ms", lat_json(&r->join));
    cJSON_AddItemToObject(c, "upgrade_ms", lat_json(&r->upgrade));
    cJSON_AddItemToObject(c, "cpu", cpu_json(&ri->connect_cpu));

    cJSON *srv = cJSON_AddObjectToObject(o, "server_memory");
    cJSON_AddNumberToObject(srv, "rss_before_kib", (double)ri->rss_before_kib);
    cJSON_AddNumberToObject(srv, "rss_ready_kib", (double)ri->rss_ready_kib);
    cJSON_AddNumberToObject(srv, "rss_end_kib", (double)ri->rss_end_kib);
    if (ri->rss_before_kib >= 0 && ri->rss_ready_kib >= 0 && r->entered)
        cJSON_AddNumberToObject(srv, "rss_per_session_bytes",
                                round1((double)(ri->rss_ready_kib - ri->rss_before_kib) * 1024.0 / (double)r->entered));
    if (ri->n_rss_per_server) {
        cJSON *a = cJSON_AddArrayToObject(srv, "rss_ready_kib_per_server");
        for (int i = 0; i < ri->n_rss_per_server; i++)
            cJSON_AddItemToArray(a, cJSON_CreateNumber((double)ri->rss_ready_per_server_kib[i]));
    }
    if (ri->sessions_by_node) {
        cJSON *by = cJSON_Parse(ri->sessions_by_node);
        if (cJSON_IsObject(by)) cJSON_AddItemToObject(o, "sessions_by_node", by);
        else cJSON_Delete(by);
    }
    if (ri->n_rss_series) {
        cJSON_AddNumberToObject(srv, "series_every_s", ri->rss_series_every_s);
        cJSON *s = cJSON_AddArrayToObject(srv, "series_kib");
        for (size_t i = 0; i < ri->n_rss_series; i++) cJSON_AddItemToArray(s, cJSON_CreateNumber((double)ri->rss_series_kib[i]));
    }

    /* chat, per step */
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");
    double best_deliv = 0, best_acked = 0;
    int best_deliv_step = -1, best_acked_step = -1;
    for (int k = 0; k < r->n_steps && k < ri->n_steps; k++) {
        const struct step_stats *s = &r->step[k];
        cJSON *x = cJSON_CreateObject();
        struct hist all;
        hist_init(&all);
        hist_merge(&all, &s->deliv_local);
        hist_merge(&all, &s->deliv_remote);
        double sec = ri->step_s > 0 ? ri->step_s : 1;
        double acked_ps = (double)s->acked / sec, deliv_ps = (double)s->deliveries / sec;
        cJSON_AddNumberToObject(x, "step", k);
        cJSON_AddNumberToObject(x, "planned_rate", ri->rate[k]);
        cJSON_AddNumberToObject(x, "seconds", ri->step_s);
        cJSON_AddNumberToObject(x, "sent", (double)s->sent);
        cJSON_AddNumberToObject(x, "acked", (double)s->acked);
        cJSON_AddNumberToObject(x, "acked_per_s", round1(acked_ps));
        cJSON_AddNumberToObject(x, "duplicate_acks", (double)s->dup_acks);
        cJSON_AddItemToObject(x, "errors", errors_obj(s->errors));
        cJSON_AddItemToObject(x, "ack_ms", lat_json(&s->ack));
        cJSON_AddNumberToObject(x, "deliveries", (double)s->deliveries);
        cJSON_AddNumberToObject(x, "deliveries_per_s", round1(deliv_ps));
        cJSON_AddItemToObject(x, "delivery_ms", lat_json(&all));
        if (s->deliv_remote.n) {
            cJSON_AddItemToObject(x, "local_delivery_ms", lat_json(&s->deliv_local));
            cJSON_AddItemToObject(x, "remote_delivery_ms", lat_json(&s->deliv_remote));
        }
        cJSON_AddItemToObject(x, "generator_lag_ms", lat_json(&s->lag));
        const struct cpu_use *cu = &ri->cpu[k];
        cJSON_AddItemToObject(x, "cpu", cpu_json(cu));
        if (cu->window_s > 0 && s->deliveries)
            cJSON_AddNumberToObject(x, "server_cpu_us_per_delivery", round3(cu->server * 1e6 / (double)s->deliveries));
        if (cu->window_s > 0 && s->acked)
            cJSON_AddNumberToObject(x, "server_cpu_us_per_msg", round1(cu->server * 1e6 / (double)s->acked));
        bool errors = sum_errors(s->errors) > 0;
        bool ack_ok = s->ack.n && ms(hist_value_at(&s->ack, 0.99)) <= ri->slo_ms && !errors;
        bool deliv_ok = all.n && ms(hist_value_at(&all, 0.99)) <= ri->slo_ms && !errors;
        cJSON_AddBoolToObject(x, "ack_p99_within_slo", ack_ok);
        cJSON_AddBoolToObject(x, "delivery_p99_within_slo", deliv_ok);
        if (ack_ok && acked_ps > best_acked) { best_acked = acked_ps; best_acked_step = k; }
        if (deliv_ok && deliv_ps > best_deliv) { best_deliv = deliv_ps; best_deliv_step = k; }
        cJSON_AddItemToArray(steps, x);
    }
    cJSON *best = cJSON_AddObjectToObject(o, "best");
    cJSON_AddNumberToObject(best, "acked_per_s", round1(best_acked));
    cJSON_AddNumberToObject(best, "acked_step", best_acked_step);
    cJSON_AddNumberToObject(best, "deliveries_per_s", round1(best_deliv));
    cJSON_AddNumberToObject(best, "deliveries_step", best_deliv_step);

    cJSON *req = cJSON_AddObjectToObject(o, "requests");
    for (int k = 0; k < RK_N; k++) {
        const struct req_stats *q = &r->req[k];
        if (!q->n) continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "n", (double)q->n);
        cJSON_AddNumberToObject(x, "ok", (double)q->ok);
        cJSON_AddItemToObject(x, "errors", errors_obj(q->errors));
        cJSON_AddItemToObject(x, "ms", lat_json(&q->lat));
        cJSON_AddItemToObject(req, req_kind_str((enum req_kind)k), x);
    }

    cJSON *in = cJSON_AddObjectToObject(o, "integrity");
    cJSON_AddNumberToObject(in, "chat_events", (double)r->events);
    cJSON_AddNumberToObject(in, "presence_events", (double)r->presence_events);
    cJSON_AddNumberToObject(in, "other_events", (double)r->other_events);    /* e.g. stats.live of --dashboards */
    cJSON_AddNumberToObject(in, "gaps", (double)r->gaps);
    cJSON_AddNumberToObject(in, "duplicates", (double)r->duplicates);
    cJSON_AddNumberToObject(in, "tail_loss", (double)result_tail_loss(r));
    cJSON_AddNumberToObject(in, "unacked", (double)r->unacked);
    cJSON_AddNumberToObject(in, "closed_unexpectedly", (double)r->closed_unexpectedly);
    cJSON_AddNumberToObject(in, "junk", (double)r->junk);
    char why[256];
    int clean = summary_clean(r, why, sizeof why);
    cJSON_AddBoolToObject(o, "clean", clean);
    if (!clean) cJSON_AddStringToObject(o, "why", why);
    return o;
}

int summary_clean(const struct result *r, char *why, size_t len)
{
    uint64_t errs = 0;
    for (int k = 0; k < r->n_steps; k++) errs += sum_errors(r->step[k].errors);
    for (int k = 0; k < RK_N; k++) errs += sum_errors(r->req[k].errors);
    /* a taken slot is the expected answer when visitors race for it, not a failure */
    errs -= r->req[RK_MEETING].errors[E_CONFLICT];
    uint64_t tail = result_tail_loss(r);
    why[0] = 0;
    size_t o = 0;
#define WHY(cond, ...) do { if ((cond) && o < len) o += (size_t)snprintf(why + o, len - o, __VA_ARGS__); } while (0)
    WHY(r->entered < r->sessions, "%llu of %llu sessions never entered; ",
        (unsigned long long)(r->sessions - r->entered), (unsigned long long)r->sessions);
    WHY(r->gaps, "%llu messages missing (seq gaps); ", (unsigned long long)r->gaps);
    WHY(tail, "%llu messages never delivered by the end; ", (unsigned long long)tail);
    WHY(r->duplicates, "%llu duplicate deliveries; ", (unsigned long long)r->duplicates);
    WHY(r->unacked, "%llu chat.send without reply; ", (unsigned long long)r->unacked);
    WHY(errs, "%llu error replies; ", (unsigned long long)errs);
    WHY(r->closed_unexpectedly, "%llu connections closed by the server; ", (unsigned long long)r->closed_unexpectedly);
    WHY(r->junk, "%llu unparseable messages; ", (unsigned long long)r->junk);
#undef WHY
    if (o >= 2 && o < len) why[o - 2] = 0;     /* drop the last "; " */
    return o == 0;
}

/* ---- table --------------------------------------------------------------------------- */

struct sbuf { char *s; size_t n, cap; };

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (need < 0) return;
        if (b->s && b->n + (size_t)need < b->cap) { b->n += (size_t)need; return; }
        b->cap = (b->cap + (size_t)need + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
    }
}

static double num(const cJSON *o, const char *path)
{
    char key[64];
    const cJSON *cur = o;
    while (cur && *path) {
        const char *dot = strchr(path, '.');
        size_t l = dot ? (size_t)(dot - path) : strlen(path);
        if (l >= sizeof key) return NAN;
        memcpy(key, path, l);
        key[l] = 0;
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        path += l + (dot ? 1 : 0);
    }
    return cJSON_IsNumber(cur) ? cur->valuedouble : NAN;
}

static void lat_cell(struct sbuf *b, const cJSON *o, const char *key)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!l || num(l, "n") == 0 || isnan(num(l, "n"))) { sb_printf(b, " %25s", "-"); return; }
    sb_printf(b, " %7.1f %8.1f %8.1f", num(l, "p50"), num(l, "p99"), num(l, "max"));
}

char *summary_table(const cJSON *s)
{
    struct sbuf b = {0};
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(s, "scenario");
    sb_printf(&b, "boothd-load: %s — %.0f sessions, %.0f booths, %.0f senders, %.0f server(s), %.0f generator process(es)\n",
              cJSON_IsString(sc) ? sc->valuestring : "?", num(s, "sessions"), num(s, "booths"),
              num(s, "senders"), num(s, "servers"), num(s, "procs"));
    sb_printf(&b, "connect: %.0f/%.0f entered in %.2f s (%.0f/s), join p50 %.1f ms p99 %.1f ms; failed: connect %.0f auth %.0f enter %.0f; retries %.0f\n",
              num(s, "connect.entered"), num(s, "connect.sessions"), num(s, "connect.seconds"),
              num(s, "connect.entered_per_s"), num(s, "connect.join_ms.p50"), num(s, "connect.join_ms.p99"),
              num(s, "connect.connect_failed"), num(s, "connect.auth_failed"), num(s, "connect.enter_failed"),
              num(s, "connect.retries"));
    sb_printf(&b, "         cpu during connect: server %.0f%%, postgres %.0f%%, generator %.0f%% (of one core)\n",
              num(s, "connect.cpu.server_pct"), num(s, "connect.cpu.postgres_pct"), num(s, "connect.cpu.generator_pct"));
    double per = num(s, "server_memory.rss_per_session_bytes");
    sb_printf(&b, "server RSS: %.0f KiB before, %.0f KiB with all sessions in, %.0f KiB at the end",
              num(s, "server_memory.rss_before_kib"), num(s, "server_memory.rss_ready_kib"),
              num(s, "server_memory.rss_end_kib"));
    if (!isnan(per)) sb_printf(&b, " (%.0f bytes per session)", per);
    sb_printf(&b, "\n");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(s, "steps");
    if (cJSON_GetArraySize(steps)) {
        sb_printf(&b, "\n%4s %8s %9s %9s %6s | %-25s | %-25s | %10s | %-24s | %8s\n", "step", "planned", "acked/s",
                  "deliv/s", "errors", "ack ms  p50      p99      max", "delivery ms p50   p99     max",
                  "lag p99 ms", "cpu % srv    pg   gen", "us/deliv");
        const cJSON *x;
        cJSON_ArrayForEach(x, steps) {
            double errs = 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(x, "errors")) errs += e->valuedouble;
            sb_printf(&b, "%4.0f %8.0f %9.1f %9.1f %6.0f |", num(x, "step"), num(x, "planned_rate"),
                      num(x, "acked_per_s"), num(x, "deliveries_per_s"), errs);
            lat_cell(&b, x, "ack_ms");
            sb_printf(&b, " |");
            lat_cell(&b, x, "delivery_ms");
            sb_printf(&b, " | %10.1f | %7.0f %5.0f %5.0f | %8.2f\n", num(x, "generator_lag_ms.p99"),
                      num(x, "cpu.server_pct"), num(x, "cpu.postgres_pct"), num(x, "cpu.generator_pct"),
                      num(x, "server_cpu_us_per_delivery"));
            if (cJSON_GetObjectItemCaseSensitive(x, "remote_delivery_ms"))
                sb_printf(&b, "     local delivery p50 %.1f p99 %.1f ms; remote (other node) p50 %.1f p99 %.1f ms\n",
                          num(x, "local_delivery_ms.p50"), num(x, "local_delivery_ms.p99"),
                          num(x, "remote_delivery_ms.p50"), num(x, "remote_delivery_ms.p99"));
        }
        sb_printf(&b, "best with p99 <= %.0f ms and no errors: %.1f acked msgs/s, %.1f deliveries/s\n",
                  num(s, "slo_ms"), num(s, "best.acked_per_s"), num(s, "best.deliveries_per_s"));
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "requests");
    if (cJSON_GetArraySize(req)) {
        sb_printf(&b, "\n%-16s %9s %9s %8s %8s %8s %8s\n", "request", "n", "ok", "errors", "p50 ms", "p99 ms", "max ms");
        const cJSON *x;
        cJSON_ArrayForEach(x, req) {
            double errs = 0;
            const cJSON *e;
            cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(x, "errors")) errs += e->valuedouble;
            sb_printf(&b, "%-16s %9.0f %9.0f %8.0f %8.1f %8.1f %8.1f\n", x->string, num(x, "n"), num(x, "ok"), errs,
                      num(x, "ms.p50"), num(x, "ms.p99"), num(x, "ms.max"));
        }
    }
    sb_printf(&b, "\nintegrity: %.0f chat events, %.0f gaps, %.0f never delivered, %.0f duplicates, %.0f unacked, %.0f closed by server\n",
              num(s, "integrity.chat_events"), num(s, "integrity.gaps"), num(s, "integrity.tail_loss"),
              num(s, "integrity.duplicates"), num(s, "integrity.unacked"), num(s, "integrity.closed_unexpectedly"));
    const cJSON *clean = cJSON_GetObjectItemCaseSensitive(s, "clean");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(s, "why");
    sb_printf(&b, "result: %s%s%s\n", cJSON_IsTrue(clean) ? "clean" : "NOT CLEAN",
              cJSON_IsString(why) ? ": " : "", cJSON_IsString(why) ? why->valuestring : "");
    return b.s;
}
