/* worker.c — one generator process: its sessions, speaking expo.v1 over the generator's own
 * small WebSocket client (wsconn.c) on a libuv loop that this file owns.
 *
 * A session is a small state machine:
 *   S_IDLE -> S_CONNECTING -> (open) S_AUTH: auth.resume sent
 *          -> S_ENTERING: booth.enter sent (chat mode) -> S_READY
 *          (a dashboard session, index < --dashboards: stats.subscribe instead of booth.enter;
 *          then it only receives stats.live, counted as other events)
 *   any failure during the connect phase (also no 101 within CONNECT_TIMEOUT_US) -> S_IDLE
 *   again after 1 s (while retries last), else S_FAILED.
 * In mixed mode a session is READY once signed in; a second machine (mstate) then browses
 * the hall, looks at a booth, enters, stays, chats, leaves, and starts over.
 *
 * Everything that happens at a planned time goes through one min-heap keyed by time:
 * entry id = local session index * 4 + kind (0 chat send or mixed action, 1 ping,
 * 2 reconnect, 3 connect timeout). A 1 ms uv timer pops what is due. A request is written
 * to the socket at once when it takes it; the rest waits, in order, in the connection's
 * write queue (wsconn.h). Replies are parsed with cJSON; chat.message events, the bulk of
 * the traffic, with scan.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "load.h"
#include "result.h"
#include "scan.h"
#include "wsconn.h"

#define MAX_SRC_ADDRS 64
#define RETRY_DELAY_US 1000000
#define MAX_POPS_PER_TICK 4000
/* A connection without its 101 by then is given up (what lws's connect_timeout_secs did). */
#define CONNECT_TIMEOUT_US 20000000

enum sstate { S_IDLE, S_CONNECTING, S_AUTH, S_ENTERING, S_READY, S_FAILED };
enum mstate { M_NONE, M_BROWSE, M_LOOK, M_ENTER, M_IN, M_WAIT, M_DONE };
enum hkind { H_ACT = 0, H_PING = 1, H_RETRY = 2, H_CONNECT_TIMEOUT = 3 };

struct worker;

struct sess {
    struct worker *w;
    struct wsconn *conn;            /* NULL when not connected (or given up on) */
    int gidx;                       /* global session index */
    uint8_t state, node, retries_left, mstate;
    bool chatter, dead;
    int64_t booth;                  /* the booth it is in or entering; 0 none */
    int64_t last_seq;
    uint8_t in_booth;               /* 0 no, 1 entering, 2 inside */
    int64_t t_connect;
    int64_t connect_deadline;       /* this attempt's 101 must come by then */
    double phase;
    uint64_t rng;
    uint32_t msg_counter;
    uint32_t outstanding_chat;
    int64_t dwell_end, next_chat;
};

struct worker {
    const struct load_cfg *cfg;
    int w;
    struct load_ctl *ctl;
    uv_loop_t loop;
    uv_timer_t tick;
    char *txbuf;                    /* WSCONN_PRE headroom + one request; reused per send */
    size_t txcap;
    struct sess *s;
    int n;
    int launched;
    int64_t ramp_start;
    double ramp_per_us;
    int phase_pending;              /* sessions not yet READY or FAILED */
    bool reported_ready, started, finished, tearing_down;
    int64_t connect_deadline, end_send, end_all;
    struct plan plan;
    struct heap heap;
    struct result *r;
    char addr[MAX_SRC_ADDRS][16];
};

int64_t load_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int local_of(const struct worker *w, const struct sess *s) { return (int)(s - w->s); }

/* ---- sending ------------------------------------------------------------------------- */

/* Sends {"id":"<kind>.<now>.<aux>","type":type,"data":{<data>}}, formatted in the worker's
 * scratch buffer (wsconn copies only what the socket does not take at once). A session whose
 * connection is gone sends nothing, as lws dropped a dead wsi's queue; the request still
 * counts as sent, as before. */
