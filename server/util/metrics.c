/* metrics.c — see metrics.h. */
#define _GNU_SOURCE
#include "util/metrics.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Upper bounds of the histogram buckets (+Inf is implicit). */
static const double latency_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define N_LATENCY (sizeof latency_bounds / sizeof latency_bounds[0])
static const double batch_bounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
#define N_BATCH (sizeof batch_bounds / sizeof batch_bounds[0])
/* An idle node's iterations take tens of microseconds, a busy one's milliseconds. */
static const double loop_bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
#define N_LOOP (sizeof loop_bounds / sizeof loop_bounds[0])
#define MAX_BOUNDS 16

struct hist {
    uint64_t bucket[MAX_BOUNDS];    /* non-cumulative: bucket[i] counts bounds[i-1] < v <= bounds[i] */
    uint64_t count;                 /* also counts values above the last bound */
    double sum;
};

struct result_hist {
    int result;                     /* key of the result label */
    struct hist h;
};

/* Open addressing over the interned keys: a label is looked up on every request and every
 * queued message, and a linear strcmp scan over up to 256 keys was 20 % of boothd's CPU in the
 * fan-out benchmark (issue 15). Twice the key capacity, so probes stay short. */
#define KEY_SLOTS (2 * METRICS_MAX_KEYS)
_Static_assert((METRICS_MAX_KEYS & (METRICS_MAX_KEYS - 1)) == 0, "KEY_SLOTS is masked: a power of two");

struct registry {
    char *keys[METRICS_MAX_KEYS];
    int n_keys;
    short slot[KEY_SLOTS];          /* key index + 1; 0 = empty */
    int other;                      /* key of "other", interned first */
    uint64_t ws_in[METRICS_MAX_KEYS];
    uint64_t ws_out[METRICS_MAX_KEYS];
    uint64_t ws_out_bytes[METRICS_MAX_KEYS];
    struct result_hist *req[METRICS_MAX_KEYS];      /* per type: one histogram per result */
    unsigned n_req[METRICS_MAX_KEYS];
    struct hist *db[METRICS_MAX_KEYS];              /* per statement */
    uint64_t notify[METRICS_MAX_KEYS];
    struct hist chat_batch;
    struct hist loop_turn;
    uint64_t catchup_ring, catchup_table, hidden_rereads;
    uint64_t flush_deferred, events_held;
    uint64_t plan_settings;
};

static struct registry reg;

static void hist_observe(struct hist *h, const double *bounds, size_t n, double v)
{
    size_t i = 0;
    while (i < n && v > bounds[i]) i++;
    if (i < n) h->bucket[i]++;
    h->count++;
    h->sum += v;
}

static unsigned key_hash(const char *v)
{
    uint32_t h = 2166136261u;                     /* FNV-1a */
    for (; *v; v++) h = (h ^ (unsigned char)*v) * 16777619u;
    return h;
}

int metrics_key(const char *value)
{
    if (!value) value = "other";
    unsigned at = key_hash(value) & (KEY_SLOTS - 1);
    for (; reg.slot[at]; at = (at + 1) & (KEY_SLOTS - 1))
        if (!strcmp(reg.keys[reg.slot[at] - 1], value)) return reg.slot[at] - 1;
    if (reg.n_keys == 0 && strcmp(value, "other")) {
        reg.other = metrics_key("other");
        return metrics_key(value);                /* "other" may have taken this slot */
    }
    if (reg.n_keys == METRICS_MAX_KEYS) return reg.other;
    reg.keys[reg.n_keys] = strdup(value);
    if (!reg.keys[reg.n_keys]) abort();
    reg.slot[at] = (short)(reg.n_keys + 1);
    return reg.n_keys++;
}

void metrics_ws_in(const char *type) { reg.ws_in[metrics_key(type)]++; }

void metrics_ws_out(const char *kind, size_t bytes) { metrics_ws_out_key(metrics_key(kind), bytes); }

void metrics_ws_out_key(int key, size_t bytes)
{
    if (key < 0 || key >= reg.n_keys) key = metrics_key(NULL);
    reg.ws_out[key]++;
    reg.ws_out_bytes[key] += bytes;
}

