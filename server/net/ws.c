/* ws.c — see ws.h.
 *
 * lws owns the per-session struct (struct ws_pss); it points to our heap session, which
 * outlives the socket while requests are in flight (session.h). A session's queued messages
 * are written at the end of the loop turn, framed into one buffer (on_flush, write_batch);
 * only a socket with unsent bytes left in lws, a closing session or a due ping waits for
 * SERVER_WRITEABLE, which re-arms while the queue is non-empty.
 *
 * The server is reached from an lws callback through the context's user pointer (the app)
 * and app->ws, which ws_server_start sets and ws_server_free clears: no file-scope state. */
#include "net/ws.h"

#include "net/origin.h"
#include "net/peer.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/app.h"
#include "net/flush_queue.h"
#include "net/handshakes.h"
#include "net/http.h"
#include "net/recv_hook.h"
#include "util/log.h"
#include "util/metrics.h"
#include "core/protocol.h"
#include "core/request.h"
#include "core/session.h"
#include "util/addrcount.h"
#include "net/wsframe.h"

_Static_assert(LWS_PRE <= OUTMSG_HEADROOM, "OUTMSG_HEADROOM must cover LWS_PRE");

struct ws_server {
    struct app *app;
    uv_timer_t idle_timer;
    struct ws_pss *conns;           /* list of open WebSocket connections */
    struct lws_context *ctx;
    struct lws_vhost *vhost;
    unsigned char *batch;           /* owned: scratch for write_batch(), LWS_PRE + frames */
    size_t batch_cap;
    struct flush_queue flush;       /* connections with output to write (net/flush_queue.h) */
    uv_check_t flush_check;         /* writes them after the turn's I/O callbacks */
    uv_idle_t flush_idle;           /* keeps the loop from blocking while some are queued */
    bool flush_started;             /* flush_check and flush_idle are initialized and not closed */
    uv_timer_t events_timer;        /* --event-hold-ms: starts the next round (flush.hold_ns) */
    int listen_fd;
    uv_poll_t listen_poll;          /* our listening socket; accepted sockets go to lws */
    bool listening;
    bool accept_paused;             /* out of descriptors: listen_poll stopped for a moment */
    bool accept_held;               /* WS_HANDSHAKES_MAX handshakes in flight: listen_poll stopped */
    uv_timer_t hold_timer;          /* while held: frees slow handshakes' slots, resumes */
    struct handshakes *handshakes;  /* owned: accepted sockets whose first request is unread */
    uv_timer_t accept_timer;        /* resumes accepting after a pause */
    int reserve_fd;                 /* spare descriptor, given up to shed a connection on EMFILE */
    unsigned emfile_refused;        /* connections shed since the last log line */
    uint64_t emfile_logged_ms;
    struct addrcount *per_addr;
    struct http_mounts *mounts;     /* owned; lws reads them until the context is gone */
    bool refuse_new;
    bool failed;
};

bool ws_server_failed(const struct ws_server *w) { return w->failed; }

/* A message that lws delivered in pieces, being put together; exists only while one is in
 * flight (an idle session holds none). */
struct ws_rx {
    size_t len, cap;
    char data[];
};

/* lws allocates one per WebSocket connection (per_session_data_size): every idle session
 * carries it, so it holds pointers and times, and the bools share the tail (issue 15). */
struct ws_pss {
    struct session *s;
    struct lws *wsi;
    struct ws_pss *prev, *next;   /* all WebSocket connections, for the idle sweep */
    struct flush_link flush;      /* in server->flush while it has output to write */
    struct ws_rx *rx;             /* owned; NULL unless a fragmented message is in flight */
    uint64_t last_seen_ms;        /* last frame (data or pong) from the peer */
    uint64_t closing_since_ms;    /* when the session went CLOSING (0: not closing) */
    bool ping_due;                /* send a ping at the next writable callback */
    bool ping_sent;
    bool cut;                     /* the sweep already had lws drop the socket */
};

/* NULL before ws_server_start and after ws_server_free. */
static struct ws_server *server_of(struct lws *wsi)
{
    struct app *app = lws_context_user(lws_get_context(wsi));
    return app ? app->ws : NULL;
}

static void want_write(void *handle, bool reply);
static void handshake_done(struct ws_server *w, struct lws *wsi);
static const struct session_transport transport = {.want_write = want_write};

/* lws 4.1 keeps the CLOSE write type out of its public enum (lws-write.h: "handled by
 * lws_close_reason()"), but lws_write() still frames it. */
