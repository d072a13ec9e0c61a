/* node.h — this process as one of the nodes sharing the database: registers itself in
 * `nodes`, heartbeats every NODE_HEARTBEAT_MS, and deletes nodes whose heartbeat is older
 * than NODE_DEAD_AFTER_S (their presence rows go with them, ON DELETE CASCADE), so a
 * killed node's visitors disappear from the counts within about 10 s. */
#ifndef BOOTHD_NODE_H
#define BOOTHD_NODE_H

#define NODE_HEARTBEAT_MS 2000
#define NODE_DEAD_AFTER_S 6

struct app;

/* Starts registration and the heartbeat timer (app->heartbeat_timer). */
void node_start(struct app *app);
void node_stop(struct app *app);

#endif
