/* config.h — command-line flags with environment fallbacks -> struct config.
 *
 * Pure: reads argv and the environment (through a getenv-like function so tests can
 * supply their own), performs no other I/O. The struct owns its strings; free with
 * config_free(). */
#ifndef BOOTHD_CONFIG_H
#define BOOTHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "util/log.h"

#define CONFIG_MAX_ORIGINS 16
#define CONFIG_MAX_METRICS_ALLOW 16
#define CONFIG_MAX_TRUSTED_PROXIES 16

struct config {
    int port;                       /* --port / BOOTHD_PORT, default 8080 */
    char *db;                       /* --db / DATABASE_URL, default "" (libpq defaults) */
    char *assets;                   /* --assets / BOOTHD_ASSETS, default "booth-assets" */
    char *origins[CONFIG_MAX_ORIGINS]; /* --allowed-origin / BOOTHD_ALLOWED_ORIGINS (comma list) */
    int n_origins;                  /* explicitly given origins */
    bool origins_default;           /* none given: our own origins + same-origin as Host */
    char *node_id;                  /* --node-id / BOOTHD_NODE_ID, default hostname:pid */
    bool demo;                      /* --demo / BOOTHD_DEMO=1 */
    enum log_level log_level;       /* --log-level / BOOTHD_LOG_LEVEL, default info */
    int db_pool;                    /* --db-pool / BOOTHD_DB_POOL, default 4 (1..64) */
    int max_conns_per_ip;           /* --max-conns-per-ip / BOOTHD_MAX_CONNS_PER_IP, default 500 */
    int chat_rate;                  /* --chat-rate / BOOTHD_CHAT_RATE: chat.send per second per
                                       session, 1..1000, default 2 (burst 5 s of it) */
    bool chat_batching;             /* --no-chat-batching / BOOTHD_CHAT_BATCHING=0 turns it off */
    int event_hold_ms;              /* --event-hold-ms / BOOTHD_EVENT_HOLD_MS, 0..1000, default 0:
                                       a member is written at most once per this many ms for
                                       its events (room and presence fan-out), so a busy
                                       member's events share a write; replies never wait
                                       (net/flush_queue.h, net/ws.c) */
    char *metrics_allow[CONFIG_MAX_METRICS_ALLOW]; /* --metrics-allow / BOOTHD_METRICS_ALLOW: IP
                                       addresses (comma list) that may read /metrics besides
                                       loopback */
    int n_metrics_allow;
    char *metrics_token;            /* --metrics-token / BOOTHD_METRICS_TOKEN: a bearer token that
                                       opens /metrics from anywhere; NULL = none */
    char *trusted_proxies[CONFIG_MAX_TRUSTED_PROXIES]; /* --trusted-proxy / BOOTHD_TRUSTED_PROXIES:
                                       IP addresses of reverse proxies (nginx) whose
                                       X-Forwarded-For names the client (comma list) */
    int n_trusted_proxies;
    bool help;                      /* --help was given: print config_usage() and exit 0 */
};

typedef const char *(*config_getenv_fn)(const char *name);

/* Parses argv (argv[0] is skipped) with env fallbacks. Returns 0 on success. On an
 * invalid value returns -1 and writes a one-line message naming the flag into err.
 * `self_pid` and `hostname` make the default node id (passed in to keep this pure). */
int config_parse(struct config *c, int argc, char **argv, config_getenv_fn getenv_fn,
                 const char *hostname, long self_pid, char *err, size_t errlen);

/* Fills the default allowed origins for the configured port when none were given. */
void config_default_origins(struct config *c);

/* Returns true when a browser's `origin` may open a WebSocket. Configured origins match
 * exactly (case-insensitive). With none configured, the defaults (localhost/127.0.0.1/[::1]
 * at our port) match, and so does the same origin as the request's `host` header
 * (http or https), which is what a browser sends for a page served by this server and
 * what a cross-site page can never forge. `host` may be NULL. */
bool config_origin_allowed(const struct config *c, const char *origin, const char *host);

/* The client's address for a connection from `peer` (the TCP peer, as text) that carried the
 * X-Forwarded-For header `xff` (NULL or "" when absent): when `peer` is a trusted proxy and
 * the header's last entry (the one that proxy appended) is an IP address, that address;
 * otherwise `peer` itself. Entries before the last are the client's own word and are never
 * used. Writes a NUL-terminated string into out (truncated to outlen). */
void config_client_address(const struct config *c, const char *peer, const char *xff, char *out, size_t outlen);

const char *config_usage(void);
void config_free(struct config *c);

#endif
