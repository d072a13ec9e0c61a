/* dispatch.c — see dispatch.h. */
#include "core/dispatch.h"

#include <string.h>

const struct route *dispatch_find(const struct route *table, size_t n, const char *type)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(type, table[mid].type);
        if (c == 0) return &table[mid];
        if (c < 0) hi = mid; else lo = mid + 1;
    }
    return NULL;
}

enum proto_code dispatch_authorize(const struct route *rt, unsigned role)
{
    if (rt->roles & role) return PROTO_OK;
    return role == ROLE_ANON ? PROTO_UNAUTHORIZED : PROTO_FORBIDDEN;
}

int dispatch_table_check(const struct route *table, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n; i++) {
        if (!table[i].type || !table[i].fn || !(table[i].roles & ROLES_ANYONE) ||
            (i > 0 && strcmp(table[i - 1].type, table[i].type) >= 0)) {
            *bad = i;
            return -1;
        }
    }
    return 0;
}

void dispatch_rate_params(enum rate_class c, int chat_rate, float *rate, float *burst)
{
    switch (c) {
    case RATE_CHAT: *rate = (float)chat_rate; *burst = (float)(chat_rate * DISPATCH_CHAT_BURST_S); break;
    case RATE_AUTH: *rate = 1.0f / 3.0f; *burst = 5.0f; break;
    default: *rate = 30.0f; *burst = 120.0f; break;
    }
}
