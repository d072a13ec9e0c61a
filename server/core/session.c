/* session.c — see session.h. */
#include "core/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/log.h"

static struct session *all;
static unsigned n_all;
static uint64_t next_id = 1;

struct session *session_new(struct app *app, void *handle, const struct session_transport *t,
                            const char *peer, uint64_t now_ms)
{
    struct session *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->id = next_id++;
    s->refs = 1;
    s->state = SESSION_OPEN;
    s->handle = handle;
    s->transport = t;
    s->app = app;
    snprintf(s->peer, sizeof s->peer, "%s", peer ? peer : "?");
    s->role = ROLE_ANON;
    for (int c = 0; c < RATE_CLASSES; c++) {
        float rate, burst;
        dispatch_rate_params((enum rate_class)c, app->cfg->chat_rate, &rate, &burst);
        ratelimit_init(&s->rate[c], rate, burst, now_ms);
    }
    s->next = all;
    if (all) all->prev = s;
    all = s;
    n_all++;
    return s;
}

struct session *session_ref(struct session *s)
{
    s->refs++;
    return s;
}

static void drop_queue(struct session *s)
{
    struct outmsg *m;
    while ((m = session_next_out(s))) outmsg_unref(m);
    free(s->q);
    s->q = NULL;
    s->q_cap = 0;
}

void session_unref(struct session *s)
{
    if (--s->refs) return;
    drop_queue(s);
    free(s->name);
    free(s->company);
    free(s);
}

void session_close(struct session *s, int code, const char *reason)
{
    if (s->state != SESSION_OPEN) return;
    s->state = SESSION_CLOSING;
    s->close_code = code;
    snprintf(s->close_reason, sizeof s->close_reason, "%s", reason ? reason : "");
    if (s->handle) s->transport->want_write(s->handle);
}

int session_send(struct session *s, struct outmsg *m)
{
    if (s->state != SESSION_OPEN) return -1;
    if (s->q_len >= SESSION_QUEUE_MAX || s->q_bytes + m->len > SESSION_QUEUE_MAX_BYTES) {
        log_warn("session %llu (%s): outbound queue overflow (%u messages, %zu bytes); closing",
                 (unsigned long long)s->id, s->peer, s->q_len, s->q_bytes);
        session_close(s, 1008, "too slow: outbound queue overflow");
        return -1;
    }
    if (s->q_len == s->q_cap) {
        unsigned ncap = s->q_cap ? s->q_cap * 2 : 8;
        struct outmsg **nq = malloc(sizeof *nq * ncap);
        if (!nq) abort();
        for (unsigned i = 0; i < s->q_len; i++) nq[i] = s->q[(s->q_head + i) % s->q_cap];
        free(s->q);
        s->q = nq;
        s->q_cap = ncap;
        s->q_head = 0;
    }
    s->q[(s->q_head + s->q_len) % s->q_cap] = outmsg_ref(m);
    s->q_len++;
    s->q_bytes += m->len;
    if (s->q_len == 1 && s->handle) s->transport->want_write(s->handle);
    return 0;
}

int session_send_string(struct session *s, char *json)
{
    struct outmsg *m = outmsg_from_string(json);
    int r = session_send(s, m);
    outmsg_unref(m);
    return r;
}

struct outmsg *session_next_out(struct session *s)
{
    if (!s->q_len) return NULL;
    struct outmsg *m = s->q[s->q_head];
    s->q_head = (s->q_head + 1) % s->q_cap;
    s->q_len--;
    s->q_bytes -= m->len;
    return m;
}

bool session_has_output(const struct session *s) { return s->q_len > 0; }

struct outmsg *session_peek_out(const struct session *s) { return s->q_len ? s->q[s->q_head] : NULL; }

void session_closed(struct session *s)
{
    s->state = SESSION_CLOSED;
    s->handle = NULL;
    drop_queue(s);
    if (s->prev) s->prev->next = s->next; else all = s->next;
    if (s->next) s->next->prev = s->prev;
    s->prev = s->next = NULL;
    n_all--;
    session_unref(s);
}

void session_set_identity(struct session *s, int64_t account_id, unsigned role,
                          const char *name, const char *company, const char *token_hash_hex)
{
    s->account_id = account_id;
    s->role = role;
    free(s->name);
    free(s->company);
    s->name = strdup(name ? name : "");
    s->company = company ? strdup(company) : NULL;
    snprintf(s->token_hash, sizeof s->token_hash, "%s", token_hash_hex ? token_hash_hex : "");
}

void session_clear_identity(struct session *s)
{
    s->account_id = 0;
    s->role = ROLE_ANON;
    free(s->name);
    free(s->company);
    s->name = s->company = NULL;
    s->token_hash[0] = 0;
}

struct session_booth *session_booth(struct session *s, int64_t booth_id)
{
    for (int i = 0; i < s->n_booths; i++)
        if (s->booths[i].booth_id == booth_id) return &s->booths[i];
    return NULL;
}

struct session_booth *session_open_booth(struct session *s, int64_t booth_id)
{
    return session_is_open(s) ? session_booth(s, booth_id) : NULL;
}

bool session_in_booth(const struct session *s, int64_t booth_id)
{
    return session_booth((struct session *)s, booth_id) != NULL;
}

int session_add_booth(struct session *s, int64_t booth_id)
{
    if (session_in_booth(s, booth_id)) return 0;
    if (s->n_booths >= SESSION_MAX_BOOTHS) return -1;
    struct session_booth *b = &s->booths[s->n_booths++];
    memset(b, 0, sizeof *b);
    b->booth_id = booth_id;
    return 0;
}

void session_remove_booth(struct session *s, int64_t booth_id)
{
    for (int i = 0; i < s->n_booths; i++)
        if (s->booths[i].booth_id == booth_id) { s->booths[i] = s->booths[--s->n_booths]; return; }
}

void session_foreach(session_visit_fn fn, void *arg)
{
    struct session *s = all, *next;
    for (; s; s = next) {
        next = s->next;
        fn(s, arg);
    }
}

unsigned session_count(void) { return n_all; }
