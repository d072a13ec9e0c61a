/* flush_queue.c — see flush_queue.h. */
#include "net/flush_queue.h"

#include <stddef.h>

static struct flush_list *list_of(struct flush_queue *q, enum flush_class cls)
{
    return cls == FLUSH_REPLY ? &q->reply : cls == FLUSH_LATER ? &q->later : &q->event;
}

static void unlink_from(struct flush_list *list, struct flush_link *l)
{
    if (l->prev) l->prev->next = l->next; else list->head = l->next;
    if (l->next) l->next->prev = l->prev; else list->tail = l->prev;
    l->prev = l->next = NULL;
}

static void append(struct flush_list *list, struct flush_link *l)
{
    l->next = NULL;
    l->prev = list->tail;
    if (list->tail) list->tail->next = l; else list->head = l;
    list->tail = l;
}

void flush_queue_push(struct flush_queue *q, struct flush_link *l, enum flush_class cls)
{
    if (cls != FLUSH_REPLY && cls != FLUSH_EVENT) return;
    if (l->cls == FLUSH_REPLY) return;
    if (cls == FLUSH_EVENT) {
        if (l->cls != FLUSH_NONE) return;                     /* queued already: keeps its place */
        if (q->hold_ns && l->round == q->round) cls = FLUSH_LATER;
    } else if (l->cls != FLUSH_NONE) {
        unlink_from(list_of(q, (enum flush_class)l->cls), l); /* promoted to a reply */
    }
    append(list_of(q, cls), l);
    l->cls = (uint8_t)cls;
}

void flush_queue_remove(struct flush_queue *q, struct flush_link *l)
{
    if (l->cls == FLUSH_NONE) return;
    unlink_from(list_of(q, (enum flush_class)l->cls), l);
    l->cls = FLUSH_NONE;
}

/* Takes l out, marked written in the current round. */
static struct flush_link *take(struct flush_queue *q, struct flush_link *l)
{
    flush_queue_remove(q, l);
    l->round = q->round;
    return l;
}

struct flush_link *flush_queue_pop(struct flush_queue *q)
{
    struct flush_link *l = q->reply.head ? q->reply.head : q->event.head ? q->event.head : q->later.head;
    return l ? take(q, l) : NULL;
}

bool flush_queue_empty(const struct flush_queue *q) { return !q->reply.head && !q->event.head && !q->later.head; }

/* A new round: what waited in LATER goes first, then the events queued meanwhile. */
static void start_round(struct flush_queue *q, uint64_t now)
{
    q->round++;
    q->round_start_ns = now;
    if (!q->later.head) return;
    for (struct flush_link *l = q->later.head; l; l = l->next) l->cls = FLUSH_EVENT;
    if (q->event.head) {
        q->later.tail->next = q->event.head;
        q->event.head->prev = q->later.tail;
        q->event.head = q->later.head;
    } else {
        q->event = q->later;
    }
    q->later = (struct flush_list){0};
}

struct flush_link *flush_queue_next(struct flush_queue *q, struct flush_turn *t)
{
    if (q->reply.head) return take(q, q->reply.head);
    if (q->hold_ns && (q->event.head || q->later.head) && t->start_ns - q->round_start_ns >= q->hold_ns)
        start_round(q, t->start_ns);
    if (!q->event.head) return NULL;
    if (t->events && t->events % FLUSH_CLOCK_EVERY == 0 && t->now_ns() - t->start_ns >= FLUSH_EVENT_BUDGET_NS)
        return NULL;
    t->events++;
    return take(q, q->event.head);
}

uint64_t flush_queue_round_due_ns(const struct flush_queue *q)
{
    if (!q->later.head || q->event.head) return 0;
    return q->round_start_ns + q->hold_ns;
}