#define LWS_WRITE_CLOSE_OPCODE 4
/* lws 4.1 mallocs rx_buffer_size + LWS_PRE + 4 bytes per WebSocket connection for the payload
 * it unmasks (rx_ubuf) and keeps them for the connection's life, and reads at most that much per
 * recv(). At 16 KiB that buffer was most of an idle session's resident memory: its first page
 * holds what a small message touched, its neighbours' objects sit on the page after it, so two
 * or more pages stayed resident per session (issue 15). A small buffer costs nothing for the
 * messages of this protocol, which are mostly well under it; a larger message arrives in pieces
 * of this size (lws_remaining_packet_payload() > 0) that on_receive reassembles. It must hold a
 * control frame's payload (125 bytes), which lws reads from it in one piece. */
#define WS_RX_BUFFER 512
/* lws 4.1 hands the kernel at most tx_packet_size (+ LWS_PRE + 4) bytes per lws_write() and
 * copies the rest aside to send on a later POLLOUT (lws_issue_raw), so write_batch() fills
 * one send() up to that size and no more. Without tx_packet_size, rx_buffer_size applies. */
#define WS_TX_PACKET 16384
#define WS_BATCH_BYTES WS_TX_PACKET
_Static_assert(WS_RX_BUFFER >= 125, "a control frame's payload must fit lws's rx buffer");

static int close_with(struct lws *wsi, enum lws_close_status code, const char *reason)
{
    lws_close_reason(wsi, code, (unsigned char *)reason, strlen(reason));
    return -1;
}

/* Origin check before the upgrade (net/origin.h). */
static bool origin_ok(struct lws *wsi, struct app *app) { return origin_allowed(wsi, app->cfg); }

static int on_filter(struct lws *wsi, struct app *app)
{
    struct ws_server *server = server_of(wsi);
    char uri[64], peer[64];
    if (server->refuse_new || app->stopping) return 1;
    if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 || strcmp(uri, "/ws") != 0) {
        log_info("ws: refused upgrade on path other than /ws");
        return http_refuse_upgrade(wsi, HTTP_STATUS_NOT_FOUND);
    }
    peer_address(wsi, app->cfg, peer, sizeof peer);
    if (!origin_ok(wsi, app)) {
        log_warn("ws: refused upgrade from %s: Origin not allowed", peer);
        return http_refuse_upgrade(wsi, HTTP_STATUS_FORBIDDEN);
    }
    if (addrcount_get(server->per_addr, peer) >= app->cfg->max_conns_per_ip) {
        log_warn("ws: refused upgrade from %s: %d connections from this address already",
                 peer, app->cfg->max_conns_per_ip);
        return http_refuse_upgrade(wsi, 429);   /* too many: not a failed node to a proxy */
    }
    return 0;
}

static int on_receive(struct lws *wsi, struct ws_pss *p, const void *in, size_t len)
{
    struct ws_server *server = server_of(wsi);
    struct session *s = p->s;
    if (!s || !session_is_open(s)) return 0;
    if (lws_frame_is_binary(wsi)) {
        /* the protocol is JSON text; a binary frame is a client bug or a probe (RFC 6455 7.4.1) */
        log_info("session %llu (%s): binary frame; closing with 1003", (unsigned long long)s->id, s->peer);
        return close_with(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "binary frames are not accepted");
    }
    size_t have = p->rx ? p->rx->len : 0;
    if (have + len > PROTOCOL_MAX_MESSAGE) {
        log_info("session %llu (%s): message over %d bytes; closing with 1009",
                 (unsigned long long)s->id, s->peer, PROTOCOL_MAX_MESSAGE);
        return close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
    }
    bool complete = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
    if (complete && have == 0) {               /* common case: no copy */
        request_dispatch(server->app, s, in, len);
        return 0;
    }
    if (!p->rx || have + len > p->rx->cap) {
        size_t cap = p->rx ? p->rx->cap : 4096;
        while (cap < have + len) cap *= 2;
        struct ws_rx *n = realloc(p->rx, sizeof *n + cap);
        if (!n) abort();
        n->len = have;
        n->cap = cap;
        p->rx = n;
    }
    memcpy(p->rx->data + have, in, len);
    p->rx->len += len;
    if (complete) {
        request_dispatch(server->app, s, p->rx->data, p->rx->len);
        /* only a message in flight holds a buffer: an idle session keeps none (issue 15) */
        free(p->rx);
        p->rx = NULL;
    }
    return 0;
}

