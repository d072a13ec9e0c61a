/* session.c — see session.h. */
#include "core/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/metrics.h"

/* Account index buckets: a power of two; at the 20,000 sessions a node is sized for, about
 * five sessions share a bucket. */
#define ACCOUNT_BUCKETS 4096

struct sessions {
    struct session *head;               /* every session not yet CLOSED */
    unsigned n;
    unsigned n_released;                /* of n: released, transport not gone yet */
    uint64_t next_id;
    int chat_rate;
    session_gone_fn on_gone;
    void *on_gone_arg;
    struct session *by_account[ACCOUNT_BUCKETS];
};

struct sessions *sessions_new(int chat_rate, session_gone_fn on_gone, void *arg)
{
    struct sessions *all = calloc(1, sizeof *all);
    if (!all) abort();
    all->next_id = 1;
    all->chat_rate = chat_rate;
    all->on_gone = on_gone;
    all->on_gone_arg = arg;
    return all;
}

void sessions_free(struct sessions *all) { free(all); }

static struct session **account_bucket(struct sessions *all, int64_t account_id)
{
    return &all->by_account[((uint64_t)account_id * 11400714819323198485ull >> 40) % ACCOUNT_BUCKETS];
}

static void index_add(struct session *s)
{
    struct session **b = account_bucket(s->all, s->account_id);
    s->acct_prev = NULL;
    s->acct_next = *b;
    if (*b) (*b)->acct_prev = s;
    *b = s;
    s->indexed = true;
}

static void index_remove(struct session *s)
{
    if (!s->indexed) return;
    if (s->acct_prev) s->acct_prev->acct_next = s->acct_next;
    else *account_bucket(s->all, s->account_id) = s->acct_next;
    if (s->acct_next) s->acct_next->acct_prev = s->acct_prev;
    s->acct_prev = s->acct_next = NULL;
    s->indexed = false;
}

struct session *session_new(struct sessions *all, void *handle, const struct session_transport *t,
                            const char *peer, uint64_t now_ms)
{
    struct session *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->id = all->next_id++;
    s->refs = 1;
    s->state = SESSION_OPEN;
    s->handle = handle;
    s->transport = t;
    s->all = all;
    s->q = s->q_inline;
    s->q_cap = SESSION_QUEUE_INLINE;
    snprintf(s->peer, sizeof s->peer, "%s", peer ? peer : "?");
    s->role = ROLE_ANON;
    for (int c = 0; c < RATE_CLASSES; c++) {
        float rate, burst;
        dispatch_rate_params((enum rate_class)c, all->chat_rate, &rate, &burst);
        ratelimit_init(&s->rate[c], rate, burst, now_ms);
    }
    s->next = all->head;
    if (all->head) all->head->prev = s;
    all->head = s;
    all->n++;
    return s;
}

struct session *session_ref(struct session *s)
{
    s->refs++;
    return s;
}

/* Back to the inline slots (the ring is empty). */
static void queue_to_inline(struct session *s)
{
    if (s->q != s->q_inline) free(s->q);
    s->q = s->q_inline;
    s->q_cap = SESSION_QUEUE_INLINE;
    s->q_head = 0;
}

void session_trim(struct session *s)
{
    if (!s->q_len && s->q != s->q_inline) queue_to_inline(s);
}

static void drop_queue(struct session *s)
{
    struct outmsg *m;
    while ((m = session_next_out(s))) outmsg_unref(m);
    queue_to_inline(s);
}

void session_unref(struct session *s)
{
    if (--s->refs) return;
    drop_queue(s);
    free(s->name);
    free(s->company);
    free(s->close_reason);
    free(s->rooms);          /* NULL unless the rooms outlived it (room.c frees it at 0) */
    free(s);
}

void session_close(struct session *s, int code, const char *reason)
{
    if (s->state != SESSION_OPEN) return;
    s->close_code = code;
    const char *r = reason ? reason : "";
    size_t n = 0;
    while (n < SESSION_CLOSE_REASON_MAX && r[n]) n++;
    if (!(s->close_reason = malloc(n + 1))) abort();
    memcpy(s->close_reason, r, n);
    s->close_reason[n] = 0;
    s->state = SESSION_CLOSING;
    if (s->handle) s->transport->want_write(s->handle, true);
}

