/* metrics_http.c — the metrics domain: GET /metrics, this node's counters in the Prometheus
 * text format 0.0.4 (util/metrics.h renders them; docs/metrics.md says what each means).
 *
 * Who may read it: loopback always (a scraper or sidecar on the same host); the addresses in
 * --metrics-allow; anyone presenting --metrics-token as a Bearer token. Everyone else gets
 * 403 (401 with a token challenge when a token is configured): the figures reveal traffic,
 * not secrets, but they are nobody else's business. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/http_reply.h"
#include "core/session.h"
#include "db/db.h"
#include "util/metrics.h"

static bool is_loopback(const char *peer)
{
    if (!strncmp(peer, "::ffff:", 7)) peer += 7;
    return !strncmp(peer, "127.", 4) || !strcmp(peer, "::1");
}

/* Compares the whole strings in time that depends on their lengths only. */
static bool same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la && i < lb; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static bool allowed(const struct config *cfg, const char *peer, const char *authorization)
{
    if (is_loopback(peer)) return true;
    const char *p = !strncmp(peer, "::ffff:", 7) ? peer + 7 : peer;
    for (int i = 0; i < cfg->n_metrics_allow; i++)
        if (!strcasecmp(cfg->metrics_allow[i], p) || !strcasecmp(cfg->metrics_allow[i], peer)) return true;
    if (cfg->metrics_token && !strncasecmp(authorization, "Bearer ", 7))
        return same_secret(authorization + 7, cfg->metrics_token);
    return false;
}

static void add_session(struct session *s, void *arg)
{
    struct metrics_gauges *g = arg;
    if (s->account_id) g->signed_in++;
    g->queue_bytes += s->q_bytes;
    g->queue_messages += s->q_len;
}

static void http_metrics(void *self, struct http_reply *h, const char *path, const char *authorization)
{
    struct app *app = self;
    if (strcmp(path, "/metrics")) { http_reply_error(h, 404, "not_found"); return; }
    if (!allowed(app->cfg, http_reply_peer(h), authorization)) {
        http_reply_error(h, app->cfg->metrics_token ? 401 : 403, "forbidden");
        return;
    }
    struct metrics_gauges g = {.sessions = sessions_count(app->sessions)};
    sessions_foreach(app->sessions, add_session, &g);
    db_counts(app->db, &g.db_connections, &g.db_busy, &g.db_queued);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    double now = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
    double start = now - (double)(app_now_ms(app) - app->started_ms) / 1000.0;
    http_reply_finish(h, 200, "text/plain; version=0.0.4; charset=utf-8", metrics_render(&g, start));
}

static void *create(struct app *app) { return app; }

static const struct http_route http_routes[] = {
    {.mount = "/metrics", .fn = http_metrics},
};

const struct domain metrics_domain = {
    .name = "metrics",
    .http_routes = http_routes,
    .n_http_routes = sizeof http_routes / sizeof http_routes[0],
    .create = create,
};