static void send_req(struct sess *s, enum req_kind kind, int64_t aux, const char *type, const char *fmt, ...)
{
    size_t cap = s->w->txcap - WSCONN_PRE;
    char *p = s->w->txbuf + WSCONN_PRE;
    int n = snprintf(p, cap, "{\"id\":\"%d.%lld.%lld\",\"type\":\"%s\",\"data\":{", (int)kind,
                     (long long)load_now_us(), (long long)aux, type);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(p + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    n += snprintf(p + n, cap - (size_t)n, "}}");
    if ((size_t)n >= cap) abort();      /* our own messages always fit */
    s->w->r->req[kind].n++;
    if (s->conn) wsconn_send_text(s->conn, p, (size_t)n);
}

static void send_chat(struct sess *s, int64_t planned, int step)
{
    struct worker *w = s->w;
    char text[4096 + 64];
    struct marker m = {planned, step, s->gidx, s->node};
    size_t want = (size_t)w->cfg->msg_bytes;
    if (want > 4096) want = 4096;
    marker_format(text, want, &m);
    s->outstanding_chat++;
    if (step >= 0 && step < w->r->n_steps) {
        w->r->step[step].sent++;
        hist_add(&w->r->step[step].lag, load_now_us() - planned);
    }
    send_req(s, RK_CHAT, step, "chat.send", "\"booth_id\":%lld,\"text\":\"%s\",\"client_msg_id\":\"%s-%d-%u\"",
             (long long)s->booth, text, w->cfg->nonce, s->gidx, ++s->msg_counter);
}

static void send_enter(struct sess *s, int64_t booth)
{
    s->booth = booth;
    s->in_booth = 1;
    send_req(s, RK_ENTER, booth, "booth.enter", "\"booth_id\":%lld", (long long)booth);
}

/* Closes the session's connection and forgets it now: it reports nothing more. */
static void kill_async(struct sess *s)
{
    if (s->conn) wsconn_kill(s->conn);
    s->conn = NULL;
}

/* ---- connect phase ------------------------------------------------------------------- */

static void phase_settled(struct sess *s)
{
    s->w->phase_pending--;
}

static void connect_session(struct sess *s);

/* A failure before the session is READY: retry later or give up. */
static void join_failed(struct sess *s, uint64_t *counter)
{
    struct worker *w = s->w;
    s->in_booth = 0;
    s->booth = 0;
    if (s->retries_left > 0 && !w->started && !w->tearing_down) {
        s->retries_left--;
        w->r->retries++;
        s->state = S_IDLE;
        heap_push(&w->heap, load_now_us() + RETRY_DELAY_US, (uint32_t)(local_of(w, s) * 4 + H_RETRY));
        return;
    }
    (*counter)++;
    s->state = S_FAILED;
    phase_settled(s);
}

static void session_ready(struct sess *s)
{
    struct worker *w = s->w;
    s->state = S_READY;
    w->r->entered++;
    hist_add(&w->r->join, load_now_us() - s->t_connect);
    phase_settled(s);
    if (w->started && w->cfg->mode == MODE_MIXED && s->gidx >= w->cfg->dashboards) {
        /* joined late (after a retry): start browsing now */
        s->mstate = M_BROWSE;
        heap_push(&w->heap, load_now_us() + 1000, (uint32_t)(local_of(w, s) * 4 + H_ACT));
    }
}

static const struct wsconn_cbs conn_cbs;

static void connect_session(struct sess *s)
{
    struct worker *w = s->w;
    const struct load_cfg *c = w->cfg;
    const struct load_url *u = &c->url[s->node];
    struct wsconn_target t = {.host = u->host, .port = u->port, .path = u->path, .protocol = "expo.v1",
                              .src_addr = c->src_addrs > 0 ? w->addr[s->gidx % c->src_addrs] : NULL};
    s->state = S_CONNECTING;
    int64_t now = load_now_us();
    if (!w->r->first_connect_us) w->r->first_connect_us = now;
    if (!s->t_connect) s->t_connect = now;
    const char *why = NULL;
    s->conn = wsconn_connect(&w->loop, &t, &conn_cbs, s, &why);
    if (!s->conn) {
        if (c->verbose) fprintf(stderr, "boothd-load: session %d: connect failed: %s\n", s->gidx, why);
        join_failed(s, &w->r->connect_failed);
        return;
    }
    s->connect_deadline = now + CONNECT_TIMEOUT_US;
    heap_push(&w->heap, s->connect_deadline, (uint32_t)(local_of(w, s) * 4 + H_CONNECT_TIMEOUT));
}

/* ---- mixed mode ---------------------------------------------------------------------- */

static int64_t after_s(struct sess *s, double lo, double hi)
{
    return load_now_us() + (int64_t)(rng_range(&s->rng, lo, hi) * 1e6);
}

static void schedule_act(struct sess *s, int64_t t)
{
    struct worker *w = s->w;
    if (t >= w->end_send) { s->mstate = M_DONE; return; }
    heap_push(&w->heap, t, (uint32_t)(local_of(w, s) * 4 + H_ACT));
}

static int64_t random_booth(struct sess *s)
{
    const struct load_cfg *c = s->w->cfg;
    return c->booth_ids[rng_next(&s->rng) % (uint64_t)c->n_booths];
}

static void mixed_act(struct sess *s, int64_t planned)
{
    struct worker *w = s->w;
    const struct load_cfg *c = w->cfg;
    int64_t now = load_now_us();
    switch (s->mstate) {
    case M_BROWSE: {
        static const char *const qs[] = {"", "", "", "", "tea", "kimchi", "beauty", "steel", "baby", "한"};
        const char *q = qs[rng_next(&s->rng) % (sizeof qs / sizeof qs[0])];
        s->mstate = M_WAIT;
        send_req(s, RK_HALL, 0, "hall.list", "\"q\":\"%s\",\"limit\":50", q);
        break;
    }
    case M_LOOK:
        s->booth = random_booth(s);
        s->mstate = M_WAIT;
        send_req(s, RK_GET, s->booth, "booth.get", "\"booth_id\":%lld", (long long)s->booth);
        break;
    case M_ENTER:
        s->mstate = M_WAIT;
        send_enter(s, s->booth);
        break;
    case M_IN:
        if (now >= s->dwell_end) {
            s->in_booth = 0;        /* events still in flight after this are not counted */
            s->mstate = M_WAIT;
            send_req(s, RK_LEAVE, s->booth, "booth.leave", "\"booth_id\":%lld", (long long)s->booth);
            break;
        }
        if (s->chatter && now >= s->next_chat) {
            send_chat(s, planned, 0);
            s->next_chat = now + (int64_t)(rng_range(&s->rng, 0.5, 1.5) * c->chat_every_s * 1e6);
        }
        schedule_act(s, s->chatter && s->next_chat < s->dwell_end ? s->next_chat : s->dwell_end);
        break;
    default:
        break;
    }
}

/* A mixed-mode reply arrived for the request that moved the session to M_WAIT. */
static void mixed_after(struct sess *s, enum req_kind kind, bool ok)
{
    const struct load_cfg *c = s->w->cfg;
    if (s->mstate != M_WAIT) return;
    switch (kind) {
    case RK_HALL:
        s->mstate = M_LOOK;
        schedule_act(s, after_s(s, c->think_min_s, c->think_max_s));
        break;
    case RK_GET:
        s->mstate = ok ? M_ENTER : M_BROWSE;
        schedule_act(s, after_s(s, 1.0, 3.0));
        break;
    case RK_ENTER:
        if (!ok) {
            s->mstate = M_BROWSE;
            schedule_act(s, after_s(s, c->think_min_s, c->think_max_s));
            break;
        }
        s->mstate = M_IN;
        s->dwell_end = after_s(s, c->dwell_min_s, c->dwell_max_s);
        s->next_chat = after_s(s, 0.2 * c->chat_every_s, 1.2 * c->chat_every_s);
        if (rng_unit(&s->rng) < c->history_p)
            send_req(s, RK_HISTORY, s->booth, "chat.history", "\"booth_id\":%lld,\"limit\":50", (long long)s->booth);
        schedule_act(s, s->chatter && s->next_chat < s->dwell_end ? s->next_chat : s->dwell_end);
        break;
    case RK_LEAVE:
        if (c->meeting_p > 0 && rng_unit(&s->rng) < c->meeting_p) {
            /* stays M_WAIT: the slots reply decides what comes next */
            send_req(s, RK_SLOTS, s->booth, "meeting.slots", "\"booth_id\":%lld", (long long)s->booth);
            s->booth = 0;
            break;
        }
        s->booth = 0;
        s->mstate = M_BROWSE;
        schedule_act(s, after_s(s, c->think_min_s, c->think_max_s));
        break;
    case RK_SLOTS:
    case RK_MEETING:
        s->mstate = M_BROWSE;
        schedule_act(s, after_s(s, c->think_min_s, c->think_max_s));
        break;
    default:
        break;
    }
}

/* meeting.slots answered: ask for one of the available slots, at random. */
static void on_slots(struct sess *s, int64_t booth, bool ok, const cJSON *data)
{
    const cJSON *slots = cJSON_GetObjectItemCaseSensitive(data, "slots"), *e;
    int n = 0;
    if (ok) cJSON_ArrayForEach(e, slots) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "available"))) n++;
    if (!n || s->mstate != M_WAIT) { mixed_after(s, RK_SLOTS, ok); return; }
    int pick = (int)(rng_next(&s->rng) % (uint64_t)n);
    cJSON_ArrayForEach(e, slots) {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "available")) || pick--) continue;
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "starts_at");
        if (!cJSON_IsString(st) || strlen(st->valuestring) > 40 || strchr(st->valuestring, '"')) break;
        send_req(s, RK_MEETING, booth, "meeting.request", "\"booth_id\":%lld,\"starts_at\":\"%s\",\"note\":\"boothd-load\"",
                 (long long)booth, st->valuestring);
        return;
    }
    mixed_after(s, RK_SLOTS, ok);
}

