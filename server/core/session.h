/* session.h — one WebSocket client of this node.
 *
 * State: OPEN -> CLOSING (we asked the transport to close it) -> CLOSED (the transport
 * is gone). A CLOSING session may be released (session_release: the domains drop it at once,
 * so it stops counting in presence and rooms) before its transport is gone: a reader that
 * stopped reading can hold its socket for seconds more. After CLOSED nothing is sent and
 * results of queries started for it are dropped by their handlers (session_is_open()).
 *
 * Ownership: session_new() returns refs = 1, held by the transport until it calls
 * session_closed(). In-flight requests hold their own reference (session_ref/unref), so
 * the struct outlives the socket until the last result arrives (deferred free).
 *
 * The node's live sessions are a `struct sessions` (created by the app): a list of every
 * open session and an index from account id to its sessions (kept by
 * session_set_identity/session_clear_identity), so "send to this account" does not walk
 * every session. Pure: no sockets, no database; unit-tested.
 *
 * Outbound queue: bounded (SESSION_QUEUE_MAX messages / SESSION_QUEUE_MAX_BYTES); each
 * slot holds a reference to a shared outmsg. A session whose queue overflows is closed
 * with 1008: a reader that cannot keep up must not hold memory for everyone else. */
#ifndef BOOTHD_SESSION_H
#define BOOTHD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dispatch.h"
#include "util/outmsg.h"
#include "util/ratelimit.h"

#define SESSION_QUEUE_MAX 1024
#define SESSION_QUEUE_MAX_BYTES (4u * 1024 * 1024)
#define SESSION_MAX_BOOTHS 16
#define SESSION_CLOSE_REASON_MAX 63        /* bytes kept of a close reason (a close frame holds 123) */

enum session_state { SESSION_OPEN, SESSION_CLOSING, SESSION_CLOSED };

struct session;
struct session_transport {
    /* Write the queue soon. reply: it holds the answer to a request (or the session is
     * closing), which the transport writes before events (room and presence fan-out) */
    void (*want_write)(void *handle, bool reply);
};

struct member;
struct sessions;

/* Every idle session costs what this struct costs (issue 15: at most 3 KiB of the server's
 * memory per session, lws's part included), so what only some sessions need is allocated when
 * they need it (the room list, a queue longer than SESSION_QUEUE_INLINE, the close reason) and
 * fields are ordered so that padding stays small. */
#define SESSION_QUEUE_INLINE 2              /* a power of two, as every ring size */
#define SESSION_PEER_LEN 48                 /* an IPv6 address in text (46) and its NUL */

struct session {
    uint64_t id;                        /* node-unique, for logs and presence */
    unsigned refs;
    enum session_state state;
    void *handle;                       /* transport handle; NULL once CLOSED */
    const struct session_transport *transport;
    struct sessions *all;               /* the registry it is linked in until CLOSED */

    /* outbound queue (ring of a power-of-two size): in q_inline until it needs more slots,
     * then on the heap until session_trim() finds it empty */
    struct outmsg **q;
    struct outmsg *q_inline[SESSION_QUEUE_INLINE];
    unsigned q_head, q_len, q_cap;
    int close_code;                     /* set with CLOSING */
    size_t q_bytes;
    char *close_reason;                 /* owned; set with CLOSING, NULL before */

    /* identity, once authenticated */
    unsigned role;                      /* enum role bit; ROLE_ANON until auth */
    /* the booth rooms it is in: written only by core/room.c (see struct member there); an
     * array of rooms_cap slots, allocated while it is in a room */
    int n_rooms;
    struct member **rooms;
    int64_t account_id;
    char *name;
    char *company;

    struct ratelimit rate[RATE_CLASSES];
    struct session *prev, *next;        /* node-wide list of live sessions */
    struct session *acct_prev, *acct_next;  /* same-bucket chain of the account index */
    char token_hash[65];                /* hex sha-256 of the session's token, "" if none */
    char peer[SESSION_PEER_LEN];        /* remote address, for logs and per-IP limits */
    uint8_t rooms_cap;
    bool indexed;                       /* linked in the account index */
    bool released;                      /* the gone hook ran (session_release or _closed) */
};

/* Called by session_closed() before the session is marked CLOSED and unlinked: the app
 * lets every domain drop what it keeps for the session. */
typedef void (*session_gone_fn)(void *arg, struct session *s);

/* chat_rate is --chat-rate (see dispatch_rate_params). */
struct sessions *sessions_new(int chat_rate, session_gone_fn on_gone, void *arg);
/* After every session closed. */
void sessions_free(struct sessions *all);

/* A new open session linked into `all`, refs = 1 (the transport's). */
struct session *session_new(struct sessions *all, void *handle, const struct session_transport *t,
                            const char *peer, uint64_t now_ms);
struct session *session_ref(struct session *s);
void session_unref(struct session *s);
static inline bool session_is_open(const struct session *s) { return s->state == SESSION_OPEN; }

/* Queues a reference to m, an event. Returns 0, or -1 when the session is not open or its
 * queue overflowed (it is then closed with 1008). The caller keeps its own reference. */
int session_send(struct session *s, struct outmsg *m);
/* As session_send, for the answer to one of the session's requests: written before events. */
int session_send_reply(struct session *s, struct outmsg *m);
/* Convenience: takes ownership of a malloc'ed JSON string. */
int session_send_string(struct session *s, char *json);
/* Removes the next message (the caller now owns that reference), or NULL. */
struct outmsg *session_next_out(struct session *s);
/* The next message without removing it (no reference taken), or NULL. */
struct outmsg *session_peek_out(const struct session *s);
bool session_has_output(const struct session *s);
/* Gives back the grown queue array of a session whose queue is empty (the transport calls it
 * from its periodic sweep: an idle session keeps no queue memory, a busy one keeps its array
 * between loop turns). */
void session_trim(struct session *s);

/* Asks the transport to close with a status code (1001, 1008, ...); idempotent. */
void session_close(struct session *s, int code, const char *reason);
/* The transport is gone: runs the registry's gone hook (unless session_release did), marks
 * CLOSED, drops the queue, unlinks, drops the transport's ref. */
void session_closed(struct session *s);
/* For a CLOSING session whose transport may take a while: runs the gone hook now (once) and
 * drops the queue, so the domains forget it and it stops counting in sessions_live(). Call it
 * at a safe point (not from inside a fan-out over room members). */
void session_release(struct session *s);

/* Signs the session in (and files it under account_id in the index) or out. */
void session_set_identity(struct session *s, int64_t account_id, unsigned role,
                          const char *name, const char *company, const char *token_hash_hex);
void session_clear_identity(struct session *s);

/* Visitors may close the visited session (it stays linked until its transport closes). */
typedef void (*session_visit_fn)(struct session *s, void *arg);
void sessions_foreach(struct sessions *all, session_visit_fn fn, void *arg);
/* Visits the open sessions signed in as account_id. */
void sessions_foreach_of_account(struct sessions *all, int64_t account_id, session_visit_fn fn, void *arg);
unsigned sessions_count(const struct sessions *all);
/* Sessions not yet released: what /healthz reports as connected. */
unsigned sessions_live(const struct sessions *all);

#endif
