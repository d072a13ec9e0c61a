/* result.c — see result.h. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

static const char *const err_names[E_N] = {
    "rate_limited", "unavailable", "internal", "forbidden", "bad_request", "not_found",
    "unauthorized", "conflict", "other"
};
static const char *const req_names[RK_N] = {
    "auth.resume", "booth.enter", "booth.leave", "chat.send", "sys.ping", "hall.list",
    "booth.get", "chat.history", "meeting.slots", "meeting.request", "stats.subscribe"
};

const char *err_code_str(enum err_code c) { return c < E_N ? err_names[c] : "other"; }
const char *req_kind_str(enum req_kind k) { return k < RK_N ? req_names[k] : "?"; }

enum err_code err_code_from(const char *s)
{
    for (int i = 0; s && i < E_OTHER; i++)
        if (!strcmp(s, err_names[i])) return (enum err_code)i;
    return E_OTHER;
}

struct result *result_new(int n_steps)
{
    struct result *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->n_steps = n_steps < 0 ? 0 : n_steps > RESULT_MAX_STEPS ? RESULT_MAX_STEPS : n_steps;
    return r;
}

void result_free(struct result *r)
{
    if (!r) return;
    free(r->booths);
    free(r);
}

struct booth_end *result_booth(struct result *r, int64_t booth_id)
{
    size_t lo = 0, hi = r->n_booths;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->booths[mid].booth_id < booth_id) lo = mid + 1; else hi = mid;
    }
    if (lo < r->n_booths && r->booths[lo].booth_id == booth_id) return &r->booths[lo];
    r->booths = realloc(r->booths, sizeof *r->booths * (r->n_booths + 1));
    if (!r->booths) abort();
    memmove(&r->booths[lo + 1], &r->booths[lo], sizeof *r->booths * (r->n_booths - lo));
    r->n_booths++;
    struct booth_end *b = &r->booths[lo];
    memset(b, 0, sizeof *b);
    b->booth_id = booth_id;
    b->min_last = INT64_MAX;
    return b;
}

static void add_errors(uint64_t *dst, const uint64_t *src)
{
    for (int i = 0; i < E_N; i++) dst[i] += src[i];
}

static int64_t min_nonzero(int64_t a, int64_t b) { return !a ? b : !b ? a : a < b ? a : b; }

void result_merge(struct result *d, const struct result *s)
{
    if (s->n_steps > d->n_steps) d->n_steps = s->n_steps;
    for (int k = 0; k < s->n_steps; k++) {
        struct step_stats *a = &d->step[k];
        const struct step_stats *b = &s->step[k];
        a->sent += b->sent; a->acked += b->acked; a->dup_acks += b->dup_acks;
        a->deliveries += b->deliveries;
        add_errors(a->errors, b->errors);
        hist_merge(&a->ack, &b->ack);
        hist_merge(&a->deliv_local, &b->deliv_local);
        hist_merge(&a->deliv_remote, &b->deliv_remote);
        hist_merge(&a->lag, &b->lag);
    }
    for (int k = 0; k < RK_N; k++) {
        d->req[k].n += s->req[k].n;
        d->req[k].ok += s->req[k].ok;
        add_errors(d->req[k].errors, s->req[k].errors);
        hist_merge(&d->req[k].lat, &s->req[k].lat);
    }
    d->sessions += s->sessions; d->connected += s->connected; d->authed += s->authed;
    d->entered += s->entered; d->connect_failed += s->connect_failed;
    d->auth_failed += s->auth_failed; d->enter_failed += s->enter_failed;
    d->retries += s->retries; d->closed_unexpectedly += s->closed_unexpectedly;
    d->first_connect_us = min_nonzero(d->first_connect_us, s->first_connect_us);
    if (s->last_ready_us > d->last_ready_us) d->last_ready_us = s->last_ready_us;
    hist_merge(&d->join, &s->join);
    hist_merge(&d->upgrade, &s->upgrade);
    d->events += s->events; d->presence_events += s->presence_events;
    d->other_events += s->other_events; d->junk += s->junk;
    d->foreign_events += s->foreign_events; d->self_events += s->self_events;
    d->gaps += s->gaps; d->duplicates += s->duplicates; d->unacked += s->unacked;
    for (size_t i = 0; i < s->n_booths; i++) {
        const struct booth_end *b = &s->booths[i];
        struct booth_end *a = result_booth(d, b->booth_id);
        a->members += b->members;
        a->sum_last += b->sum_last;
        if (b->min_last < a->min_last) a->min_last = b->min_last;
        if (b->max_last > a->max_last) a->max_last = b->max_last;
        if (b->max_acked > a->max_acked) a->max_acked = b->max_acked;
    }
}

uint64_t result_tail_loss(const struct result *r)
{
    uint64_t lost = 0;
    for (size_t i = 0; i < r->n_booths; i++) {
        const struct booth_end *b = &r->booths[i];
        if (!b->members) continue;
        int64_t final = b->max_acked > b->max_last ? b->max_acked : b->max_last;
        uint64_t want = b->members * (uint64_t)(final > 0 ? final : 0);
        if (want > b->sum_last) lost += want - b->sum_last;
    }
    return lost;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void add_u(cJSON *o, const char *k, uint64_t v) { cJSON_AddNumberToObject(o, k, (double)v); }

static uint64_t get_u(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static int64_t get_i(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

cJSON *hist_to_json(const struct hist *h)
{
    cJSON *o = cJSON_CreateObject();
    add_u(o, "n", h->n);
    add_u(o, "sum", h->sum);
    add_u(o, "min", h->min);
    add_u(o, "max", h->max);
    cJSON *b = cJSON_AddArrayToObject(o, "b");
    for (int i = 0; i < HIST_BUCKETS; i++) {
        if (!h->b[i]) continue;
        cJSON_AddItemToArray(b, cJSON_CreateNumber(i));
        cJSON_AddItemToArray(b, cJSON_CreateNumber((double)h->b[i]));
    }
    return o;
}

int hist_from_json(const cJSON *j, struct hist *h)
{
    hist_init(h);
    if (!cJSON_IsObject(j)) return -1;
    h->n = get_u(j, "n");
    h->sum = get_u(j, "sum");
    h->min = get_u(j, "min");
    h->max = get_u(j, "max");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "b");
    if (!cJSON_IsArray(b)) return -1;
    const cJSON *e = b->child;
    uint64_t total = 0;
    while (e && e->next) {
        int idx = (int)e->valuedouble;
        if (idx < 0 || idx >= HIST_BUCKETS) return -1;
        h->b[idx] = (uint64_t)e->next->valuedouble;
        total += h->b[idx];
        e = e->next->next;
    }
    return total == h->n ? 0 : -1;
}

static cJSON *errors_json(const uint64_t *e)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < E_N; i++)
        if (e[i]) add_u(o, err_code_str((enum err_code)i), e[i]);
    return o;
}

static void errors_from(const cJSON *o, uint64_t *e)
{
    for (int i = 0; i < E_N; i++) e[i] = get_u(o, err_code_str((enum err_code)i));
}

static const char *const counters[] = {
    "sessions", "connected", "authed", "entered", "connect_failed", "auth_failed", "enter_failed",
    "retries", "closed_unexpectedly", "events", "presence_events", "other_events", "junk",
    "foreign_events", "self_events", "gaps", "duplicates", "unacked"
};

static uint64_t *counter_slot(struct result *r, int i)
{
    uint64_t *slots[] = {
        &r->sessions, &r->connected, &r->authed, &r->entered, &r->connect_failed, &r->auth_failed,
        &r->enter_failed, &r->retries, &r->closed_unexpectedly, &r->events, &r->presence_events,
        &r->other_events, &r->junk, &r->foreign_events, &r->self_events, &r->gaps, &r->duplicates,
        &r->unacked
    };
    _Static_assert(sizeof slots / sizeof slots[0] == sizeof counters / sizeof counters[0], "counters");
    return slots[i];
}
#define N_COUNTERS (sizeof counters / sizeof counters[0])

cJSON *result_to_json(const struct result *r)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < N_COUNTERS; i++) add_u(o, counters[i], *counter_slot((struct result *)r, (int)i));
    cJSON_AddNumberToObject(o, "first_connect_us", (double)r->first_connect_us);
    cJSON_AddNumberToObject(o, "last_ready_us", (double)r->last_ready_us);
    cJSON_AddItemToObject(o, "join", hist_to_json(&r->join));
    cJSON_AddItemToObject(o, "upgrade", hist_to_json(&r->upgrade));
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");
    for (int k = 0; k < r->n_steps; k++) {
        const struct step_stats *s = &r->step[k];
        cJSON *x = cJSON_CreateObject();
        add_u(x, "sent", s->sent);
        add_u(x, "acked", s->acked);
        add_u(x, "dup_acks", s->dup_acks);
        add_u(x, "deliveries", s->deliveries);
        cJSON_AddItemToObject(x, "errors", errors_json(s->errors));
        cJSON_AddItemToObject(x, "ack", hist_to_json(&s->ack));
        cJSON_AddItemToObject(x, "deliv_local", hist_to_json(&s->deliv_local));
        cJSON_AddItemToObject(x, "deliv_remote", hist_to_json(&s->deliv_remote));
        cJSON_AddItemToObject(x, "lag", hist_to_json(&s->lag));
        cJSON_AddItemToArray(steps, x);
    }
    cJSON *req = cJSON_AddObjectToObject(o, "requests");
    for (int k = 0; k < RK_N; k++) {
        cJSON *x = cJSON_CreateObject();
        add_u(x, "n", r->req[k].n);
        add_u(x, "ok", r->req[k].ok);
        cJSON_AddItemToObject(x, "errors", errors_json(r->req[k].errors));
        cJSON_AddItemToObject(x, "lat", hist_to_json(&r->req[k].lat));
        cJSON_AddItemToObject(req, req_kind_str((enum req_kind)k), x);
    }
    cJSON *booths = cJSON_AddArrayToObject(o, "booths");
    for (size_t i = 0; i < r->n_booths; i++) {
        const struct booth_end *b = &r->booths[i];
        cJSON *x = cJSON_CreateArray();
        double v[] = {(double)b->booth_id, (double)b->members, (double)b->sum_last,
                      b->min_last == INT64_MAX ? -1.0 : (double)b->min_last, (double)b->max_last,
                      (double)b->max_acked};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) cJSON_AddItemToArray(x, cJSON_CreateNumber(v[k]));
        cJSON_AddItemToArray(booths, x);
    }
    return o;
}

struct result *result_from_json(const cJSON *o)
{
    if (!cJSON_IsObject(o)) return NULL;
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(o, "steps");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(o, "requests");
    const cJSON *booths = cJSON_GetObjectItemCaseSensitive(o, "booths");
    if (!cJSON_IsArray(steps) || !cJSON_IsObject(req) || !cJSON_IsArray(booths)) return NULL;
    struct result *r = result_new(cJSON_GetArraySize(steps));
    for (size_t i = 0; i < N_COUNTERS; i++) *counter_slot(r, (int)i) = get_u(o, counters[i]);
    r->first_connect_us = get_i(o, "first_connect_us");
    r->last_ready_us = get_i(o, "last_ready_us");
    int bad = hist_from_json(cJSON_GetObjectItemCaseSensitive(o, "join"), &r->join) ||
              hist_from_json(cJSON_GetObjectItemCaseSensitive(o, "upgrade"), &r->upgrade);
    int k = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, steps) {
        if (k >= r->n_steps) break;
        struct step_stats *s = &r->step[k++];
        s->sent = get_u(x, "sent");
        s->acked = get_u(x, "acked");
        s->dup_acks = get_u(x, "dup_acks");
        s->deliveries = get_u(x, "deliveries");
        errors_from(cJSON_GetObjectItemCaseSensitive(x, "errors"), s->errors);
        bad |= hist_from_json(cJSON_GetObjectItemCaseSensitive(x, "ack"), &s->ack);
        bad |= hist_from_json(cJSON_GetObjectItemCaseSensitive(x, "deliv_local"), &s->deliv_local);
        bad |= hist_from_json(cJSON_GetObjectItemCaseSensitive(x, "deliv_remote"), &s->deliv_remote);
        bad |= hist_from_json(cJSON_GetObjectItemCaseSensitive(x, "lag"), &s->lag);
    }
    for (int q = 0; q < RK_N; q++) {
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(req, req_kind_str((enum req_kind)q));
        if (!y) continue;
        r->req[q].n = get_u(y, "n");
        r->req[q].ok = get_u(y, "ok");
        errors_from(cJSON_GetObjectItemCaseSensitive(y, "errors"), r->req[q].errors);
        bad |= hist_from_json(cJSON_GetObjectItemCaseSensitive(y, "lat"), &r->req[q].lat);
    }
    cJSON_ArrayForEach(x, booths) {
        if (cJSON_GetArraySize(x) != 6) { bad = 1; break; }
        double v[6];
        for (int i = 0; i < 6; i++) v[i] = cJSON_GetArrayItem(x, i)->valuedouble;
        struct booth_end *b = result_booth(r, (int64_t)v[0]);
        b->members = (uint64_t)v[1];
        b->sum_last = (uint64_t)v[2];
        b->min_last = v[3] < 0 ? INT64_MAX : (int64_t)v[3];
        b->max_last = (int64_t)v[4];
        b->max_acked = (int64_t)v[5];
    }
    if (bad) { result_free(r); return NULL; }
    return r;
}