/* ---- receiving ----------------------------------------------------------------------- */

static void on_chat_event(struct sess *s, const char *buf, size_t len)
{
    struct worker *w = s->w;
    struct result *r = w->r;
    struct chat_event ev;
    r->events++;
    if (scan_chat_event(buf, len, &ev)) {
        /* not the layout we know: fall back to a full parse */
        cJSON *j = cJSON_ParseWithLength(buf, len);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "data"), "message");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(m, "booth_id"), *q = cJSON_GetObjectItemCaseSensitive(m, "seq");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "text");
        if (!cJSON_IsNumber(b) || !cJSON_IsNumber(q)) { r->junk++; cJSON_Delete(j); return; }
        memset(&ev, 0, sizeof ev);
        ev.booth_id = (int64_t)b->valuedouble;
        ev.seq = (int64_t)q->valuedouble;
        if (cJSON_IsString(t)) ev.has_marker = marker_parse(t->valuestring, strlen(t->valuestring), &ev.m) == 0;
        cJSON_Delete(j);
    }
    if (s->in_booth != 2 || ev.booth_id != s->booth) return;   /* left, or not in yet */
    if (ev.seq <= s->last_seq) {
        r->duplicates++;
        return;
    }
    if (ev.seq > s->last_seq + 1) r->gaps += (uint64_t)(ev.seq - s->last_seq - 1);
    s->last_seq = ev.seq;
    if (!ev.has_marker) { r->foreign_events++; return; }
    if (ev.m.sender == s->gidx) { r->self_events++; return; }
    if (ev.m.step < 0 || ev.m.step >= r->n_steps) return;
    struct step_stats *st = &r->step[ev.m.step];
    st->deliveries++;
    int64_t lat = load_now_us() - ev.m.planned_us;
    hist_add(ev.m.node == s->node ? &st->deliv_local : &st->deliv_remote, lat);
}