static struct result_hist *request_hist(int type, int result)
{
    for (unsigned i = 0; i < reg.n_req[type]; i++)
        if (reg.req[type][i].result == result) return &reg.req[type][i];
    struct result_hist *a = realloc(reg.req[type], sizeof *a * (reg.n_req[type] + 1));
    if (!a) abort();
    reg.req[type] = a;
    struct result_hist *h = &a[reg.n_req[type]++];
    memset(h, 0, sizeof *h);
    h->result = result;
    return h;
}

void metrics_request_done(const char *type, const char *result, double seconds)
{
    struct result_hist *h = request_hist(metrics_key(type ? type : "unknown"), metrics_key(result));
    hist_observe(&h->h, latency_bounds, N_LATENCY, seconds);
}

uint64_t metrics_requests_ok(const char *type)
{
    int t = metrics_key(type), ok = metrics_key("ok");
    for (unsigned i = 0; i < reg.n_req[t]; i++)
        if (reg.req[t][i].result == ok) return reg.req[t][i].h.count;
    return 0;
}

void metrics_chat_batch(unsigned n) { hist_observe(&reg.chat_batch, batch_bounds, N_BATCH, n); }

void metrics_loop_turn(double busy_seconds) { hist_observe(&reg.loop_turn, loop_bounds, N_LOOP, busy_seconds); }

void metrics_chat_hidden_reread(void) { reg.hidden_rereads++; }

void metrics_flush_deferred(void) { reg.flush_deferred++; }

void metrics_events_held(void) { reg.events_held++; }
void metrics_db_plan_setting(void) { reg.plan_settings++; }
uint64_t metrics_db_plan_settings(void) { return reg.plan_settings; }

void metrics_chat_catchup(bool from_ring, unsigned n)
{
    if (from_ring) reg.catchup_ring += n;
    else reg.catchup_table += n;
}

void metrics_db_query(const char *statement, double seconds)
{
    int k = metrics_key(statement);
    if (!reg.db[k]) {
        reg.db[k] = calloc(1, sizeof *reg.db[k]);
        if (!reg.db[k]) abort();
    }
    hist_observe(reg.db[k], latency_bounds, N_LATENCY, seconds);
}

void metrics_notify(const char *channel) { reg.notify[metrics_key(channel)]++; }

void metrics_reset(void)
{
    for (int i = 0; i < METRICS_MAX_KEYS; i++) {
        free(reg.keys[i]);
        free(reg.req[i]);
        free(reg.db[i]);
    }
    memset(&reg, 0, sizeof reg);
}

/* ---------- rendering ---------- */

struct out {
    char *buf;
    size_t len, cap;
};

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(struct out *o, const char *fmt, ...)
{
    if (!o->buf) {
        o->cap = 256;
        o->buf = malloc(o->cap);
        if (!o->buf) abort();
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) abort();
        if ((size_t)n < o->cap - o->len) { o->len += (size_t)n; return; }
        o->cap = (o->cap + (size_t)n) * 2;
        o->buf = realloc(o->buf, o->cap);
        if (!o->buf) abort();
    }
}

static void header(struct out *o, const char *name, const char *type, const char *help)
{
    out_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with the format's escapes (backslash, double quote, newline). Keys come from
 * our code, but a statement or channel name could still hold any byte. */
static void label_value(struct out *o, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\') out_printf(o, "\\\\");
        else if (*v == '"') out_printf(o, "\\\"");
        else if (*v == '\n') out_printf(o, "\\n");
        else out_printf(o, "%c", *v);
    }
}

/* `labels` is the rendered label list without braces ("" for none), e.g. type="chat.send". */
static void hist_lines(struct out *o, const char *name, const char *labels, const struct hist *h,
                       const double *bounds, size_t n)
{
    const char *sep = *labels ? "," : "";
    uint64_t cum = 0;
    for (size_t i = 0; i < n; i++) {
        cum += h->bucket[i];
        out_printf(o, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep, bounds[i], (unsigned long long)cum);
    }
    out_printf(o, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, (unsigned long long)h->count);
    if (*labels) {
        out_printf(o, "%s_sum{%s} %.9g\n", name, labels, h->sum);
        out_printf(o, "%s_count{%s} %llu\n", name, labels, (unsigned long long)h->count);
    } else {
        out_printf(o, "%s_sum %.9g\n", name, h->sum);
        out_printf(o, "%s_count %llu\n", name, (unsigned long long)h->count);
    }
}