/* Writes the session's queued messages. One message goes out as lws frames it. Several go
 * out framed by us into one buffer, handed to lws as raw bytes (LWS_WRITE_HTTP is passed
 * through unframed on a ws connection in lws 4.1), so a busy room costs one send() per member
 * per loop turn instead of one per message: perf showed one send() and two epoll_ctl() per
 * delivery as 70 % of boothd's CPU in the fan-out benchmark. No extension
 * (permessage-deflate) is offered, so frames need no transformation. lws keeps what the
 * kernel did not take and holds back WRITEABLE until it is flushed. */
static int write_batch(struct lws *wsi, struct session *s)
{
    struct ws_server *server = server_of(wsi);
    if (s->q_len == 1) {
        struct outmsg *m = session_next_out(s);
        int n = lws_write(wsi, outmsg_payload(m), m->len, LWS_WRITE_TEXT);
        size_t len = m->len;
        outmsg_unref(m);
        return n < (int)len ? -1 : 0;
    }
    size_t len = 0;
    struct outmsg *m;
    while ((m = session_peek_out(s))) {
        /* a message bigger than a batch goes alone; lws sends it in pieces */
        if (len && len + WSFRAME_MAX_HEADER + m->len > WS_BATCH_BYTES) break;
        session_next_out(s);
        size_t need = LWS_PRE + len + WSFRAME_MAX_HEADER + m->len;
        if (need > server->batch_cap) {
            size_t cap = server->batch_cap ? server->batch_cap : 2 * WS_BATCH_BYTES;
            while (cap < need) cap *= 2;
            unsigned char *b = realloc(server->batch, cap);
            if (!b) abort();
            server->batch = b;
            server->batch_cap = cap;
        }
        unsigned char *at = server->batch + LWS_PRE + len;
        size_t h = wsframe_header(at, WSFRAME_OP_TEXT, m->len);
        memcpy(at + h, outmsg_payload(m), m->len);
        len += h + m->len;
        outmsg_unref(m);
    }
    int n = lws_write(wsi, server->batch + LWS_PRE, len, LWS_WRITE_HTTP);
    return n < (int)len ? -1 : 0;
}

/* write_batch(), then asks for WRITEABLE if a batch could not take everything. Returns -1
 * (logged) when the connection must go. */
static int write_queued(struct lws *wsi, struct session *s)
{
    if (write_batch(wsi, s) < 0) {
        log_info("session %llu (%s): write failed; closing", (unsigned long long)s->id, s->peer);
        return -1;
    }
    if (session_has_output(s)) lws_callback_on_writable(wsi);
    return 0;
}

static int on_writeable(struct lws *wsi, struct ws_pss *p)
{
    struct session *s = p->s;
    if (!s) return 0;
    if (p->ping_due && s->state == SESSION_OPEN) {
        /* a payload, because lws 4.1 hands an empty PONG to nobody */
        unsigned char ping[LWS_PRE + 8];
        memcpy(ping + LWS_PRE, "boothd", 6);
        p->ping_due = false;
        p->ping_sent = true;
        if (lws_write(wsi, ping + LWS_PRE, 6, LWS_WRITE_PING) < 6) return -1;
        if (session_has_output(s)) lws_callback_on_writable(wsi);
        return 0;
    }
    if (s->state == SESSION_CLOSING) {
        /* Returning -1 from WRITEABLE drops the socket without a close frame in lws 4.1,
         * so write the frame ourselves, then close. */
        unsigned char frame[LWS_PRE + 2 + SESSION_CLOSE_REASON_MAX];
        size_t rl = strlen(s->close_reason);
        frame[LWS_PRE] = (unsigned char)(s->close_code >> 8);
        frame[LWS_PRE + 1] = (unsigned char)(s->close_code & 0xff);
        memcpy(frame + LWS_PRE + 2, s->close_reason, rl);
        lws_write(wsi, frame + LWS_PRE, 2 + rl, (enum lws_write_protocol)LWS_WRITE_CLOSE_OPCODE);
        return close_with(wsi, (enum lws_close_status)s->close_code, s->close_reason);
    }
    if (!session_has_output(s)) return 0;
    return write_queued(wsi, s);
}

/* --event-hold-ms (issue 15, fan-out: CPU per delivery). A send() of one small frame costs
 * the sender 4-6 µs on loopback, most of it the kernel's TCP work (docs/benchmarks.md, "the
 * send() floor"), and a member of a busy room otherwise gets one send() per chat batch. With a
 * hold, each connection is written at most once per round of the hold for its events
 * (net/flush_queue.h): what a busy member gets meanwhile waits for the next round and goes out
 * in one send(); a member who gets events now and then is written at once; replies never
 * wait and take their connection's waiting events along (one ordered stream). */
static void on_events_due(uv_timer_t *h) { (void)h; /* on_flush runs in this loop turn */ }