static void on_reply(struct sess *s, const char *buf, size_t len)
{
    struct worker *w = s->w;
    struct result *r = w->r;
    int64_t now = load_now_us();
    cJSON *j = cJSON_ParseWithLength(buf, len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    int kind;
    long long sent, aux;
    if (!cJSON_IsString(id) || sscanf(id->valuestring, "%d.%lld.%lld", &kind, &sent, &aux) != 3 ||
        kind < 0 || kind >= RK_N) {
        r->junk++;
        cJSON_Delete(j);
        return;
    }
    bool ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok"));
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(j, "data");
    struct req_stats *q = &r->req[kind];
    hist_add(&q->lat, now - sent);
    enum err_code code = E_OTHER;
    if (ok) {
        q->ok++;
    } else {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
        code = err_code_from(cJSON_IsString(c) ? c->valuestring : NULL);
        q->errors[code]++;
        if (w->cfg->verbose) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
            fprintf(stderr, "boothd-load: session %d: %s failed: %s (%s)\n", s->gidx, req_kind_str((enum req_kind)kind),
                    err_code_str(code), cJSON_IsString(m) ? m->valuestring : "");
        }
    }

    switch ((enum req_kind)kind) {
    case RK_RESUME:
        if (s->state != S_AUTH) break;
        if (!ok) { kill_async(s); join_failed(s, &r->auth_failed); break; }
        r->authed++;
        if (s->gidx < w->cfg->dashboards) {
            s->state = S_ENTERING;
            send_req(s, RK_STATS, 0, "stats.subscribe", "");
        } else if (w->cfg->mode == MODE_CHAT) {
            s->state = S_ENTERING;
            send_enter(s, w->cfg->booth_ids[s->gidx % w->cfg->n_booths]);
        } else {
            session_ready(s);
        }
        break;
    case RK_ENTER: {
        if (!ok) s->in_booth = 0;
        if (ok && s->in_booth == 1 && aux == s->booth) {
            const cJSON *ls = cJSON_GetObjectItemCaseSensitive(data, "last_seq");
            s->last_seq = cJSON_IsNumber(ls) ? (int64_t)ls->valuedouble : 0;
            s->in_booth = 2;
        }
        if (s->state == S_ENTERING) {
            if (ok) session_ready(s);
            else { kill_async(s); join_failed(s, &r->enter_failed); }
        } else {
            mixed_after(s, RK_ENTER, ok);
        }
        break;
    }
    case RK_CHAT: {
        if (s->outstanding_chat) s->outstanding_chat--;
        int step = (int)aux;
        if (!ok) {
            if (step >= 0 && step < r->n_steps) r->step[step].errors[code]++;
            break;
        }
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(data, "message");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "text");
        const cJSON *sq = cJSON_GetObjectItemCaseSensitive(m, "seq");
        const cJSON *bd = cJSON_GetObjectItemCaseSensitive(m, "booth_id");
        struct marker mk;
        if (!cJSON_IsString(t) || marker_parse(t->valuestring, strlen(t->valuestring), &mk) ||
            mk.step != step || step < 0 || step >= r->n_steps) {
            r->junk++;
            break;
        }
        struct step_stats *st = &r->step[step];
        st->acked++;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "duplicate"))) st->dup_acks++;
        hist_add(&st->ack, now - mk.planned_us);
        if (cJSON_IsNumber(sq) && cJSON_IsNumber(bd)) {
            struct booth_end *be = result_booth(r, (int64_t)bd->valuedouble);
            if ((int64_t)sq->valuedouble > be->max_acked) be->max_acked = (int64_t)sq->valuedouble;
        }
        break;
    }
    case RK_STATS:
        if (s->state != S_ENTERING) break;
        if (ok) session_ready(s);
        else { kill_async(s); join_failed(s, &r->enter_failed); }
        break;
    case RK_HALL:
    case RK_GET:
    case RK_LEAVE:
    case RK_MEETING:
        mixed_after(s, (enum req_kind)kind, ok);
        break;
    case RK_SLOTS:
        on_slots(s, aux, ok, data);
        break;
    default:
        break;
    }
    cJSON_Delete(j);
}

