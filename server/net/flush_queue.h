/* flush_queue.h — the connections with output to write at the end of a loop turn, in two
 * classes, and how much of it one turn writes. Pure: no sockets, no clock of its own.
 *
 * Why (issue 15, joins): a presence recount sends presence.changed to every member of every
 * changed booth, and a chat batch to every member of its rooms. Written all in one turn, a
 * recount of a crowded hall was 16,000-19,000 send()s, 120-160 ms in which boothd read no
 * socket and no database result: every join in flight (the handshakes, auth.resume,
 * booth.enter) waited that long, and the join p99 was made of those stalls. Now:
 * - a REPLY (the answer to a request, a close) goes out in the turn it was queued, before
 *   any event: the requests of the turn are answered whatever fan-out is pending;
 * - EVENTs go out in the order their connections were queued (FIFO: a connection that is
 *   written often cannot starve one queued before it), for at most FLUSH_EVENT_BUDGET_NS per
 *   turn; what is left waits for the next turn, and the loop polls without blocking
 *   in between, so sockets and database results are served every few milliseconds.
 * A connection's queue is one ordered stream: a reply queued behind events writes them too
 * (its connection moves to the reply class; nothing is reordered within a connection).
 *
 * Rounds (--event-hold-ms, issue 15 fan-out: a loopback send() of one small frame costs the
 * sender 4-6 µs, so CPU per delivery falls only when a send() carries several events). With a
 * hold, time is cut into rounds of at least the hold, and each connection is written at most
 * once per round for its events: an event for a connection not yet written in the current
 * round is queued as usual (it goes out this turn), one for a connection already written in
 * it waits in LATER. A round starts when an event is written after the last round's time is
 * up, or when its time is up and LATER has connections waiting; it then writes them first.
 * So an event waits at most the hold plus the writing ahead of it, a member who gets events
 * now and then waits for nothing, and a member of a busy room gets one send() per round
 * carrying everything the round brought it. A reply is never held and takes its connection's
 * waiting events along (it counts as the connection's write for the round).
 * Without a hold (the default) LATER stays empty and nothing above changes.
 *
 * Ownership: the caller owns the queue and the links (embedded in its per-connection data);
 * a link is in at most one class at a time. One thread. */
#ifndef BOOTHD_FLUSH_QUEUE_H
#define BOOTHD_FLUSH_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

/* About 500-1,300 send()s at 3-8 µs each (fan-out and joins benchmarks): short enough that a
 * join is never held up by more than a few ms of somebody else's events, long enough that
 * the check between chunks (a poll that does not block) costs nothing measurable. */
#define FLUSH_EVENT_BUDGET_NS 4000000u
/* The clock is read once per this many events written. */
#define FLUSH_CLOCK_EVERY 16u

/* FLUSH_LATER is internal: an event for a link already written in the current round. */
enum flush_class { FLUSH_NONE, FLUSH_REPLY, FLUSH_EVENT, FLUSH_LATER };

struct flush_link {
    struct flush_link *prev, *next;
    uint8_t cls;                    /* enum flush_class; FLUSH_NONE when not queued */
    uint32_t round;                 /* the round it was last taken out in (with a hold) */
};

struct flush_list {
    struct flush_link *head, *tail;
};

struct flush_queue {
    struct flush_list reply, event, later;
    uint64_t hold_ns;               /* set by the caller before use; 0: no rounds */
    uint32_t round;
    uint64_t round_start_ns;        /* flush_turn.start_ns of the turn that started the round */
};

/* Queues l in cls (FLUSH_REPLY or FLUSH_EVENT) at the tail. A link already queued stays
 * where it is, except that FLUSH_REPLY moves one from the events (or LATER) to the replies'
 * tail. With a hold, an event for a link taken out in the current round goes to LATER. */
void flush_queue_push(struct flush_queue *q, struct flush_link *l, enum flush_class cls);

/* Takes l out of its class (nothing when it is not queued). */
void flush_queue_remove(struct flush_queue *q, struct flush_link *l);

/* The next link, replies first, then events, then LATER, taken out of the queue; NULL when
 * the queue is empty. */
struct flush_link *flush_queue_pop(struct flush_queue *q);

bool flush_queue_empty(const struct flush_queue *q);

/* One turn's writing: when it started, the events written so far, the clock. */
struct flush_turn {
    uint64_t start_ns;
    unsigned events;
    uint64_t (*now_ns)(void);       /* read once per FLUSH_CLOCK_EVERY events */
};

/* The next link this turn writes, taken out of the queue: every reply, then events until
 * FLUSH_EVENT_BUDGET_NS since t->start_ns are spent. NULL when nothing is left, or only
 * events and the budget is spent (they stay queued, in order, for the next turn), or only
 * LATER and the round's time is not up. With a hold, starts a new round first when the
 * current one's time is up and events or LATER wait (LATER then goes ahead of the events). */
struct flush_link *flush_queue_next(struct flush_queue *q, struct flush_turn *t);

/* After a turn's writing: when connections wait only in LATER (no events left to write this
 * turn), the time the next round may start (q->round_start_ns + q->hold_ns); otherwise 0. */
uint64_t flush_queue_round_due_ns(const struct flush_queue *q);

#endif