/* Output is written at the end of the loop turn in which it was queued (uv_check), straight
 * from here, instead of asking lws for a WRITEABLE callback: that costs two epoll_ctl() (arm and
 * disarm POLLOUT) and a loop turn per write, which at low load is one write per delivery
 * (22 % of boothd's CPU in the fan-out benchmark). A socket whose last write lws could not
 * finish, a closing session and a due ping go the WRITEABLE way. Writing outside the WRITEABLE
 * callback is fine for lws 4.1 on an h1 WebSocket: lws_write() appends to lws's own buffer of
 * unsent bytes when there is one and asks for POLLOUT itself. Replies go before events, and
 * events only for a few ms per turn (net/flush_queue.h says why). */
static void on_flush_idle(uv_idle_t *h) { (void)h; }

static struct ws_pss *pss_of_flush(struct flush_link *l)
{
    return (struct ws_pss *)((char *)l - offsetof(struct ws_pss, flush));
}

static uint64_t flush_clock(void) { return uv_hrtime(); }

static void want_write(void *handle, bool reply)
{
    struct lws *wsi = handle;
    struct ws_pss *p = lws_wsi_user(wsi);
    struct ws_server *server = server_of(wsi);
    if (!server || !server->flush_started || !p || !p->s || p->s->state == SESSION_CLOSED) {
        lws_callback_on_writable(wsi);
        return;
    }
    if (p->s->state == SESSION_CLOSING && !p->closing_since_ms) {
        /* The close frame waits for WRITEABLE, which a peer that stopped reading never
         * gives: the idle sweep cuts the socket after WS_CLOSE_GRACE_MS, and the end of
         * this loop turn releases the session (presence, rooms) at once. */
        p->closing_since_ms = app_now_ms(server->app);
        lws_callback_on_writable(wsi);
    }
    bool as_reply = reply || p->s->state != SESSION_OPEN;
    flush_queue_push(&server->flush, &p->flush, as_reply ? FLUSH_REPLY : FLUSH_EVENT);
    /* an event held for the next round waits for events_timer, not for the next turn */
    if (p->flush.cls == FLUSH_LATER && uv_is_active((uv_handle_t *)&server->events_timer)) return;
    if (!uv_is_active((uv_handle_t *)&server->flush_idle)) uv_idle_start(&server->flush_idle, on_flush_idle);
}

static void on_flush(uv_check_t *h)
{
    struct ws_server *w = h->data;
    struct flush_turn turn = {.start_ns = uv_hrtime(), .now_ns = flush_clock};
    struct flush_link *l;
    while ((l = flush_queue_next(&w->flush, &turn))) {
        struct ws_pss *p = pss_of_flush(l);
        struct session *s = p->s;
        struct lws *wsi = p->wsi;
        if (!s || !wsi) continue;
        if (s->state == SESSION_CLOSING) {
            session_release(s);    /* a safe point: no fan-out is walking its rooms now */
            continue;
        }
        if (!session_has_output(s)) continue;
        if (s->state != SESSION_OPEN || p->ping_due || lws_partial_buffered(wsi)) {
            lws_callback_on_writable(wsi);
            continue;
        }
        /* not inside an lws callback: returning -1 is not available, so have lws drop it */
        if (write_queued(wsi, s) < 0) lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
    }
    uint64_t due_ns;
    if (flush_queue_empty(&w->flush)) {
        uv_idle_stop(&w->flush_idle);
    } else if ((due_ns = flush_queue_round_due_ns(&w->flush))) {
        /* only events held for the next round (--event-hold-ms): the loop may block in poll
         * until it starts. uv_now() is the loop's cached time in ms, never ahead of
         * uv_hrtime(), so the timer cannot fire before the round is due. */
        uv_idle_stop(&w->flush_idle);
        if (!uv_is_active((uv_handle_t *)&w->events_timer)) {
            uint64_t due_ms = (due_ns + 999999u) / 1000000u, loop_ms = uv_now(w->events_timer.loop);
            uv_timer_start(&w->events_timer, on_events_due, due_ms > loop_ms ? due_ms - loop_ms : 0, 0);
            metrics_events_held();
        }
    } else {
        /* what the budget left keeps the loop from blocking in poll until it is written */
        metrics_flush_deferred();
    }
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct ws_pss *p = user;
    struct ws_server *server = server_of(wsi);
    struct app *app = server ? server->app : NULL;

    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        handshake_done(server, wsi);
        return on_filter(wsi, app);

    case LWS_CALLBACK_ESTABLISHED: {
        char peer[64];
        peer_address(wsi, app->cfg, peer, sizeof peer);
        p->s = session_new(app->sessions, wsi, &transport, peer, app_now_ms(app));
        p->wsi = wsi;
        p->last_seen_ms = app_now_ms(app);
        p->next = server->conns;
        if (server->conns) server->conns->prev = p;
        server->conns = p;
        addrcount_inc(server->per_addr, p->s->peer);
        log_debug("session %llu (%s): open", (unsigned long long)p->s->id, peer);
        if (app->stopping) session_close(p->s, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
        return 0;
    }

    case LWS_CALLBACK_RECEIVE:
        if (recv_hook_unmasked(lws_get_socket_fd(wsi))) {
            /* RFC 6455 5.1: a server must fail a connection whose client frames are not masked */
            log_info("session %llu: unmasked frame; closing with 1002", p->s ? (unsigned long long)p->s->id : 0ull);
            return close_with(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, "client frames must be masked");
        }
        p->last_seen_ms = app_now_ms(app);
        p->ping_sent = false;
        return on_receive(wsi, p, in, len);

    case LWS_CALLBACK_RECEIVE_PONG:
        log_debug("session %llu: pong", p->s ? (unsigned long long)p->s->id : 0ull);
        p->last_seen_ms = app_now_ms(app);
        p->ping_sent = false;
        return 0;

    case LWS_CALLBACK_SERVER_WRITEABLE:
        return on_writeable(wsi, p);

    case LWS_CALLBACK_CLOSED:
        handshake_done(server, wsi);
        recv_hook_forget(lws_get_socket_fd(wsi));
        if (server) flush_queue_remove(&server->flush, &p->flush);
        if (p->wsi && server) {
            if (p->prev) p->prev->next = p->next; else server->conns = p->next;
            if (p->next) p->next->prev = p->prev;
            p->prev = p->next = NULL;
            p->wsi = NULL;
        }
        if (p->s) {
            struct session *s = p->s;
            p->s = NULL;
            log_debug("session %llu (%s): closed", (unsigned long long)s->id, s->peer);
            addrcount_dec(server->per_addr, s->peer);
            session_closed(s);     /* the domains drop it (app.c, on_session_gone) */
        }
        free(p->rx);
        p->rx = NULL;
        return 0;

    default:
        return 0;
    }
}