static void on_message(struct sess *s, const char *buf, size_t len)
{
    struct result *r = s->w->r;
    switch (scan_kind(buf, len)) {
    case IN_CHAT: on_chat_event(s, buf, len); break;
    case IN_PRESENCE: r->presence_events++; break;
    case IN_OTHER_EVENT: r->other_events++; break;
    case IN_REPLY: on_reply(s, buf, len); break;
    default: r->junk++; break;
    }
}

/* ---- the connection ------------------------------------------------------------------ */

/* The session's connection is gone (failed to open, or closed): forget it and account for it
 * by the state the session was in. A connection the session gave up on (kill_async) reports
 * nothing, so this runs at most once per connection. */
static void gone(struct sess *s)
{
    struct worker *w = s->w;
    s->conn = NULL;
    if (w->tearing_down) return;
    switch (s->state) {
    case S_CONNECTING: join_failed(s, &w->r->connect_failed); break;
    case S_AUTH: join_failed(s, &w->r->auth_failed); break;
    case S_ENTERING: join_failed(s, &w->r->enter_failed); break;
    case S_READY:
        if (s->dead) break;
        w->r->closed_unexpectedly++;
        if (w->cfg->verbose) fprintf(stderr, "boothd-load: session %d: closed by the server\n", s->gidx);
        s->dead = true;
        s->in_booth = 0;
        break;
    default:
        break;
    }
}

