/* room.c — see room.h. Rooms live in a chained hash table keyed by booth id; each room keeps
 * an array of member pointers (swap-remove, each member knows its index), so publishing walks
 * a contiguous array. */
#include "core/room.h"

#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "util/metrics.h"

#define ROOM_BUCKETS 1024
#define ROOM_PENDING_HIDDEN 8

struct room {
    struct room *next;
    int64_t booth_id;
    struct member **members;
    unsigned n, cap;
    int64_t seq;                        /* delivery cursor, -1 = unknown */
    struct { int64_t seq; struct outmsg *m, *m_priv; } ring[ROOM_RING];
    /* seqs above the cursor announced hidden (0 = free slot); see room_hidden */
    int64_t pending_hidden[ROOM_PENDING_HIDDEN];
};

struct rooms {
    struct room *b[ROOM_BUCKETS];
};

static unsigned bucket(int64_t id) { return (unsigned)((uint64_t)id * 11400714819323198485ull >> 54) % ROOM_BUCKETS; }

static void room_free(struct room *r)
{
    for (int i = 0; i < ROOM_RING; i++) { outmsg_unref(r->ring[i].m); outmsg_unref(r->ring[i].m_priv); }
    for (unsigned i = 0; i < r->n; i++) free(r->members[i]);   /* only when sessions outlived us */
    free(r->members);
    free(r);
}

struct rooms *rooms_new(void)
{
    struct rooms *rs = calloc(1, sizeof *rs);
    if (!rs) abort();
    return rs;
}

void rooms_free(struct rooms *rs)
{
    if (!rs) return;
    for (int i = 0; i < ROOM_BUCKETS; i++)
        for (struct room *r = rs->b[i], *n; r; r = n) { n = r->next; room_free(r); }
    free(rs);
}

static struct room **find(const struct rooms *rs, int64_t booth_id)
{
    struct room **p = (struct room **)&rs->b[bucket(booth_id)];
    while (*p && (*p)->booth_id != booth_id) p = &(*p)->next;
    return p;
}

static struct room *get(const struct rooms *rs, int64_t booth_id) { return *find(rs, booth_id); }

struct member *room_member(const struct session *s, int64_t booth_id)
{
    for (int i = 0; i < s->n_rooms; i++)
        if (s->rooms[i]->booth_id == booth_id) return s->rooms[i];
    return NULL;
}

struct member *room_join(struct rooms *rs, int64_t booth_id, struct session *s)
{
    if (s->n_rooms >= SESSION_MAX_BOOTHS) return NULL;
    struct room **p = find(rs, booth_id);
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
    if (s->n_rooms == s->rooms_cap) {      /* most sessions are in one room: start at 2 */
        int cap = s->rooms_cap ? 2 * s->rooms_cap : 2;
        if (cap > SESSION_MAX_BOOTHS) cap = SESSION_MAX_BOOTHS;
        struct member **nr = realloc(s->rooms, sizeof *nr * (size_t)cap);
        if (!nr) abort();
        s->rooms = nr;
        s->rooms_cap = (uint8_t)cap;
    }
    struct member *m = calloc(1, sizeof *m);
    if (!m) abort();
    *m = (struct member){.room = r, .s = s, .booth_id = booth_id, .state = MEMBER_ENTERING, .index = r->n};
    r->members[r->n++] = m;
    s->rooms[s->n_rooms++] = m;
    return m;
}

void room_leave(struct rooms *rs, struct member *m)
{
    struct session *s = m->s;
    for (int i = 0; i < s->n_rooms; i++)
        if (s->rooms[i] == m) { s->rooms[i] = s->rooms[--s->n_rooms]; break; }
    if (!s->n_rooms) {                     /* in no room: the session holds no array */
        free(s->rooms);
        s->rooms = NULL;
        s->rooms_cap = 0;
    }
    struct room *r = m->room;
    r->members[m->index] = r->members[--r->n];
    r->members[m->index]->index = m->index;
    free(m);
    if (r->n == 0) {
        struct room **p = find(rs, r->booth_id);
        *p = r->next;
        room_free(r);
    }
}

void rooms_session_gone(struct rooms *rs, struct session *s)
{
    while (s->n_rooms) room_leave(rs, s->rooms[0]);
}

void member_transition(struct member *m, enum member_state state, int64_t seq)
{
    m->state = state;
    m->seq = seq;
}

bool member_privileged(const struct member *m)
{
    return !strcmp(m->role, "staff") || !strcmp(m->role, "organizer");
}

/* The form of a message this member gets: m_priv (when there is one) for privileged members. */
static struct outmsg *form_for(const struct member *mb, struct outmsg *m, struct outmsg *m_priv)
{
    return m_priv && member_privileged(mb) ? m_priv : m;
}

unsigned room_publish_split(struct rooms *rs, int64_t booth_id, struct outmsg *m, struct outmsg *m_priv)
{
    struct room *r = get(rs, booth_id);
    if (!r) return 0;
    unsigned sent = 0;
    /* session_send may close a slow session but never removes it from the room (that
     * happens at CLOSED), so the array is stable during the walk. */
    for (unsigned i = 0; i < r->n; i++)
        if (session_send(r->members[i]->s, form_for(r->members[i], m, m_priv)) == 0) sent++;
    return sent;
}