/* Every connection starts in the first protocol: its first request read (a page, or an
 * upgrade about to be filtered) or its end frees its handshake slot; the rest is http.c's. */
static int first_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    switch (reason) {
    case LWS_CALLBACK_FILTER_HTTP_CONNECTION:
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
    case LWS_CALLBACK_CLOSED_HTTP:
        handshake_done(server_of(wsi), wsi);
        break;
    default:
        break;
    }
    return http_callback(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    {.name = "http", .callback = first_callback, .per_session_data_size = HTTP_PSS_SIZE},
    {.name = "expo.v1", .callback = ws_callback, .per_session_data_size = sizeof(struct ws_pss),
     .rx_buffer_size = WS_RX_BUFFER, .tx_packet_size = WS_TX_PACKET},
    {NULL, NULL, 0, 0, 0, NULL, 0}
};

/* Handshakes in flight at most (net/handshakes.h says why there is a cap): lws walks up to
 * this many timers per accepted connection. At the per-wake-up accept bound of 128 and
 * deferred accept (the request is already there), a loop turn normally completes what the
 * last one accepted, so the cap binds only when the loop falls behind. */
#define WS_HANDSHAKES_MAX 256
/* A handshake older than this stops counting against the cap: a slow or hostile client (one
 * sending its headers a byte at a time) cannot hold accepting shut for longer. lws's own
 * header timeout (WS_AH_IDLE_S) still drops it. */
#define WS_HANDSHAKE_SLOW_MS 1000
#define WS_HOLD_RECHECK_MS 100
#define WS_DEFER_ACCEPT_S 5
#define WS_AH_IDLE_S 10                 /* lws drops a connection holding headers this long */

/* We own the listening socket rather than lws: SO_REUSEPORT lets several boothd processes
 * share one port on one box (the kernel spreads connections), which lws 4.1 cannot do
 * (its ALLOW_LISTEN_SHARE sets only SO_REUSEADDR). Accepted sockets are adopted by lws. */
