/* config.c — see config.h. */
#include "core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
"Usage: boothd [flags]\n"
"\n"
"Virtual expo booth server. Every flag falls back to the environment variable shown.\n"
"\n"
"  --port N               listen port (BOOTHD_PORT, default 8080)\n"
"  --db CONNINFO          PostgreSQL conninfo or URI (DATABASE_URL, default libpq's defaults)\n"
"  --assets DIR           booth-assets directory served at / (BOOTHD_ASSETS, default booth-assets)\n"
"  --allowed-origin URL   browser Origin allowed to open /ws; repeatable (BOOTHD_ALLOWED_ORIGINS,\n"
"                         comma-separated; default the server's own origins)\n"
"  --node-id ID           this process's id among the nodes (BOOTHD_NODE_ID, default hostname:pid)\n"
"  --demo                 load the demo expo into an empty database (BOOTHD_DEMO=1)\n"
"  --log-level LEVEL      debug, info, warn or error (BOOTHD_LOG_LEVEL, default info)\n"
"  --db-pool N            PostgreSQL connections for queries, 1..64 (BOOTHD_DB_POOL, default 4)\n"
"  --max-conns-per-ip N   WebSocket connections allowed from one address, 1..100000\n"
"                         (BOOTHD_MAX_CONNS_PER_IP, default 500: an office behind one NAT)\n"
"  --chat-rate N          chat messages per second one session may send, 1..1000; a burst of\n"
"                         5 s of it is allowed (BOOTHD_CHAT_RATE, default 2)\n"
"  --no-chat-batching     commit each chat message on its own (benchmark comparison only;\n"
"                         BOOTHD_CHAT_BATCHING=0)\n"
"  --event-hold-ms N      write each member's room and presence events at most once per N ms,\n"
"                         0..1000: what a busy member gets meanwhile goes out in one write (less\n"
"                         CPU per delivery in big busy rooms, up to N ms later delivery); answers\n"
"                         to requests are never held (BOOTHD_EVENT_HOLD_MS, default 0: no hold)\n"
"  --metrics-allow ADDR   IP address that may read /metrics besides loopback; comma list,\n"
"                         repeatable (BOOTHD_METRICS_ALLOW)\n"
"  --metrics-token TOKEN  bearer token that opens /metrics from any address, 16..200\n"
"                         characters (BOOTHD_METRICS_TOKEN)\n"
"  --trusted-proxy ADDR   IP address of a reverse proxy (nginx) whose X-Forwarded-For names\n"
"                         the client; comma list, repeatable (BOOTHD_TRUSTED_PROXIES)\n"
"  --help                 show this help\n";

const char *config_usage(void) { return usage; }

static int parse_int(const char *s, long lo, long hi, int *out)
{
    if (!s || !*s) return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "1") || !strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on")) { *out = true; return 0; }
    if (!strcmp(s, "0") || !strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off") || !*s) { *out = false; return 0; }
    return -1;
}

/* An origin is scheme://host[:port] with nothing after it. */
static int origin_valid(const char *o)
{
    const char *p;
    if (!strncasecmp(o, "http://", 7)) p = o + 7;
    else if (!strncasecmp(o, "https://", 8)) p = o + 8;
    else return -1;
    if (!*p || strlen(o) > 255) return -1;
    for (; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr(".-:[]", *p))) return -1;
    return 0;
}

static int add_origin(struct config *c, const char *o, char *err, size_t errlen, const char *flag)
{
    if (origin_valid(o)) {
        snprintf(err, errlen, "%s: invalid origin '%s' (expected scheme://host[:port])", flag, o);
        return -1;
    }
    if (c->n_origins >= CONFIG_MAX_ORIGINS) {
        snprintf(err, errlen, "%s: at most %d origins", flag, CONFIG_MAX_ORIGINS);
        return -1;
    }
    c->origins[c->n_origins++] = strdup(o);
    return 0;
}

/* An IPv4 or IPv6 address in its textual form, as the peer address is written. */
static int address_valid(const char *a)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1 ? 0 : -1;
}