static void on_conn_open(struct wsconn *c, void *user)
{
    (void)c;
    struct sess *s = user;
    struct worker *w = s->w;
    char tok[LOAD_TOKEN_LEN + 1];
    w->r->connected++;
    hist_add(&w->r->upgrade, load_now_us() - s->t_connect);
    s->state = S_AUTH;
    load_token(w->cfg->secret, w->cfg->first_visitor + s->gidx, tok);
    send_req(s, RK_RESUME, 0, "auth.resume", "\"token\":\"%s\"", tok);
}

static void on_conn_message(struct wsconn *c, void *user, const char *buf, size_t len)
{
    (void)c;
    on_message(user, buf, len);
}

static void on_conn_closed(struct wsconn *c, void *user, const char *why)
{
    (void)c;
    struct sess *s = user;
    if (s->w->cfg->verbose && s->state == S_CONNECTING)
        fprintf(stderr, "boothd-load: session %d: connect failed: %s\n", s->gidx, why);
    gone(s);
}

static const struct wsconn_cbs conn_cbs = {on_conn_open, on_conn_message, on_conn_closed};

/* ---- the clock ----------------------------------------------------------------------- */

static void finish(struct worker *w);

static void start_plan(struct worker *w, int64_t t0)
{
    const struct load_cfg *c = w->cfg;
    w->started = true;
    w->plan = c->plan;
    w->plan.t0 = t0;
    w->end_send = plan_end(&w->plan);
    w->end_all = w->end_send + (int64_t)(c->drain_s * 1e6);
    for (int i = 0; i < w->n; i++) {
        struct sess *s = &w->s[i];
        if (s->state != S_READY) continue;
        if (s->gidx < c->dashboards) {
            /* a dashboard: no chat, no browsing; it pings like any open page */
        } else if (c->mode == MODE_CHAT) {
            if (s->gidx < c->senders) {
                int64_t t = plan_next(&w->plan, s->phase, t0 - 1);
                if (t != SCHED_NEVER) heap_push(&w->heap, t, (uint32_t)(i * 4 + H_ACT));
            }
        } else {
            s->mstate = M_BROWSE;
            schedule_act(s, t0 + (int64_t)(rng_unit(&s->rng) * c->think_max_s * 1e6));
        }
        if (c->ping_every_s > 0)
            heap_push(&w->heap, t0 + (int64_t)(s->phase * c->ping_every_s * 1e6), (uint32_t)(i * 4 + H_PING));
    }
}