static int open_listener(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_ANY)};
    /* The kernel hands over a connection only once its first bytes (the request) are there:
     * a handshake slot (net/handshakes.h) is taken by a client that is ready to be served,
     * and one that connects and sends nothing costs no slot (an empty connection is still
     * handed over after this many seconds, and lws drops it after its header timeout). */
    int defer_s = WS_DEFER_ACCEPT_S;
    setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof defer_s);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4096)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Out of descriptors (EMFILE/ENFILE): the pending connection stays in the backlog and the
 * listening socket stays readable, so accepting on would spin (4.9 million failed accepts
 * in 10 s once). Like libuv-based servers do: give up the reserve descriptor, accept the
 * connection and close it at once (the client sees a reset instead of hanging), take the
 * reserve back, and stop accepting for WS_ACCEPT_PAUSE_MS; log once per WS_EMFILE_LOG_MS. */
#define WS_ACCEPT_PAUSE_MS 100
#define WS_EMFILE_LOG_MS 10000

static void on_accept(uv_poll_t *p, int status, int events);

/* Listening again unless out of descriptors (accept_paused) or at the handshake cap. */
static void accept_resume(struct ws_server *w)
{
    if (!w->listening || w->accept_paused || w->accept_held) return;
    uv_poll_start(&w->listen_poll, UV_READABLE, on_accept);
}

static void on_accept_resume(uv_timer_t *t)
{
    struct ws_server *w = t->data;
    if (!w->accept_paused || !w->listening) return;
    w->accept_paused = false;
    accept_resume(w);
}

static void unhold(struct ws_server *w)
{
    if (!w->accept_held) return;
    w->accept_held = false;
    uv_timer_stop(&w->hold_timer);
    accept_resume(w);
}

/* Slow handshakes' slots are freed; true when that took the count below the resume mark. */
static bool expire_slow_handshakes(struct ws_server *w)
{
    bool resume = false;
    handshakes_expire(w->handshakes, app_now_ms(w->app), WS_HANDSHAKE_SLOW_MS, &resume);
    return resume || !handshakes_full(w->handshakes);
}

static void on_hold_check(uv_timer_t *t)
{
    struct ws_server *w = t->data;
    if (!w->accept_held) return;
    if (expire_slow_handshakes(w)) unhold(w);
    else uv_timer_start(&w->hold_timer, on_hold_check, WS_HOLD_RECHECK_MS, 0);
}

/* At the cap: connections wait in the listen backlog until handshakes complete (or turn
 * slow). */
static void hold(struct ws_server *w)
{
    w->accept_held = true;
    uv_poll_stop(&w->listen_poll);
    uv_timer_start(&w->hold_timer, on_hold_check, WS_HOLD_RECHECK_MS, 0);
}

/* A connection's first request was read (or it closed): its handshake slot is free, and
 * accepting goes on if the cap had stopped it. */
static void handshake_done(struct ws_server *w, struct lws *wsi)
{
    if (!w || !w->handshakes) return;
    if (handshakes_end(w->handshakes, lws_get_socket_fd(wsi))) unhold(w);
}

static void shed_and_pause(struct ws_server *w, int err)
{
    if (w->reserve_fd >= 0) {
        close(w->reserve_fd);
        int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) { close(fd); w->emfile_refused++; }
        w->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    uint64_t now = app_now_ms(w->app);
    if (!w->emfile_logged_ms || now - w->emfile_logged_ms >= WS_EMFILE_LOG_MS) {
        log_warn("ws: out of file descriptors (%s): not accepting for %d ms at a time; %u connection(s) shed since the last report",
                 strerror(err), WS_ACCEPT_PAUSE_MS, w->emfile_refused);
        w->emfile_logged_ms = now;
        w->emfile_refused = 0;
    }
    w->accept_paused = true;
    uv_poll_stop(&w->listen_poll);
    uv_timer_start(&w->accept_timer, on_accept_resume, WS_ACCEPT_PAUSE_MS, 0);
}

static void on_accept(uv_poll_t *p, int status, int events)
{
    struct ws_server *w = p->data;
    if (status < 0) return;
    /* Bounded per wake-up so one flood of connections cannot starve the loop, and by the
     * handshakes in flight (net/handshakes.h): past the cap, connections wait in the backlog. */
    for (int i = 0; i < 128; i++) {
        if (handshakes_full(w->handshakes) && !expire_slow_handshakes(w)) {
            hold(w);
            return;
        }
        int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) shed_and_pause(w, errno);
            else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                log_warn("ws: accept failed: %s", strerror(errno));
            return;
        }
        if (w->refuse_new) { close(fd); continue; }
        /* lws sets its socket options only on sockets it accepted itself: small replies
         * must not wait for the peer's delayed ACK. */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        recv_hook_watch(fd);                    /* before lws reads a byte (net/recv_hook.h) */
        handshakes_begin(w->handshakes, fd, app_now_ms(w->app));
        if (!lws_adopt_socket_vhost(w->vhost, fd))   /* on failure lws closes fd */
            handshakes_end(w->handshakes, fd);
    }
}

