/* turn.h — run a function once at the end of the current loop turn (a uv_check handle),
 * however often it was asked for during the turn, so work that arrives within one turn is
 * coalesced (the chat batcher sends one batch, the feed runs one fetch). The handle does not
 * keep the loop alive. */
#ifndef BOOTHD_TURN_H
#define BOOTHD_TURN_H

#include <uv.h>

typedef void (*turn_fn)(void *arg);

struct turn_end {
    uv_check_t check;
    turn_fn fn;
    turn_fn on_closed;
    void *arg;
};

void turn_end_init(struct turn_end *t, uv_loop_t *loop, turn_fn fn, void *arg);
/* fn(arg) runs at the end of this turn (once, however many requests). */
void turn_end_request(struct turn_end *t);
/* Closes the handle; on_closed(arg) runs when it has closed (free the owner there). */
void turn_end_close(struct turn_end *t, turn_fn on_closed);

#endif