/* One value of --metrics-allow or --trusted-proxy: a comma list of addresses into list[]. */
static int add_addresses(char **list, int *n, int max, const char *v, char *err, size_t errlen, const char *flag)
{
    char *copy = strdup(v), *save = NULL;
    if (!copy) abort();
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        if (!*tok) continue;
        if (address_valid(tok)) {
            snprintf(err, errlen, "%s: invalid address '%.64s' (expected an IPv4 or IPv6 address)", flag, tok);
            rc = -1;
        } else if (*n >= max) {
            snprintf(err, errlen, "%s: at most %d addresses", flag, max);
            rc = -1;
        } else {
            list[(*n)++] = strdup(tok);
        }
    }
    free(copy);
    return rc;
}

static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = strdup(v);
}

/* Flags that take a value. Both "--flag value" and "--flag=value" are accepted. */
enum flag { F_PORT, F_DB, F_ASSETS, F_ORIGIN, F_NODE, F_LOG, F_POOL, F_PERIP, F_CHATRATE,
            F_METRICS_ALLOW, F_METRICS_TOKEN, F_TRUSTED_PROXY, F_EVENT_HOLD, F_N };
static const char *const flag_names[F_N] = {
    "--port", "--db", "--assets", "--allowed-origin", "--node-id", "--log-level", "--db-pool",
    "--max-conns-per-ip", "--chat-rate", "--metrics-allow", "--metrics-token", "--trusted-proxy",
    "--event-hold-ms",
};
static const char *const env_names[F_N] = {
    "BOOTHD_PORT", "DATABASE_URL", "BOOTHD_ASSETS", "BOOTHD_ALLOWED_ORIGINS", "BOOTHD_NODE_ID",
    "BOOTHD_LOG_LEVEL", "BOOTHD_DB_POOL", "BOOTHD_MAX_CONNS_PER_IP", "BOOTHD_CHAT_RATE",
    "BOOTHD_METRICS_ALLOW", "BOOTHD_METRICS_TOKEN", "BOOTHD_TRUSTED_PROXIES",
    "BOOTHD_EVENT_HOLD_MS",
};

static int apply(struct config *c, enum flag f, const char *v, const char *name, char *err, size_t errlen)
{
    switch (f) {
    case F_PORT:
        if (parse_int(v, 1, 65535, &c->port)) goto bad;
        return 0;
    case F_DB: set_str(&c->db, v); return 0;
    case F_ASSETS:
        if (!*v) goto bad;
        set_str(&c->assets, v);
        return 0;
    case F_ORIGIN: return add_origin(c, v, err, errlen, name);
    case F_NODE:
        if (!*v || strlen(v) > 128) goto bad;
        set_str(&c->node_id, v);
        return 0;
    case F_LOG:
        if (log_level_parse(v, &c->log_level)) {
            snprintf(err, errlen, "%s: invalid value '%s' (expected debug, info, warn or error)", name, v);
            return -1;
        }
        return 0;
    case F_POOL:
        if (parse_int(v, 1, 64, &c->db_pool)) goto bad;
        return 0;
    case F_PERIP:
        if (parse_int(v, 1, 100000, &c->max_conns_per_ip)) goto bad;
        return 0;
    case F_CHATRATE:
        if (parse_int(v, 1, 1000, &c->chat_rate)) goto bad;
        return 0;
    case F_EVENT_HOLD:
        if (parse_int(v, 0, 1000, &c->event_hold_ms)) goto bad;
        return 0;
    case F_METRICS_ALLOW:
        return add_addresses(c->metrics_allow, &c->n_metrics_allow, CONFIG_MAX_METRICS_ALLOW, v, err, errlen, name);
    case F_TRUSTED_PROXY:
        return add_addresses(c->trusted_proxies, &c->n_trusted_proxies, CONFIG_MAX_TRUSTED_PROXIES, v, err, errlen, name);
    case F_METRICS_TOKEN:
        if (strlen(v) < 16 || strlen(v) > 200) {
            snprintf(err, errlen, "%s: the token must be 16 to 200 characters", name);
            return -1;
        }
        set_str(&c->metrics_token, v);
        return 0;
    default: break;
    }
bad:
    snprintf(err, errlen, "%s: invalid value '%.100s'", name, v);
    return -1;
}