static void stop_listening(struct ws_server *w)
{
    if (!w->listening) return;
    w->listening = false;
    uv_poll_stop(&w->listen_poll);
    uv_close((uv_handle_t *)&w->listen_poll, NULL);
    uv_timer_stop(&w->accept_timer);
    uv_close((uv_handle_t *)&w->accept_timer, NULL);
    uv_timer_stop(&w->hold_timer);
    uv_close((uv_handle_t *)&w->hold_timer, NULL);
    w->accept_held = false;                 /* nothing to resume: the timer is closing */
    close(w->listen_fd);
    w->listen_fd = -1;
    if (w->reserve_fd >= 0) close(w->reserve_fd);
    w->reserve_fd = -1;
}

/* Idle/dead peers: ping a peer silent for WS_PING_AFTER_MS, drop one silent for
 * WS_DROP_AFTER_MS. One sweep over all connections every WS_SWEEP_MS costs O(n) per sweep;
 * lws 4.1's own validity timers (retry_and_idle_policy) re-insert a per-connection timer into
 * one sorted list on every (re)arm, O(n) each: perf showed 65 % of boothd's CPU in
 * lws_dll2_add_sorted at 19,000 sessions. Without a policy lws would apply its default one
 * (ping after 300 s), hence the explicit all-zero policy. */
static const lws_retry_bo_t no_lws_idle_timers = {.secs_since_valid_ping = 0, .secs_since_valid_hangup = 0};

#define WS_PING_AFTER_MS 15000
#define WS_DROP_AFTER_MS 30000
#define WS_CLOSE_GRACE_MS 2000    /* a closing session's socket is cut this long after the close */
#define WS_SWEEP_MS 1000

/* Drops a connection whose peer stopped reading. lws alone cannot: a wsi closed with output
 * still buffered waits for POLLOUT to flush it first (LRS_FLUSHING_BEFORE_CLOSE), which such a
 * peer never gives. Shutting the socket down makes that flush fail at once, and a zero linger
 * makes the close a reset that discards the unsent bytes instead of keeping them in the
 * kernel for minutes. */
