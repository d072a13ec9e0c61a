/* hub.c — see hub.h. Rooms live in a chained hash table keyed by booth id; each room keeps
 * an array of members (swap-remove), so publishing walks a contiguous array. */
#include "core/hub.h"

#include <stdlib.h>

#include "core/session.h"

#define HUB_BUCKETS 1024

struct room {
    struct room *next;
    int64_t booth_id;
    struct session **members;
    unsigned n, cap;
    int64_t seq;                        /* delivery cursor, -1 = unknown */
    struct { int64_t seq; struct outmsg *m; } ring[HUB_RING];
};

static void room_free(struct room *r)
{
    for (int i = 0; i < HUB_RING; i++) outmsg_unref(r->ring[i].m);
    free(r->members);
    free(r);
}

struct hub {
    struct room *b[HUB_BUCKETS];
};

static unsigned bucket(int64_t id) { return (unsigned)((uint64_t)id * 11400714819323198485ull >> 54) % HUB_BUCKETS; }

struct hub *hub_new(void)
{
    struct hub *h = calloc(1, sizeof *h);
    if (!h) abort();
    return h;
}

void hub_free(struct hub *h)
{
    if (!h) return;
    for (int i = 0; i < HUB_BUCKETS; i++)
        for (struct room *r = h->b[i], *n; r; r = n) { n = r->next; room_free(r); }
    free(h);
}

static struct room **find(struct hub *h, int64_t booth_id)
{
    struct room **p = &h->b[bucket(booth_id)];
    while (*p && (*p)->booth_id != booth_id) p = &(*p)->next;
    return p;
}

int hub_join(struct hub *h, int64_t booth_id, struct session *s)
{
    if (session_in_booth(s, booth_id)) return 0;
    if (session_add_booth(s, booth_id)) return -1;
    struct room **p = find(h, booth_id);
    if (!*p) {
        *p = calloc(1, sizeof **p);
        if (!*p) abort();
        (*p)->booth_id = booth_id;
        (*p)->seq = -1;
    }
    struct room *r = *p;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->members = realloc(r->members, sizeof *r->members * r->cap);
        if (!r->members) abort();
    }
    r->members[r->n++] = s;
    return 0;
}

void hub_leave(struct hub *h, int64_t booth_id, struct session *s)
{
    if (!session_in_booth(s, booth_id)) return;
    session_remove_booth(s, booth_id);
    struct room **p = find(h, booth_id), *r = *p;
    if (!r) return;
    for (unsigned i = 0; i < r->n; i++) {
        if (r->members[i] == s) { r->members[i] = r->members[--r->n]; break; }
    }
    if (r->n == 0) {
        *p = r->next;
        room_free(r);
    }
}

void hub_session_gone(struct hub *h, struct session *s)
{
    while (s->n_booths) hub_leave(h, s->booths[0].booth_id, s);
}

unsigned hub_publish(struct hub *h, int64_t booth_id, struct outmsg *m)
{
    struct room *r = *find(h, booth_id);
    if (!r) return 0;
    unsigned sent = 0;
    /* session_send may close a slow session but never removes it from the room (that
     * happens at CLOSED), so the array is stable during the walk. */
    for (unsigned i = 0; i < r->n; i++)
        if (session_send(r->members[i], m) == 0) sent++;
    return sent;
}

unsigned hub_room_size(const struct hub *h, int64_t booth_id)
{
    struct room *r = *find((struct hub *)h, booth_id);
    return r ? r->n : 0;
}

void hub_foreach_room(const struct hub *h, hub_room_fn fn, void *arg)
{
    for (int i = 0; i < HUB_BUCKETS; i++)
        for (struct room *r = h->b[i]; r; r = r->next) fn(r->booth_id, r->n, arg);
}

int64_t hub_room_seq(const struct hub *h, int64_t booth_id)
{
    struct room *r = *find((struct hub *)h, booth_id);
    return r ? r->seq : -1;
}

void hub_room_set_seq(struct hub *h, int64_t booth_id, int64_t seq)
{
    struct room *r = *find(h, booth_id);
    if (r && seq > r->seq) r->seq = seq;
}

unsigned hub_deliver_chat(struct hub *h, int64_t booth_id, int64_t seq, struct outmsg *m)
{
    struct room *r = *find(h, booth_id);
    if (!r) return 0;
    unsigned slot = (unsigned)(seq % HUB_RING);
    outmsg_unref(r->ring[slot].m);
    r->ring[slot].seq = seq;
    r->ring[slot].m = outmsg_ref(m);
    if (seq > r->seq) r->seq = seq;
    unsigned sent = 0;
    for (unsigned i = 0; i < r->n; i++) {
        struct session_booth *sb = session_booth(r->members[i], booth_id);
        if (!sb || sb->seq >= seq) continue;
        sb->seq = seq;
        if (session_send(r->members[i], m) == 0) sent++;
    }
    return sent;
}

bool hub_catch_up(struct hub *h, int64_t booth_id, struct session *s)
{
    struct room *r = *find(h, booth_id);
    struct session_booth *sb = session_booth(s, booth_id);
    if (!r || !sb || r->seq < 0) return true;
    if (r->seq - sb->seq > HUB_RING) return false;
    for (int64_t q = sb->seq + 1; q <= r->seq; q++) {
        unsigned slot = (unsigned)(q % HUB_RING);
        if (r->ring[slot].seq != q || !r->ring[slot].m) return false;
    }
    for (int64_t q = sb->seq + 1; q <= r->seq; q++) {
        session_send(s, r->ring[q % HUB_RING].m);
        sb->seq = q;
    }
    return true;
}