static char *labels1(const char *name, const char *value)
{
    struct out o = {0};
    out_printf(&o, "%s=\"", name);
    label_value(&o, value);
    out_printf(&o, "\"");
    return o.buf;
}

static void counter_by_key(struct out *o, const char *name, const char *label, const uint64_t *v)
{
    for (int k = 0; k < reg.n_keys; k++) {
        if (!v[k]) continue;
        char *l = labels1(label, reg.keys[k]);
        out_printf(o, "%s{%s} %llu\n", name, l, (unsigned long long)v[k]);
        free(l);
    }
}

/* ---------- process_* from /proc/self ---------- */

struct proc_stat { double cpu_s; uint64_t vsize, rss_bytes; };

static bool read_proc_stat(struct proc_stat *ps)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f) return false;
    char line[2048];
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!ok) return false;
    /* The command name (field 2) may hold spaces and parentheses: fields after the last ')'. */
    char *p = strrchr(line, ')');
    if (!p) return false;
    unsigned long utime, stime, vsize;
    long rss;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d %*d %*u %lu %ld",
               &utime, &stime, &vsize, &rss) != 4)
        return false;
    double tick = (double)sysconf(_SC_CLK_TCK);
    ps->cpu_s = (double)(utime + stime) / tick;
    ps->vsize = vsize;
    ps->rss_bytes = (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
    return true;
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1;       /* the directory stream's own descriptor */
}