static void cut_socket(struct lws *wsi)
{
    int fd = lws_get_socket_fd(wsi);
    if (fd >= 0) {
        struct linger now = {.l_onoff = 1, .l_linger = 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
        shutdown(fd, SHUT_RDWR);
    }
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

static void on_idle_sweep(uv_timer_t *t)
{
    struct ws_server *w = t->data;
    uint64_t now = app_now_ms(w->app);
    if (expire_slow_handshakes(w)) unhold(w);   /* also slots of connections gone unnoticed */
    for (struct ws_pss *p = w->conns, *next; p; p = next) {
        next = p->next;
        if (p->closing_since_ms) {
            if (!p->cut && now - p->closing_since_ms >= WS_CLOSE_GRACE_MS) {
                if (p->s) log_info("session %llu (%s): no close handshake %d ms after closing (%s); cutting the socket",
                                   (unsigned long long)p->s->id, p->s->peer, WS_CLOSE_GRACE_MS, p->s->close_reason);
                cut_socket(p->wsi);
                p->cut = true;
            }
            continue;
        }
        if (p->s) session_trim(p->s);
        uint64_t idle = now - p->last_seen_ms;
        if (idle >= WS_DROP_AFTER_MS) {
            if (p->s) log_info("session %llu (%s): silent for %llu s; dropping", (unsigned long long)p->s->id,
                               p->s->peer, (unsigned long long)(idle / 1000));
            if (p->s) session_close(p->s, LWS_CLOSE_STATUS_GOINGAWAY, "idle timeout");
            else lws_set_timeout(p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
            p->last_seen_ms = now;   /* one close attempt per drop period */
        } else if (idle >= WS_PING_AFTER_MS && !p->ping_sent && !p->ping_due) {
            p->ping_due = true;
            lws_callback_on_writable(p->wsi);
        }
    }
}

static void lws_log_bridge(int level, const char *line)
{
    size_t l = strlen(line);
    while (l && line[l - 1] == '\n') l--;
    if (level & LLL_ERR) log_error("lws: %.*s", (int)l, line);
    else if (level & LLL_WARN) log_warn("lws: %.*s", (int)l, line);
    else log_debug("lws: %.*s", (int)l, line);
}

struct ws_server *ws_server_start(struct app *app)
{
    int lws_levels = LLL_ERR | LLL_WARN;
    if (app->cfg->log_level == LOG_DEBUG) lws_levels |= LLL_NOTICE;
    lws_set_log_level(lws_levels, lws_log_bridge);

    struct ws_server *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->listen_fd = -1;
    w->reserve_fd = -1;
    w->app = app;
    w->per_addr = addrcount_new();
    struct rlimit nofile;
    int max_fd = getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < (1u << 20) ? (int)nofile.rlim_cur : 1 << 20;
    w->handshakes = handshakes_new(WS_HANDSHAKES_MAX, max_fd);
    app->ws = w;

    void *foreign_loops[1] = {&app->loop};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.protocols = protocols;
    w->mounts = http_mounts_new(app);
    info.mounts = http_mounts_list(w->mounts);
    info.headers = http_headers();
    info.vhost_name = "boothd";
    info.server_string = "boothd";
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DISABLE_IPV6;
    info.foreign_loops = foreign_loops;
    info.retry_and_idle_policy = &no_lws_idle_timers;
    info.user = app;
    info.timeout_secs = 20;
    info.timeout_secs_ah_idle = WS_AH_IDLE_S;
    w->ctx = lws_create_context(&info);
    if (w->ctx && !(w->vhost = lws_get_vhost_by_name(w->ctx, "boothd"))) {
        /* the caller stops; the context is torn down in the normal order */
        log_error("ws: lws could not create its vhost");
        w->failed = true;
        return w;
    }
    w->listen_fd = w->ctx ? open_listener(app->cfg->port) : -1;
    if (w->ctx && w->listen_fd < 0) {
        log_error("ws: cannot listen on port %d: %s", app->cfg->port, strerror(errno));
        w->failed = true;
        return w;
    }
    if (!w->ctx) {
        log_error("ws: cannot create the lws context on port %d (port in use? is libwebsockets-evlib-uv installed?)",
                  app->cfg->port);
        addrcount_free(w->per_addr);
        handshakes_free(w->handshakes);
        http_mounts_free(w->mounts);
        free(w);
        app->ws = NULL;
        return NULL;
    }
    uv_timer_init(&app->loop, &w->idle_timer);
    w->idle_timer.data = w;
    uv_timer_start(&w->idle_timer, on_idle_sweep, WS_SWEEP_MS, WS_SWEEP_MS);
    uv_check_init(&app->loop, &w->flush_check);
    uv_idle_init(&app->loop, &w->flush_idle);
    w->flush_check.data = w;
    uv_check_start(&w->flush_check, on_flush);
    uv_timer_init(&app->loop, &w->events_timer);
    w->flush.hold_ns = (uint64_t)app->cfg->event_hold_ms * 1000000u;
    w->flush_started = true;
    uv_poll_init(&app->loop, &w->listen_poll, w->listen_fd);
    w->listen_poll.data = w;
    uv_timer_init(&app->loop, &w->accept_timer);
    w->accept_timer.data = w;
    uv_timer_init(&app->loop, &w->hold_timer);
    w->hold_timer.data = w;
    w->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    uv_poll_start(&w->listen_poll, UV_READABLE, on_accept);
    w->listening = true;
    return w;
}

void ws_server_refuse_new(struct ws_server *w)
{
    w->refuse_new = true;
    stop_listening(w);
}

void ws_server_destroy(struct ws_server *w)
{
    if (!w) return;
    stop_listening(w);
    if (uv_is_active((uv_handle_t *)&w->idle_timer) || w->idle_timer.data) {
        uv_timer_stop(&w->idle_timer);
        uv_close((uv_handle_t *)&w->idle_timer, NULL);
        w->idle_timer.data = NULL;
    }
    if (w->flush_started) {
        /* what is still queued goes the WRITEABLE way (want_write checks flush_started) */
        struct flush_link *l;
        while ((l = flush_queue_pop(&w->flush))) {
            struct ws_pss *p = pss_of_flush(l);
            if (p->wsi) lws_callback_on_writable(p->wsi);
        }
        w->flush_started = false;
        uv_close((uv_handle_t *)&w->flush_check, NULL);
        uv_close((uv_handle_t *)&w->flush_idle, NULL);
        uv_close((uv_handle_t *)&w->events_timer, NULL);
    }
    lws_context_destroy(w->ctx);
}

void ws_server_free(struct ws_server *w)
{
    if (!w) return;
    /* With a foreign loop the first destroy only starts closing lws's handles; once the
     * loop has run them to completion, this second call frees what remains. */
    lws_context_destroy(w->ctx);
    addrcount_free(w->per_addr);
    handshakes_free(w->handshakes);
    http_mounts_free(w->mounts);
    free(w->batch);
    recv_hook_free();          /* every connection is gone */
    w->app->ws = NULL;
    free(w);
}