unsigned room_publish(struct rooms *rs, int64_t booth_id, struct outmsg *m)
{
    return room_publish_split(rs, booth_id, m, NULL);
}

unsigned room_size(const struct rooms *rs, int64_t booth_id)
{
    struct room *r = get(rs, booth_id);
    return r ? r->n : 0;
}

int64_t room_seq(const struct rooms *rs, int64_t booth_id)
{
    struct room *r = get(rs, booth_id);
    return r ? r->seq : -1;
}

void rooms_foreach(const struct rooms *rs, room_visit_fn fn, void *arg)
{
    for (int i = 0; i < ROOM_BUCKETS; i++)
        for (struct room *r = rs->b[i]; r; r = r->next) fn(r->booth_id, r->n, arg);
}

unsigned room_deliver(struct rooms *rs, int64_t booth_id, int64_t seq, struct outmsg *m, struct outmsg *m_priv)
{
    struct room *r = get(rs, booth_id);
    if (!r) return 0;
    unsigned slot = (unsigned)(seq % ROOM_RING);
    outmsg_unref(r->ring[slot].m);
    outmsg_unref(r->ring[slot].m_priv);
    r->ring[slot].seq = seq;
    r->ring[slot].m = outmsg_ref(m);
    r->ring[slot].m_priv = m_priv ? outmsg_ref(m_priv) : NULL;
    if (seq > r->seq) r->seq = seq;
    for (int i = 0; i < ROOM_PENDING_HIDDEN; i++)      /* delivered (in its hidden form): done */
        if (r->pending_hidden[i] && r->pending_hidden[i] <= r->seq) r->pending_hidden[i] = 0;
    unsigned sent = 0;
    for (unsigned i = 0; i < r->n; i++) {
        struct member *mb = r->members[i];
        if (mb->state != MEMBER_LIVE || mb->seq >= seq) continue;
        mb->seq = seq;
        if (session_send(mb->s, form_for(mb, m, m_priv)) == 0) sent++;
    }
    return sent;
}

void room_hidden(struct rooms *rs, int64_t booth_id, int64_t seq)
{
    struct room *r = get(rs, booth_id);
    if (!r || seq <= 0) return;
    for (unsigned i = 0; i < r->n; i++)
        if (r->members[i]->state != MEMBER_LIVE) r->members[i]->reread = true;
    if (r->seq >= 0 && seq <= r->seq) {
        /* Delivered already: its ring copy (with the text) must not serve a catch-up. Dropping
         * it makes ring_covers fail across it, so such a member reads the table instead, where
         * the message is masked for visitors. Hides are rare; the extra read is cheap. */
        unsigned slot = (unsigned)(seq % ROOM_RING);
        if (r->ring[slot].seq == seq) {
            outmsg_unref(r->ring[slot].m);
            outmsg_unref(r->ring[slot].m_priv);
            r->ring[slot].m = r->ring[slot].m_priv = NULL;
        }
        return;
    }
    /* Not delivered here yet (the hide overtook the chat NOTIFY or a fetch in flight read the
     * row before the hide committed): remember it. With every slot taken, the oldest (lowest,
     * the next to be delivered) is kept and the highest replaced: a burst of more than
     * ROOM_PENDING_HIDDEN hides racing one fetch is not expected. */
    int free_slot = -1, high = 0;
    for (int i = 0; i < ROOM_PENDING_HIDDEN; i++) {
        if (r->pending_hidden[i] == seq) return;
        if (!r->pending_hidden[i]) { if (free_slot < 0) free_slot = i; continue; }
        if (r->pending_hidden[i] > r->pending_hidden[high]) high = i;
    }
    r->pending_hidden[free_slot >= 0 ? free_slot : high] = seq;
}

bool room_hidden_pending(const struct rooms *rs, int64_t booth_id, int64_t seq)
{
    const struct room *r = get(rs, booth_id);
    if (!r) return false;
    for (int i = 0; i < ROOM_PENDING_HIDDEN; i++)
        if (r->pending_hidden[i] == seq) return true;
    return false;
}

/* Whether the ring holds every message in (from, to]. */
static bool ring_covers(const struct room *r, int64_t from, int64_t to)
{
    if (to - from > ROOM_RING) return false;
    for (int64_t q = from + 1; q <= to; q++) {
        unsigned slot = (unsigned)(q % ROOM_RING);
        if (r->ring[slot].seq != q || !r->ring[slot].m) return false;
    }
    return true;
}

bool room_catch_up(struct member *m, int64_t seq)
{
    struct room *r = m->room;
    if (r->seq >= 0 && !ring_covers(r, seq, r->seq)) {
        member_transition(m, MEMBER_CATCHING_UP, seq);
        return false;
    }
    for (int64_t q = seq + 1; q <= r->seq; q++)
        session_send(m->s, form_for(m, r->ring[q % ROOM_RING].m, r->ring[q % ROOM_RING].m_priv));
    if (r->seq > seq) metrics_chat_catchup(true, (unsigned)(r->seq - seq));
    member_transition(m, MEMBER_LIVE, seq > r->seq ? seq : r->seq);
    return true;
}

bool room_entered(struct member *m, int64_t last_seq)
{
    if (m->room->seq < 0) m->room->seq = last_seq;
    return room_catch_up(m, last_seq);
}