static void process_metrics(struct out *o, double start_time_s)
{
    struct proc_stat ps;
    if (read_proc_stat(&ps)) {
        header(o, "process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
        out_printf(o, "process_cpu_seconds_total %.2f\n", ps.cpu_s);
        header(o, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out_printf(o, "process_resident_memory_bytes %llu\n", (unsigned long long)ps.rss_bytes);
        header(o, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        out_printf(o, "process_virtual_memory_bytes %llu\n", (unsigned long long)ps.vsize);
    }
    int fds = count_fds();
    if (fds >= 0) {
        header(o, "process_open_fds", "gauge", "Number of open file descriptors.");
        out_printf(o, "process_open_fds %d\n", fds);
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        header(o, "process_max_fds", "gauge", "Maximum number of open file descriptors (soft limit).");
        out_printf(o, "process_max_fds %llu\n", (unsigned long long)rl.rlim_cur);
    }
    header(o, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
    out_printf(o, "process_start_time_seconds %.3f\n", start_time_s);
}

char *metrics_render(const struct metrics_gauges *g, double start_time_s)
{
    struct out o = {0};

    header(&o, "boothd_sessions", "gauge", "Open WebSocket sessions on this node.");
    out_printf(&o, "boothd_sessions %u\n", g->sessions);
    header(&o, "boothd_sessions_signed_in", "gauge", "Open WebSocket sessions on this node that are signed in.");
    out_printf(&o, "boothd_sessions_signed_in %u\n", g->signed_in);

    header(&o, "boothd_ws_messages_in_total", "counter", "WebSocket messages received, by request type.");
    counter_by_key(&o, "boothd_ws_messages_in_total", "type", reg.ws_in);
    header(&o, "boothd_ws_messages_out_total", "counter",
           "WebSocket messages queued to sessions (one per recipient), by kind: reply, error or event type.");
    counter_by_key(&o, "boothd_ws_messages_out_total", "type", reg.ws_out);
    header(&o, "boothd_ws_bytes_out_total", "counter", "Payload bytes queued to sessions, by kind.");
    counter_by_key(&o, "boothd_ws_bytes_out_total", "type", reg.ws_out_bytes);

    header(&o, "boothd_ws_outbound_queue_bytes", "gauge", "Bytes waiting in the outbound queues of every session.");
    out_printf(&o, "boothd_ws_outbound_queue_bytes %llu\n", (unsigned long long)g->queue_bytes);
    header(&o, "boothd_ws_outbound_queue_messages", "gauge", "Messages waiting in the outbound queues of every session.");
    out_printf(&o, "boothd_ws_outbound_queue_messages %llu\n", (unsigned long long)g->queue_messages);

    header(&o, "boothd_request_duration_seconds", "histogram",
           "Time from receiving a request to queuing its reply, by type and result (ok or error code).");
    for (int t = 0; t < reg.n_keys; t++)
        for (unsigned i = 0; i < reg.n_req[t]; i++) {
            struct out l = {0};
            out_printf(&l, "type=\"");
            label_value(&l, reg.keys[t]);
            out_printf(&l, "\",result=\"");
            label_value(&l, reg.keys[reg.req[t][i].result]);
            out_printf(&l, "\"");
            hist_lines(&o, "boothd_request_duration_seconds", l.buf, &reg.req[t][i].h, latency_bounds, N_LATENCY);
            free(l.buf);
        }

    header(&o, "boothd_chat_batch_size", "histogram", "Chat messages committed per batch (one transaction each).");
    hist_lines(&o, "boothd_chat_batch_size", "", &reg.chat_batch, batch_bounds, N_BATCH);

    header(&o, "boothd_chat_catchup_messages_total", "counter",
           "Chat messages sent to members catching up, by where they came from: the room's ring in memory or the table.");
    out_printf(&o, "boothd_chat_catchup_messages_total{from=\"ring\"} %llu\n", (unsigned long long)reg.catchup_ring);
    out_printf(&o, "boothd_chat_catchup_messages_total{from=\"table\"} %llu\n", (unsigned long long)reg.catchup_table);

    header(&o, "boothd_chat_hidden_rereads_total", "counter",
           "booth.enter and catch-up reads done again because a chat message was hidden while they ran.");
    out_printf(&o, "boothd_chat_hidden_rereads_total %llu\n", (unsigned long long)reg.hidden_rereads);

    header(&o, "boothd_ws_event_writes_deferred_total", "counter",
           "Loop turns that wrote events for their 4 ms and left the rest for the next turn.");
    out_printf(&o, "boothd_ws_event_writes_deferred_total %llu\n", (unsigned long long)reg.flush_deferred);
    header(&o, "boothd_ws_events_held_total", "counter",
           "Times the node let events wait for the next round of --event-hold-ms (their members were written in this one).");
    out_printf(&o, "boothd_ws_events_held_total %llu\n", (unsigned long long)reg.events_held);

    header(&o, "boothd_loop_busy_seconds", "histogram",
           "Work of one event-loop iteration, its wait for I/O not counted: everything waits behind a long one; "
           "the sum over elapsed time is the loop's utilization.");
    hist_lines(&o, "boothd_loop_busy_seconds", "", &reg.loop_turn, loop_bounds, N_LOOP);

    header(&o, "boothd_db_connections", "gauge", "PostgreSQL query connections of this node, by state.");
    out_printf(&o, "boothd_db_connections{state=\"up\"} %u\n", g->db_connections);
    out_printf(&o, "boothd_db_connections{state=\"busy\"} %u\n", g->db_busy);
    header(&o, "boothd_db_queued_queries", "gauge", "Queries waiting for a free PostgreSQL connection.");
    out_printf(&o, "boothd_db_queued_queries %u\n", g->db_queued);
    header(&o, "boothd_db_query_duration_seconds", "histogram",
           "Time from submitting a prepared statement to its result (queueing included), by statement.");
    for (int k = 0; k < reg.n_keys; k++) {
        if (!reg.db[k]) continue;
        char *l = labels1("statement", reg.keys[k]);
        hist_lines(&o, "boothd_db_query_duration_seconds", l, reg.db[k], latency_bounds, N_LATENCY);
        free(l);
    }
    header(&o, "boothd_db_plan_setting_round_trips_total", "counter",
           "Round trips query connections spent on plan settings for statements run with their generic plan.");
    out_printf(&o, "boothd_db_plan_setting_round_trips_total %llu\n", (unsigned long long)reg.plan_settings);
    header(&o, "boothd_notify_received_total", "counter", "PostgreSQL notifications received, by channel.");
    counter_by_key(&o, "boothd_notify_received_total", "channel", reg.notify);

    process_metrics(&o, start_time_s);
    return o.buf;
}
