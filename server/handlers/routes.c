/* routes.c — the routing table: type, handler, roles allowed, rate class.
 * Keep it sorted by type (a unit test checks). */
#include "dispatch.h"
#include "handlers/handlers.h"
#include "request.h"

const struct route routes[] = {
    {"sys.ping", handle_sys_ping, ROLES_ANYONE, RATE_DEFAULT},
};
const size_t n_routes = sizeof routes / sizeof routes[0];