int config_parse(struct config *c, int argc, char **argv, config_getenv_fn getenv_fn,
                 const char *hostname, long self_pid, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->port = 8080;
    c->db = strdup("");
    c->assets = strdup("booth-assets");
    c->log_level = LOG_INFO;
    c->db_pool = 4;
    c->max_conns_per_ip = 500;
    c->chat_rate = 2;
    c->chat_batching = true;
    char node[300];
    snprintf(node, sizeof node, "%.200s:%ld", hostname && *hostname ? hostname : "boothd", self_pid);
    c->node_id = strdup(node);

    /* Environment first, flags override. */
    for (int f = 0; f < F_N; f++) {
        const char *v = getenv_fn(env_names[f]);
        if (!v) continue;
        if (f == F_ORIGIN) {
            char *copy = strdup(v), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                while (*tok == ' ') tok++;
                if (*tok && add_origin(c, tok, err, errlen, env_names[f])) { free(copy); return -1; }
            }
            free(copy);
        } else if (apply(c, (enum flag)f, v, env_names[f], err, errlen)) {
            return -1;
        }
    }
    const char *v;
    if ((v = getenv_fn("BOOTHD_DEMO")) && parse_bool(v, &c->demo)) {
        snprintf(err, errlen, "BOOTHD_DEMO: invalid value '%.100s' (expected 1 or 0)", v);
        return -1;
    }
    if ((v = getenv_fn("BOOTHD_CHAT_BATCHING")) && parse_bool(v, &c->chat_batching)) {
        snprintf(err, errlen, "BOOTHD_CHAT_BATCHING: invalid value '%.100s' (expected 1 or 0)", v);
        return -1;
    }

    int env_origins = c->n_origins;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { c->help = true; continue; }
        if (!strcmp(a, "--demo")) { c->demo = true; continue; }
        if (!strcmp(a, "--no-chat-batching")) { c->chat_batching = false; continue; }
        int matched = 0;
        for (int f = 0; f < F_N && !matched; f++) {
            size_t n = strlen(flag_names[f]);
            if (strncmp(a, flag_names[f], n) != 0) continue;
            const char *val;
            if (a[n] == '=') val = a + n + 1;
            else if (a[n] == '\0') {
                if (i + 1 >= argc) {
                    snprintf(err, errlen, "%s: missing value", flag_names[f]);
                    return -1;
                }
                val = argv[++i];
            } else continue;
            matched = 1;
            if (f == F_ORIGIN && env_origins > 0) {
                /* flags replace, not extend, the environment's list */
                for (int k = 0; k < c->n_origins; k++) free(c->origins[k]);
                c->n_origins = env_origins = 0;
            }
            if (apply(c, (enum flag)f, val, flag_names[f], err, errlen)) return -1;
        }
        if (!matched) {
            snprintf(err, errlen, "%.100s: unknown flag (see --help)", a);
            return -1;
        }
    }
    c->origins_default = c->n_origins == 0;
    return 0;
}

void config_default_origins(struct config *c)
{
    if (!c->origins_default || c->n_origins) return;
    const char *hosts[] = {"localhost", "127.0.0.1", "[::1]"};
    for (int i = 0; i < 3; i++) {
        char o[64];
        snprintf(o, sizeof o, "http://%s:%d", hosts[i], c->port);
        c->origins[c->n_origins++] = strdup(o);
    }
}

bool config_origin_allowed(const struct config *c, const char *origin, const char *host)
{
    for (int i = 0; i < c->n_origins; i++)
        if (!strcasecmp(c->origins[i], origin)) return true;
    if (c->origins_default && host && *host) {
        const char *p = NULL;
        if (!strncasecmp(origin, "http://", 7)) p = origin + 7;
        else if (!strncasecmp(origin, "https://", 8)) p = origin + 8;
        if (p && !strcasecmp(p, host)) return true;
    }
    return false;
}

void config_client_address(const struct config *c, const char *peer, const char *xff, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", peer);
    bool trusted = false;
    for (int i = 0; i < c->n_trusted_proxies && !trusted; i++) trusted = !strcasecmp(c->trusted_proxies[i], peer);
    if (!trusted || !xff) return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t') last++;
    char addr[64];
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof addr || last[n + strspn(last + n, " \t")]) return;
    memcpy(addr, last, n);
    addr[n] = 0;
    if (!address_valid(addr)) snprintf(out, outlen, "%s", addr);
}

void config_free(struct config *c)
{
    free(c->db);
    free(c->assets);
    free(c->node_id);
    for (int i = 0; i < c->n_origins; i++) free(c->origins[i]);
    for (int i = 0; i < c->n_metrics_allow; i++) free(c->metrics_allow[i]);
    for (int i = 0; i < c->n_trusted_proxies; i++) free(c->trusted_proxies[i]);
    free(c->metrics_token);
    memset(c, 0, sizeof *c);
}