static int enqueue(struct session *s, struct outmsg *m, bool reply)
{
    if (s->state != SESSION_OPEN) return -1;
    if (s->q_len >= SESSION_QUEUE_MAX || s->q_bytes + m->len > SESSION_QUEUE_MAX_BYTES) {
        log_warn("session %llu (%s): outbound queue overflow (%u messages, %zu bytes); closing",
                 (unsigned long long)s->id, s->peer, s->q_len, s->q_bytes);
        session_close(s, 1008, "too slow: outbound queue overflow");
        return -1;
    }
    if (s->q_len == s->q_cap) {
        unsigned ncap = s->q_cap < 8 ? 8 : s->q_cap * 2;
        struct outmsg **nq = malloc(sizeof *nq * ncap);
        if (!nq) abort();
        for (unsigned i = 0; i < s->q_len; i++) nq[i] = s->q[(s->q_head + i) & (s->q_cap - 1)];
        if (s->q != s->q_inline) free(s->q);
        s->q = nq;
        s->q_cap = ncap;
        s->q_head = 0;
    }
    if (m->kind_key < 0) m->kind_key = metrics_key(m->kind);   /* once per message, not per member */
    metrics_ws_out_key(m->kind_key, m->len);
    s->q[(s->q_head + s->q_len) & (s->q_cap - 1)] = outmsg_ref(m);
    s->q_len++;
    s->q_bytes += m->len;
    if ((s->q_len == 1 || reply) && s->handle) s->transport->want_write(s->handle, reply);
    return 0;
}

int session_send(struct session *s, struct outmsg *m) { return enqueue(s, m, false); }

int session_send_reply(struct session *s, struct outmsg *m) { return enqueue(s, m, true); }

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
    s->q_head = (s->q_head + 1) & (s->q_cap - 1);
    s->q_len--;
    s->q_bytes -= m->len;
    /* A drained ring keeps its grown array: a session of a busy room fills it again in the
     * next loop turn, and a malloc and free per turn per member showed in fan-out. The
     * transport's idle sweep gives it back (session_trim) once the session is quiet. */
    if (!s->q_len) s->q_head = 0;
    return m;
}

bool session_has_output(const struct session *s) { return s->q_len > 0; }

struct outmsg *session_peek_out(const struct session *s) { return s->q_len ? s->q[s->q_head] : NULL; }

static void run_gone_hook(struct session *s)
{
    struct sessions *all = s->all;
    s->released = true;
    if (all->on_gone) all->on_gone(all->on_gone_arg, s);
}

void session_release(struct session *s)
{
    if (s->released || s->state != SESSION_CLOSING) return;
    run_gone_hook(s);
    s->all->n_released++;
    drop_queue(s);
}

void session_closed(struct session *s)
{
    struct sessions *all = s->all;
    if (s->released) all->n_released--;
    else run_gone_hook(s);
    s->state = SESSION_CLOSED;
    s->handle = NULL;
    drop_queue(s);
    index_remove(s);
    if (s->prev) s->prev->next = s->next; else all->head = s->next;
    if (s->next) s->next->prev = s->prev;
    s->prev = s->next = NULL;
    all->n--;
    session_unref(s);
}

void session_set_identity(struct session *s, int64_t account_id, unsigned role,
                          const char *name, const char *company, const char *token_hash_hex)
{
    index_remove(s);
    s->account_id = account_id;
    s->role = role;
    if (s->state != SESSION_CLOSED && account_id) index_add(s);
    free(s->name);
    free(s->company);
    s->name = strdup(name ? name : "");
    s->company = company ? strdup(company) : NULL;
    snprintf(s->token_hash, sizeof s->token_hash, "%s", token_hash_hex ? token_hash_hex : "");
}

void session_clear_identity(struct session *s)
{
    index_remove(s);
    s->account_id = 0;
    s->role = ROLE_ANON;
    free(s->name);
    free(s->company);
    s->name = s->company = NULL;
    s->token_hash[0] = 0;
}

void sessions_foreach(struct sessions *all, session_visit_fn fn, void *arg)
{
    struct session *s = all->head, *next;
    for (; s; s = next) {
        next = s->next;
        fn(s, arg);
    }
}

void sessions_foreach_of_account(struct sessions *all, int64_t account_id, session_visit_fn fn, void *arg)
{
    struct session *s = *account_bucket(all, account_id), *next;
    for (; s; s = next) {
        next = s->acct_next;
        if (s->account_id == account_id && session_is_open(s)) fn(s, arg);
    }
}

unsigned sessions_count(const struct sessions *all) { return all->n; }
unsigned sessions_live(const struct sessions *all) { return all->n - all->n_released; }
