/* dispatch.h — the routing table: message type -> handler, the role it needs and its
 * rate class. Pure (no sockets, no database): the table is data, checked by unit tests;
 * request.c applies it to live sessions. */
#ifndef BOOTHD_DISPATCH_H
#define BOOTHD_DISPATCH_H

#include <stddef.h>
#include "core/protocol.h"

struct request;
typedef void (*handler_fn)(struct request *r);

/* Roles as a bit set so one route may admit several. ROLE_ANON = not signed in. */
enum role {
    ROLE_ANON = 1 << 0,
    ROLE_VISITOR = 1 << 1,
    ROLE_EXHIBITOR = 1 << 2,
    ROLE_ORGANIZER = 1 << 3,
};
#define ROLES_ANYONE (ROLE_ANON | ROLE_VISITOR | ROLE_EXHIBITOR | ROLE_ORGANIZER)
#define ROLES_SIGNED_IN (ROLE_VISITOR | ROLE_EXHIBITOR | ROLE_ORGANIZER)

enum rate_class {
    RATE_DEFAULT = 0,   /* every message: generous, stops floods */
    RATE_CHAT,          /* chat.send: --chat-rate per second (default 2), burst 5 s of it */
    RATE_AUTH,          /* password checks: burst 5, then 1 per 3 s */
    RATE_CLASSES
};

struct route {
    const char *type;
    handler_fn fn;
    unsigned roles;             /* roles allowed to call it */
    enum rate_class rate;
};

/* Returns the route for type, or NULL. The table must be sorted by type (checked by
 * dispatch_table_check). */
const struct route *dispatch_find(const struct route *table, size_t n, const char *type);

/* Returns PROTO_OK when a session with role `role` may call the route, PROTO_UNAUTHORIZED
 * when it must sign in first, PROTO_FORBIDDEN when signed in with the wrong role. */
enum proto_code dispatch_authorize(const struct route *rt, unsigned role);

/* Returns 0 when the table is sorted, unique and complete (every route has a handler
 * and at least one role); otherwise -1 and the offending index in *bad. */
int dispatch_table_check(const struct route *table, size_t n, size_t *bad);

/* The rate of each class (tokens per second, burst). chat_rate is --chat-rate: chat messages
 * per second per session, with a burst of DISPATCH_CHAT_BURST_S seconds' worth. */
#define DISPATCH_CHAT_BURST_S 5
void dispatch_rate_params(enum rate_class c, int chat_rate, float *rate, float *burst);

#endif
