/* node.h — this process as one of the nodes sharing the database: registers itself in
 * `nodes`, heartbeats every NODE_HEARTBEAT_MS, and deletes nodes whose heartbeat is older
 * than NODE_DEAD_AFTER_S (their presence rows go with them, ON DELETE CASCADE), so a
 * killed node's visitors disappear from the counts within NODE_DEAD_AFTER_S plus one
 * heartbeat (about 8 s). Part of the presence domain, which creates and drives it. */
#ifndef BOOTHD_NODE_H
#define BOOTHD_NODE_H

#include <stdbool.h>

#define NODE_HEARTBEAT_MS 2000
#define NODE_DEAD_AFTER_S 6

struct app;
struct node;

/* What the node asks of presence, which owns it (so node.c does not call back into it). */
struct node_presence {
    bool (*take_stale)(void *arg);      /* a presence write failed since the last call */
    void (*restore)(void *arg);         /* our presence rows were cleared: write them again */
    /* Runs run(run_arg) when no presence batch is committing, and holds the batches until
     * exclusive_done (presence_write.h: a statement over all of the node's rows deadlocked
     * with the batches); final: the node is stopping, nothing is written after it. */
    void (*exclusive)(void *arg, bool final, void (*run)(void *run_arg), void *run_arg);
    void (*exclusive_done)(void *arg);
    void *arg;
};

/* The heartbeat timer is created here and started by node_start. */
struct node *node_new(struct app *app, struct node_presence presence);
/* Closes the timer; the node is freed when it has closed. */
void node_free(struct node *n);
/* Starts registration and the heartbeat (the node begins serving). */
void node_start(struct node *n);
/* Stops the heartbeat; deletes this node's presence and its row (graceful stop) once the
 * presence batches in flight committed. */
void node_stop(struct node *n);

#endif
