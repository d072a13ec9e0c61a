/* outmsg.h — one serialized outbound WebSocket payload, shared by all its recipients.
 *
 * The bytes live after OUTMSG_HEADROOM bytes of scratch space that the transport may use
 * for frame headers (lws needs LWS_PRE; ws.c asserts LWS_PRE <= OUTMSG_HEADROOM).
 * Reference counted: the creator holds one reference; every queue that holds the
 * message holds one; the last outmsg_unref() frees it. Single-threaded (one loop). */
#ifndef BOOTHD_OUTMSG_H
#define BOOTHD_OUTMSG_H

#include <stddef.h>

#define OUTMSG_HEADROOM 32

struct outmsg {
    unsigned refs;
    int kind_key;               /* kind's metrics key, looked up at the first send; -1 before */
    const char *kind;           /* static label for the metrics ("reply", an event type); NULL = other */
    size_t len;                 /* payload length, excluding headroom */
    unsigned char buf[];        /* OUTMSG_HEADROOM + len bytes (+1 NUL, for logging) */
};

/* A new message of len payload bytes for the caller to fill, refs = 1. Aborts on OOM. */
struct outmsg *outmsg_alloc(size_t len);
/* Copies len bytes of data into a new message with refs = 1. Aborts on OOM. */
struct outmsg *outmsg_new(const char *data, size_t len);
/* Takes ownership of a malloc'ed NUL-terminated string (e.g. from cJSON_Print*). */
struct outmsg *outmsg_from_string(char *s);
static inline unsigned char *outmsg_payload(struct outmsg *m) { return m->buf + OUTMSG_HEADROOM; }
struct outmsg *outmsg_ref(struct outmsg *m);
void outmsg_unref(struct outmsg *m);

#endif
