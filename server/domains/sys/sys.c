/* sys.c — the sys domain: sys.ping, liveness of the whole path (socket -> loop -> reply). */
#include <sys/time.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/request.h"
#include "util/timefmt.h"

/* sys.ping {} -> {now: RFC 3339, node: node id, limits: {chat_per_s, chat_burst}}
 * limits: the send rate of chat.send and inquiry.send (one budget per connection), so a page
 * paces its queue under it instead of meeting rate_limited. */
static void handle_ping(struct request *r)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    char now[40];
    timefmt_rfc3339_ms((int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000, now, sizeof now);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "now", now);
    cJSON_AddStringToObject(d, "node", r->app->cfg->node_id);
    float rate, burst;
    dispatch_rate_params(RATE_CHAT, r->app->cfg->chat_rate, &rate, &burst);
    cJSON *limits = cJSON_AddObjectToObject(d, "limits");
    cJSON_AddNumberToObject(limits, "chat_per_s", rate);
    cJSON_AddNumberToObject(limits, "chat_burst", burst);
    request_ok(r, d);
}

static const struct route routes[] = {
    {"sys.ping", handle_ping, ROLES_ANYONE, RATE_DEFAULT},
};

const struct domain sys_domain = {
    .name = "sys",
    DOMAIN_ROUTES(routes),
};
