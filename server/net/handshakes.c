/* handshakes.c — see handshakes.h. One 4-byte slot per descriptor: the low 32 bits of the
 * accept time in ms (0: not in flight; a time whose low bits are 0 is stored as 1). Ages are
 * differences of those, correct modulo 2^32 ms (49 days), far beyond any handshake. */
#include "net/handshakes.h"

#include <stdlib.h>

struct handshakes {
    unsigned cap, resume_below, count;
    bool held;               /* reached the cap; stays set until count < resume_below */
    int max_fd;
    uint32_t *since;         /* [max_fd] */
};

struct handshakes *handshakes_new(unsigned cap, int max_fd)
{
    struct handshakes *h = calloc(1, sizeof *h);
    if (!h) abort();
    h->cap = cap ? cap : 1;
    h->resume_below = h->cap - h->cap / 4;
    if (h->resume_below < 1) h->resume_below = 1;
    h->max_fd = max_fd > 0 ? max_fd : 0;
    h->since = calloc((size_t)h->max_fd + 1, sizeof *h->since);
    if (!h->since) abort();
    return h;
}

void handshakes_free(struct handshakes *h)
{
    if (!h) return;
    free(h->since);
    free(h);
}

static bool tracked(const struct handshakes *h, int fd) { return fd >= 0 && fd < h->max_fd; }

void handshakes_begin(struct handshakes *h, int fd, uint64_t now_ms)
{
    if (!tracked(h, fd)) return;
    uint32_t t = (uint32_t)now_ms;
    if (!h->since[fd]) h->count++;
    h->since[fd] = t ? t : 1;
    if (h->count >= h->cap) h->held = true;
}

static bool drop(struct handshakes *h, int fd)
{
    h->since[fd] = 0;
    h->count--;
    if (h->held && h->count < h->resume_below) {
        h->held = false;
        return true;
    }
    return false;
}

bool handshakes_end(struct handshakes *h, int fd)
{
    if (!tracked(h, fd) || !h->since[fd]) return false;
    return drop(h, fd);
}

unsigned handshakes_expire(struct handshakes *h, uint64_t now_ms, uint64_t max_age_ms, bool *resume)
{
    unsigned n = 0;
    bool r = false;
    uint32_t now = (uint32_t)now_ms;
    for (int fd = 0; fd < h->max_fd && h->count; fd++) {
        if (!h->since[fd]) continue;
        if ((uint64_t)(uint32_t)(now - h->since[fd]) < max_age_ms) continue;
        r |= drop(h, fd);
        n++;
    }
    if (resume) *resume = r;
    return n;
}

unsigned handshakes_in_flight(const struct handshakes *h) { return h->count; }
bool handshakes_full(const struct handshakes *h) { return h->held; }
bool handshakes_pending(const struct handshakes *h, int fd) { return tracked(h, fd) && h->since[fd] != 0; }
