/* metrics.h — this process's counters for Prometheus (/metrics) and the organizer's live
 * statistics. What it is: a handful of counters, gauges and histograms in one file-scope
 * registry, bumped with a few array writes and rendered in the text exposition format 0.0.4
 * (docs/metrics.md lists every metric and its meaning). What it is not: a general client
 * library, nor thread-safe — one process is one loop thread, so a bump needs no lock.
 *
 * Why a file-scope registry when state is otherwise passed: the hooks sit in modules that
 * have no app pointer at the point of the bump (db.c's result path, session_send), and a
 * global registry is what every Prometheus client does; nothing here is per-domain state.
 *
 * Labels: label values are "keys" interned once (metrics_key). Every key comes from our own
 * code (route types, event types, statement names, NOTIFY channels), never from a client, so
 * the label sets are bounded; past METRICS_MAX_KEYS keys everything goes to "other". */
#ifndef BOOTHD_METRICS_H
#define BOOTHD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_MAX_KEYS 256

/* The index of a label value, interned on first sight (the string is copied). */
int metrics_key(const char *value);

/* WebSocket messages: one received request of route type `type` ("unknown" when it named no
 * route, "invalid" when it did not decode); one message queued to one session, of kind
 * `kind` ("reply", "error" or an event type; NULL = "other"). */
void metrics_ws_in(const char *type);
void metrics_ws_out(const char *kind, size_t bytes);
/* The same with the kind's key already looked up (a message sent to a whole room looks its kind
 * up once, not once per member). An unknown key counts as "other". */
void metrics_ws_out_key(int key, size_t bytes);

/* One request finished: its route type (NULL = no route), its result (a protocol code's wire
 * name, "ok" for success) and how long it took from dispatch to reply. */
void metrics_request_done(const char *type, const char *result, double seconds);
/* How many requests of `type` finished with result "ok" (the live statistics' chat count). */
uint64_t metrics_requests_ok(const char *type);

/* One chat batch committed with n messages. */
void metrics_chat_batch(unsigned n);
/* n chat messages sent to a member catching up (after booth.enter, or behind its room), from
 * the room's ring in memory (from_ring) or read from the table. */
void metrics_chat_catchup(bool from_ring, unsigned n);
/* A booth.enter read or a catch-up read done again because a message was hidden while it ran. */
void metrics_chat_hidden_reread(void);
/* A loop turn left events unwritten for the next one (net/flush_queue.h's budget). */
void metrics_flush_deferred(void);
/* --event-hold-ms let events wait for the next round, on a timer (net/ws.c). */
void metrics_events_held(void);
/* One event-loop iteration worked for busy_seconds (its wait for I/O not counted;
 * core/loop_stats.h). */
void metrics_loop_turn(double busy_seconds);

/* One prepared statement answered (any status) after `seconds` from being queued. */
void metrics_db_query(const char *statement, double seconds);
/* A query connection spent a round trip on plan settings for DB_STMT_GENERIC statements:
 * switching plan_cache_mode to generic or back, or discarding its plans (server/db/db.c). */
void metrics_db_plan_setting(void);
uint64_t metrics_db_plan_settings(void);   /* how many so far (for tests) */
/* One NOTIFY received on channel. */
void metrics_notify(const char *channel);

/* Values read at render time by whoever owns them (the sessions, the db pool). */
struct metrics_gauges {
    unsigned sessions;              /* open WebSocket sessions */
    unsigned signed_in;             /* of which signed in */
    uint64_t queue_bytes;           /* bytes waiting in every session's outbound queue */
    uint64_t queue_messages;
    unsigned db_connections;        /* query connections that are up */
    unsigned db_busy;               /* of which running a query */
    unsigned db_queued;             /* queries waiting for a connection */
};

/* The whole exposition (malloc'ed, NUL-terminated; the caller frees it). /proc/self is
 * read here for the process_* metrics; start_time_s is the process start (Unix seconds). */
char *metrics_render(const struct metrics_gauges *g, double start_time_s);

/* Drops every counter and key (unit tests). The process keeps its registry until exit: it
 * stays reachable from the file-scope root, so leak checkers do not report it. */
void metrics_reset(void);

#endif