static void on_due(struct worker *w, const struct heap_ent *e)
{
    struct sess *s = &w->s[e->id / 4];
    const struct load_cfg *c = w->cfg;
    switch ((enum hkind)(e->id % 4)) {
    case H_RETRY:
        if (s->state == S_IDLE && !w->tearing_down) connect_session(s);
        break;
    case H_CONNECT_TIMEOUT:
        /* an entry of an earlier attempt finds a later deadline and does nothing */
        if (s->state != S_CONNECTING || !s->conn || e->t < s->connect_deadline) break;
        if (c->verbose) fprintf(stderr, "boothd-load: session %d: connect failed: timed out\n", s->gidx);
        kill_async(s);
        join_failed(s, &w->r->connect_failed);
        break;
    case H_PING:
        if (s->state != S_READY || s->dead || e->t >= w->end_send) break;
        send_req(s, RK_PING, 0, "sys.ping", "");
        heap_push(&w->heap, e->t + (int64_t)(c->ping_every_s * 1e6), e->id);
        break;
    case H_ACT:
        if (s->state != S_READY || s->dead) break;
        if (c->mode == MODE_MIXED) {
            if (e->t < w->end_send) mixed_act(s, e->t);
            break;
        }
        int step = plan_step_at(&w->plan, e->t);
        if (step >= 0 && s->in_booth == 2) send_chat(s, e->t, step);
        int64_t next = plan_next(&w->plan, s->phase, e->t);
        if (next != SCHED_NEVER) heap_push(&w->heap, next, e->id);
        break;
    }
}

static void on_tick(uv_timer_t *t)
{
    struct worker *w = t->data;
    int64_t now = load_now_us();
    const struct load_cfg *c = w->cfg;

    if (w->finished) return;
    if (atomic_load(&w->ctl->stop)) { finish(w); return; }

    /* ramp: launch the sessions whose time has come */
    if (w->launched < w->n) {
        int64_t due = (int64_t)((double)(now - w->ramp_start) * w->ramp_per_us) + 1;
        while (w->launched < w->n && w->launched < due) connect_session(&w->s[w->launched++]);
    }

    if (!w->reported_ready) {
        if (w->launched == w->n && (w->phase_pending <= 0 || now >= w->connect_deadline)) {
            if (w->phase_pending > 0) {
                /* time is up: whoever is not in by now counts as failed */
                for (int i = 0; i < w->n; i++) {
                    struct sess *s = &w->s[i];
                    if (s->state == S_READY || s->state == S_FAILED) continue;
                    uint64_t *ctr = s->state == S_AUTH ? &w->r->auth_failed
                                  : s->state == S_ENTERING ? &w->r->enter_failed : &w->r->connect_failed;
                    (*ctr)++;
                    s->state = S_FAILED;
                    kill_async(s);
                }
                w->phase_pending = 0;
            }
            w->reported_ready = true;
            w->r->last_ready_us = now;
            atomic_fetch_add(&w->ctl->ready, 1);
        }
    } else if (!w->started) {
        int64_t t0 = (int64_t)atomic_load(&w->ctl->t0);
        if (t0) start_plan(w, t0);
    }

    struct heap_ent e;
    int pops = 0;
    while (pops < MAX_POPS_PER_TICK && heap_pop_due(&w->heap, now, &e)) {
        on_due(w, &e);
        pops++;
    }

    if (w->started && now >= w->end_all) finish(w);
    (void)c;
}

