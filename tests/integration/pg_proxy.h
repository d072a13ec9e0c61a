/* pg_proxy.h — a TCP relay between boothd and a test's PostgreSQL that understands just enough
 * of the frontend/backend protocol to lose one statement's result on purpose.
 *
 * Why: a chat batch whose connection dies after PostgreSQL committed it, before boothd read
 * the result, is a window no client action can hit. Armed with a prepared statement's name,
 * the relay lets the next Bind of that statement through, keeps every byte PostgreSQL sends
 * back for it to itself, and once PostgreSQL says ReadyForQuery for that Sync (the
 * transaction is over: committed, or rolled back on error) it closes both sides of that
 * connection. boothd sees its connection lost with the statement's outcome unknown.
 *
 * Optionally it also drops the next NotificationResponse on a given channel, on any
 * connection, from the moment the statement is caught: a node skips the notifications of its
 * own commits, and so must not depend on seeing that one.
 *
 * Or, held with a statement's name, the relay keeps back the answer to the next Bind of that
 * statement (and whatever follows it on that connection) until the test releases it:
 * PostgreSQL has run and committed it, boothd does not know yet, and everything else
 * (notifications on the LISTEN connection too) goes on meanwhile.
 *
 * Everything else is relayed unchanged, and new connections (boothd reconnecting) are
 * accepted as before. The relay runs in a thread of its own; connect with sslmode=disable and
 * gssencmode=disable (pg_proxy_url gives such a URL), since it reads the stream in clear.
 *
 * Ownership: the test owns the struct; pg_proxy_stop joins the thread and closes every
 * socket (also done at process exit by nothing else: call it, or let the process end). */
#ifndef IT_PG_PROXY_H
#define IT_PG_PROXY_H

#include <pthread.h>
#include <stdbool.h>

struct pg_proxy {
    int port;                   /* where it listens (127.0.0.1) */
    char url[300];              /* postgresql URL of the relay, same role and database */
    /* the rest is the relay's own */
    int upstream_port;
    int listen_fd, wake[2];
    pthread_t thread;
    pthread_mutex_t mu;
    char armed_stmt[64];        /* "" = not armed */
    char hold_stmt[64];         /* "" = none */
    int hold_done;              /* 1: the held answer is complete (its ReadyForQuery is kept) */
    char drop_channel[64];      /* "" = none */
    bool drop_armed;
    int cuts, dropped;
};

/* Starts a relay to the cluster at upstream_url (postgresql://user@127.0.0.1:PORT/db). Fails
 * the test if it cannot. */
void pg_proxy_start(struct pg_proxy *p, const char *upstream_url);
/* The next Bind of prepared statement `stmt` loses its result as described above; if
 * drop_channel is not NULL, the next notification on it is dropped too. */
void pg_proxy_arm(struct pg_proxy *p, const char *stmt, const char *drop_channel);
/* The next Bind of prepared statement `stmt` has its answer kept back until
 * pg_proxy_release. */
void pg_proxy_hold(struct pg_proxy *p, const char *stmt);
/* Whether the held statement's whole answer is in (PostgreSQL finished it). */
bool pg_proxy_held(struct pg_proxy *p);
/* Sends what was kept back and relays that connection as before. */
void pg_proxy_release(struct pg_proxy *p);
/* How many connections were cut / notifications dropped so far. */
int pg_proxy_cuts(struct pg_proxy *p);
int pg_proxy_dropped(struct pg_proxy *p);
void pg_proxy_stop(struct pg_proxy *p);

#endif
