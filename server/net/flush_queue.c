/* flush_queue.c — see flush_queue.h. */
#include "net/flush_queue.h"

#include <stddef.h>

static struct flush_list *list_of(struct flush_queue *q, enum flush_class cls)
{
    return cls == FLUSH_REPLY ? &q->reply : &q->event;
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
    if (l->cls == FLUSH_REPLY || l->cls == cls) return;
    if (l->cls == FLUSH_EVENT) unlink_from(&q->event, l);    /* promoted to a reply */
    append(list_of(q, cls), l);
    l->cls = (uint8_t)cls;
}

void flush_queue_remove(struct flush_queue *q, struct flush_link *l)
{
    if (l->cls == FLUSH_NONE) return;
    unlink_from(list_of(q, (enum flush_class)l->cls), l);
    l->cls = FLUSH_NONE;
}

struct flush_link *flush_queue_pop(struct flush_queue *q)
{
    struct flush_link *l = q->reply.head ? q->reply.head : q->event.head;
    if (l) flush_queue_remove(q, l);
    return l;
}

bool flush_queue_empty(const struct flush_queue *q) { return !q->reply.head && !q->event.head; }

struct flush_link *flush_queue_next(struct flush_queue *q, struct flush_turn *t)
{
    if (q->reply.head) return flush_queue_pop(q);
    if (!q->event.head || t->events_held) return NULL;
    if (t->events && t->events % FLUSH_CLOCK_EVERY == 0 && t->now_ns() - t->start_ns >= FLUSH_EVENT_BUDGET_NS)
        return NULL;
    t->events++;
    return flush_queue_pop(q);
}