/* ---- result and teardown -------------------------------------------------------------- */

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) { if (errno == EINTR) continue; return; }
        p += k;
        n -= (size_t)k;
    }
}

static int result_fd_global = -1;

static void finish(struct worker *w)
{
    if (w->finished) return;
    w->finished = true;
    struct result *r = w->r;
    for (int i = 0; i < w->n; i++) {
        struct sess *s = &w->s[i];
        r->unacked += s->outstanding_chat;
        if (s->state != S_READY || s->dead || s->in_booth != 2) continue;
        struct booth_end *b = result_booth(r, s->booth);
        b->members++;
        b->sum_last += (uint64_t)s->last_seq;
        if (s->last_seq < b->min_last) b->min_last = s->last_seq;
        if (s->last_seq > b->max_last) b->max_last = s->last_seq;
    }
    cJSON *j = result_to_json(r);
    char *txt = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    write_all(result_fd_global, txt, strlen(txt));
    write_all(result_fd_global, "\n", 1);
    free(txt);
    close(result_fd_global);
    result_fd_global = -1;
    w->tearing_down = true;
    uv_timer_stop(&w->tick);
    uv_stop(&w->loop);
}

int worker_main(const struct load_cfg *c, int widx, struct load_ctl *ctl, int result_fd)
{
    struct worker *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->cfg = c;
    w->w = widx;
    w->ctl = ctl;
    result_fd_global = result_fd;
    w->r = result_new(c->plan.n_steps);
    heap_init(&w->heap);
    for (int k = 0; k < c->src_addrs && k < MAX_SRC_ADDRS; k++) snprintf(w->addr[k], sizeof w->addr[k], "127.0.0.%d", 2 + k);

    for (int g = widx; g < c->sessions; g += c->procs) w->n++;
    w->s = calloc((size_t)(w->n ? w->n : 1), sizeof *w->s);
    if (!w->s) abort();
    uint64_t rng = c->seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(widx + 1));
    for (int i = 0; i < w->n; i++) {
        struct sess *s = &w->s[i];
        s->w = w;
        s->gidx = widx + i * c->procs;
        s->node = (uint8_t)((s->gidx / c->n_booths) % c->n_urls);
        s->retries_left = (uint8_t)c->retries;
        s->rng = rng_next(&rng) | 1;
        s->phase = rng_unit(&s->rng);
        s->chatter = rng_unit(&s->rng) < c->chatters;
    }
    w->r->sessions = (uint64_t)w->n;
    w->phase_pending = w->n;

    uv_loop_init(&w->loop);
    uv_timer_init(&w->loop, &w->tick);
    w->tick.data = w;

    w->txcap = WSCONN_PRE + 320 + (size_t)c->msg_bytes;
    w->txbuf = malloc(w->txcap);
    if (!w->txbuf) abort();

    w->ramp_start = load_now_us();
    w->ramp_per_us = c->ramp / c->procs / 1e6;
    w->connect_deadline = w->ramp_start + (int64_t)((w->n / (c->ramp / c->procs) + c->connect_timeout_s) * 1e6);
    uv_timer_start(&w->tick, on_tick, 1, 1);
    uv_run(&w->loop, UV_RUN_DEFAULT);
    int rc = 0;
    if (!w->finished) { rc = 2; w->tearing_down = true; }
    /* teardown: close every connection (no callbacks), the timer, then let libuv finish */
    for (int i = 0; i < w->n; i++) kill_async(&w->s[i]);
    if (!uv_is_closing((uv_handle_t *)&w->tick)) uv_close((uv_handle_t *)&w->tick, NULL);
    uv_run(&w->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&w->loop)) fprintf(stderr, "boothd-load: worker %d: loop still had handles at exit\n", widx);
    if (result_fd_global >= 0) close(result_fd_global);
    free(w->txbuf);
    free(w->s);
    heap_free(&w->heap);
    result_free(w->r);
    free(w);
    return rc;
}
