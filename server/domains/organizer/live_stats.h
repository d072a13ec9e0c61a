/* live_stats.h — the organizer's live statistics, the same on every node, once a second.
 *
 * How the cost stays flat: once a second each node counts its own sessions in memory (a walk
 * of its session list, no database), and one query per node per second both upserts the
 * node's row in node_stats and reads the other nodes' fresh rows; the node sums them, builds
 * ONE stats.live payload and queues that same ref-counted message to each local subscriber.
 * So the database work is one small statement per node per second whatever the number of
 * watchers, and nothing scans chat, visits or presence. "Today" counters (meetings,
 * registrations) are range scans over today's rows through indexes, every LIVE_TODAY_EVERY
 * seconds and only on nodes with subscribers; booth names are cached for LIVE_BOOTHS_EVERY
 * seconds. Once a minute every node offers the summed figures to stats_minute; the first
 * insert of a minute wins (ON CONFLICT DO NOTHING), so nodes never double count.
 *
 * Ownership: the module holds a reference to each subscribed session until it unsubscribes
 * or its transport goes (live_stats_session_gone). */
#ifndef BOOTHD_LIVE_STATS_H
#define BOOTHD_LIVE_STATS_H

#include <cJSON.h>

#define LIVE_TICK_MS 1000
#define LIVE_FRESH_S 5          /* a node_stats row older than this is a dead node's */
#define LIVE_TODAY_EVERY 5
#define LIVE_BOOTHS_EVERY 30
#define LIVE_TOP_BOOTHS 10

struct app;
struct live_stats;
struct session;

struct live_stats *live_stats_new(struct app *app);
/* Starts the once-a-second timer (the node begins serving). */
void live_stats_start(struct live_stats *ls);
/* Stops the timer and deletes this node's row (graceful stop). */
void live_stats_stop(struct live_stats *ls);
/* Closes the timer, drops the subscribers; freed when the timer has closed. */
void live_stats_free(struct live_stats *ls);

/* Adds s to the subscribers (idempotent). Returns the latest payload's data (a new tree the
 * caller owns), or NULL when none was built yet. */
cJSON *live_stats_subscribe(struct live_stats *ls, struct session *s);
void live_stats_unsubscribe(struct live_stats *ls, struct session *s);
void live_stats_session_gone(struct live_stats *ls, struct session *s);

#endif
