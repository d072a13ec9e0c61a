/* sys.c — sys.* messages: liveness of the whole path (socket -> loop -> reply). */
#include <sys/time.h>

#include "core/app.h"
#include "domains/handlers.h"
#include "core/request.h"
#include "util/timefmt.h"

/* sys.ping {} -> {now: RFC 3339, node: node id} */
void handle_sys_ping(struct request *r)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    char now[40];
    timefmt_rfc3339_ms((int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000, now, sizeof now);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "now", now);
    cJSON_AddStringToObject(d, "node", r->app->cfg->node_id);
    request_ok(r, d);
}
