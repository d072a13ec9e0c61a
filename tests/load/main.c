/* main.c — boothd-load: flags -> configuration, database set-up, the worker processes,
 * the measurement windows, and the summary. See usage[] and docs/benchmarks.md. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "load.h"
#include "procstat.h"

#include <libpq-fe.h>
#include "result.h"
#include "setup.h"
#include "summary.h"

#define MAX_PIDS 16
#define MAX_RSS_SAMPLES 4096

static const char usage[] =
"Usage: boothd-load --db CONNINFO [options]\n"
"\n"
"Simulates visitors of a boothd expo over real WebSocket sessions (expo.v1) and measures\n"
"connect rate, chat ack latency (send -> reply), delivery latency (send -> chat.message at\n"
"every other member), loss and duplicates (per-booth seq), and the CPU of every process.\n"
"Prints a readable table on stderr and ONE line of JSON on stdout. Only loopback targets.\n"
"\n"
"Target\n"
"  --url URL             ws://127.x.x.x:PORT/ws; repeat for several nodes: the members of\n"
"                        each booth alternate between them (default ws://127.0.0.1:8080/ws)\n"
"  --db CONNINFO         database to prepare visitors and booths in (default $DATABASE_URL)\n"
"  --server-pid PID      a boothd process to measure (CPU, RSS); repeatable\n"
"  --pg-pid PID          the PostgreSQL postmaster: CPU of it and all its children\n"
"Population\n"
"  --sessions N          visitors, one WebSocket session each (default 100)\n"
"  --booths N            booths used; session i goes into booth i %% N (default 10)\n"
"  --first-visitor N     account index of the first visitor (default 0)\n"
"Chat (the default mode): every session enters its booth, senders chat open-loop\n"
"  --senders N           sessions 0..N-1 send (default: all)\n"
"  --dashboards N        sessions 0..N-1 are organizers with the live dashboard open\n"
"                        (stats.subscribe, then a stats.live each second); they connect first,\n"
"                        never enter or chat (default 0)\n"
"  --rate R[,R...]       planned messages/s of all senders together, one value per step\n"
"                        (default 0: sessions only connect and hold)\n"
"  --step-s S            seconds per step (default 10)\n"
"  --msg-bytes N         chat text size (default 64)\n"
"  --ping-every-s S      each session sends sys.ping every S seconds during the steps\n"
"  --drain-s S           after the last step, wait for replies and events (default 3)\n"
"Mixed expo day (--mixed): visitors browse the hall, look at booths, enter, stay, chat and\n"
"leave, over and over, for one step of --step-s seconds\n"
"  --think-s LO,HI       pause between actions (default 2,8)\n"
"  --dwell-s LO,HI       time inside a booth (default 20,60)\n"
"  --chatters F          fraction of visitors who chat inside booths (default 0.3)\n"
"  --chat-every-s S      a chatter's mean interval between messages (default 20)\n"
"  --history-p P         chance of a chat.history when entering (default 0.1)\n"
"  --meeting-p P         chance of meeting.slots, then meeting.request for a free slot, after\n"
"                        leaving a booth (default 0.2; 0 = none)\n"
"Connecting\n"
"  --ramp R              new connections per second, all processes together (default 500)\n"
"  --connect-timeout-s S extra time for the connect phase beyond sessions/ramp (default 60)\n"
"  --retries N           reconnects per session during the connect phase (default 2)\n"
"  --procs P             worker processes (default 1); each may hold ~19,000 sockets here\n"
"  --src-addrs N         bind sessions to 127.0.0.2..127.0.0.(N+1) (default 4; 0: no bind)\n"
"Output\n"
"  --scenario NAME       label in the summary (default custom)\n"
"  --slo-ms MS           latency bound for the 'best' figures (default 50)\n"
"  --json-out FILE       also append the JSON line to FILE\n"
"  --check               exit 1 unless the run is clean: all in, no loss, no duplicates,\n"
"                        no error replies, every chat.send answered\n"
"  --seed N              random seed (default from the clock)\n"
"  --verbose             log failures of single sessions\n"
"  --help\n"
"\n"
"Exit status: 0 done (and clean with --check), 1 not clean with --check, 2 usage or a failure.\n";

static int parse_url(const char *s, struct load_url *u)
{
    const char *p = s;
    if (strncmp(p, "ws://", 5)) return -1;
    p += 5;
    const char *colon = strchr(p, ':'), *slash = strchr(p, '/');
    if (!colon || (slash && slash < colon) || colon - p <= 0 || colon - p >= (long)sizeof u->host) return -1;
    memcpy(u->host, p, (size_t)(colon - p));
    u->host[colon - p] = 0;
    u->port = atoi(colon + 1);
    snprintf(u->path, sizeof u->path, "%s", slash ? slash : "/ws");
    if (u->port <= 0 || u->port > 65535) return -1;
    if (strncmp(u->host, "127.", 4) && strcmp(u->host, "localhost")) return -1;   /* loopback only */
    if (!strcmp(u->host, "localhost")) snprintf(u->host, sizeof u->host, "127.0.0.1");
    return 0;
}

static int parse_pair(const char *s, double *lo, double *hi)
{
    char *end;
    *lo = strtod(s, &end);
    if (*end != ',') return -1;
    *hi = strtod(end + 1, &end);
    return *end || *lo < 0 || *hi < *lo ? -1 : 0;
}

static int parse_rates(const char *s, struct plan *p)
{
    p->n_steps = 0;
    while (*s) {
        char *end;
        double r = strtod(s, &end);
        if (end == s || r < 0 || p->n_steps >= RESULT_MAX_STEPS) return -1;
        p->rate[p->n_steps++] = r;
        if (*end == ',') end++;
        else if (*end) return -1;
        s = end;
    }
    return p->n_steps ? 0 : -1;
}

static void sleep_until(int64_t t)
{
    for (;;) {
        int64_t d = t - load_now_us();
        if (d <= 0) return;
        struct timespec ts = {d / 1000000, (d % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
}

struct snap { double server, postgres, generator; long long xacts; int64_t at; };

struct coord {
    pid_t server[MAX_PIDS];
    int n_server;
    pid_t pg;
    pid_t *workers;
    int procs;
    PGconn *stats;                  /* reads pg_stat_database at each snapshot; NULL = none */
};

/* Transactions the whole cluster finished so far (commits + rollbacks), or -1. Backends
 * publish their counts at most once a second (longer when idle), so a window's figure is
 * accurate to about a second's worth. Our own query adds one per snapshot. */
static long long db_xacts(PGconn *c)
{
    if (!c) return -1;
    PGresult *r = PQexec(c, "SELECT sum(xact_commit + xact_rollback)::bigint FROM pg_stat_database");
    long long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
                  ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    return v;
}

static void take(const struct coord *c, struct snap *s)
{
    s->at = load_now_us();
    s->server = 0;
    for (int i = 0; i < c->n_server; i++) {
        double v = procstat_cpu_s(c->server[i]);
        if (v > 0) s->server += v;
    }
    s->postgres = c->pg > 0 ? procstat_tree_cpu_s(c->pg) : 0;
    s->generator = procstat_cpu_s(getpid());
    for (int i = 0; i < c->procs; i++) {
        double v = procstat_cpu_s(c->workers[i]);
        if (v > 0) s->generator += v;
    }
    s->xacts = db_xacts(c->stats);
}

static struct cpu_use diff(const struct snap *a, const struct snap *b)
{
    struct cpu_use u = {b->server - a->server, b->postgres - a->postgres, b->generator - a->generator,
                        (double)(b->at - a->at) / 1e6, -1};
    if (u.postgres < 0) u.postgres = 0;     /* a backend exited in the window */
    if (a->xacts >= 0 && b->xacts >= a->xacts) u.db_xacts = (double)(b->xacts - a->xacts);
    return u;
}

static long long server_rss(const struct coord *c)
{
    if (!c->n_server) return -1;
    long long t = 0;
    for (int i = 0; i < c->n_server; i++) {
        long long v = procstat_rss_kib(c->server[i]);
        if (v < 0) return -1;
        t += v;
    }
    return t;
}

static char *read_all(int fd)
{
    size_t n = 0, cap = 65536;
    char *b = malloc(cap);
    if (!b) abort();
    for (;;) {
        if (n + 1 >= cap) { cap *= 2; b = realloc(b, cap); if (!b) abort(); }
        ssize_t k = read(fd, b + n, cap - n - 1);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        n += (size_t)k;
    }
    b[n] = 0;
    return b;
}

int main(int argc, char **argv)
{
    struct load_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    const char *db = getenv("DATABASE_URL"), *scenario = "custom", *json_out = NULL;
    struct coord co;
    memset(&co, 0, sizeof co);
    int check = 0, senders = -1;
    double slo_ms = 50, step_s = 10;
    cfg.sessions = 100;
    cfg.n_booths = 10;
    cfg.msg_bytes = 64;
    cfg.drain_s = 3;
    cfg.ramp = 500;
    cfg.connect_timeout_s = 60;
    cfg.retries = 2;
    cfg.procs = 1;
    cfg.src_addrs = 4;
    cfg.think_min_s = 2; cfg.think_max_s = 8;
    cfg.dwell_min_s = 20; cfg.dwell_max_s = 60;
    cfg.chatters = 0.3;
    cfg.chat_every_s = 20;
    cfg.history_p = 0.1;
    cfg.meeting_p = 0.2;
    cfg.plan.n_steps = 1;
    cfg.seed = (uint64_t)load_now_us() ^ ((uint64_t)getpid() << 32);

    enum { O_URL = 256, O_DB, O_SPID, O_PGPID, O_SESS, O_BOOTHS, O_FIRST, O_SENDERS, O_DASH, O_RATE, O_STEP,
           O_BYTES, O_PING, O_DRAIN, O_MIXED, O_THINK, O_DWELL, O_CHATTERS, O_CHATEVERY, O_HISTP, O_MEETP, O_RAMP,
           O_CTO, O_RETRIES, O_PROCS, O_SRC, O_SCEN, O_SLO, O_JSON, O_CHECK, O_SEED, O_VERBOSE, O_HELP };
    static const struct option opts[] = {
        {"url", 1, 0, O_URL}, {"db", 1, 0, O_DB}, {"server-pid", 1, 0, O_SPID}, {"pg-pid", 1, 0, O_PGPID},
        {"sessions", 1, 0, O_SESS}, {"booths", 1, 0, O_BOOTHS}, {"first-visitor", 1, 0, O_FIRST}, {"dashboards", 1, 0, O_DASH},
        {"senders", 1, 0, O_SENDERS}, {"rate", 1, 0, O_RATE}, {"step-s", 1, 0, O_STEP},
        {"msg-bytes", 1, 0, O_BYTES}, {"ping-every-s", 1, 0, O_PING}, {"drain-s", 1, 0, O_DRAIN},
        {"mixed", 0, 0, O_MIXED}, {"think-s", 1, 0, O_THINK}, {"dwell-s", 1, 0, O_DWELL},
        {"chatters", 1, 0, O_CHATTERS}, {"chat-every-s", 1, 0, O_CHATEVERY}, {"history-p", 1, 0, O_HISTP},
        {"meeting-p", 1, 0, O_MEETP},
        {"ramp", 1, 0, O_RAMP}, {"connect-timeout-s", 1, 0, O_CTO}, {"retries", 1, 0, O_RETRIES},
        {"procs", 1, 0, O_PROCS}, {"src-addrs", 1, 0, O_SRC}, {"scenario", 1, 0, O_SCEN},
        {"slo-ms", 1, 0, O_SLO}, {"json-out", 1, 0, O_JSON}, {"check", 0, 0, O_CHECK},
        {"seed", 1, 0, O_SEED}, {"verbose", 0, 0, O_VERBOSE}, {"help", 0, 0, O_HELP}, {0, 0, 0, 0}
    };
    int o;
    const char *bad = NULL;
    while (!bad && (o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case O_URL:
            if (cfg.n_urls >= LOAD_MAX_URLS || parse_url(optarg, &cfg.url[cfg.n_urls++])) bad = "--url (ws://127.x.x.x:PORT/path)";
            break;
        case O_DB: db = optarg; break;
        case O_SPID: if (co.n_server < MAX_PIDS) co.server[co.n_server++] = atoi(optarg); break;
        case O_PGPID: co.pg = atoi(optarg); break;
        case O_SESS: cfg.sessions = atoi(optarg); if (cfg.sessions < 1) bad = "--sessions"; break;
        case O_BOOTHS: cfg.n_booths = atoi(optarg); if (cfg.n_booths < 1) bad = "--booths"; break;
        case O_FIRST: cfg.first_visitor = atoi(optarg); if (cfg.first_visitor < 0) bad = "--first-visitor"; break;
        case O_SENDERS: senders = atoi(optarg); if (senders < 0) bad = "--senders"; break;
        case O_DASH: cfg.dashboards = atoi(optarg); if (cfg.dashboards < 0) bad = "--dashboards"; break;
        case O_RATE: if (parse_rates(optarg, &cfg.plan)) bad = "--rate"; break;
        case O_STEP: step_s = atof(optarg); if (step_s <= 0) bad = "--step-s"; break;
        case O_BYTES: cfg.msg_bytes = atoi(optarg); if (cfg.msg_bytes < 1 || cfg.msg_bytes > 4096) bad = "--msg-bytes (1..4096)"; break;
        case O_PING: cfg.ping_every_s = atof(optarg); if (cfg.ping_every_s < 0) bad = "--ping-every-s"; break;
        case O_DRAIN: cfg.drain_s = atof(optarg); if (cfg.drain_s < 0) bad = "--drain-s"; break;
        case O_MIXED: cfg.mode = MODE_MIXED; break;
        case O_THINK: if (parse_pair(optarg, &cfg.think_min_s, &cfg.think_max_s)) bad = "--think-s"; break;
        case O_DWELL: if (parse_pair(optarg, &cfg.dwell_min_s, &cfg.dwell_max_s)) bad = "--dwell-s"; break;
        case O_CHATTERS: cfg.chatters = atof(optarg); if (cfg.chatters < 0 || cfg.chatters > 1) bad = "--chatters"; break;
        case O_CHATEVERY: cfg.chat_every_s = atof(optarg); if (cfg.chat_every_s <= 0) bad = "--chat-every-s"; break;
        case O_HISTP: cfg.history_p = atof(optarg); break;
        case O_MEETP: cfg.meeting_p = atof(optarg); if (cfg.meeting_p < 0 || cfg.meeting_p > 1) bad = "--meeting-p"; break;
        case O_RAMP: cfg.ramp = atof(optarg); if (cfg.ramp <= 0) bad = "--ramp"; break;
        case O_CTO: cfg.connect_timeout_s = atof(optarg); break;
        case O_RETRIES: cfg.retries = atoi(optarg); if (cfg.retries < 0 || cfg.retries > 100) bad = "--retries"; break;
        case O_PROCS: cfg.procs = atoi(optarg); if (cfg.procs < 1 || cfg.procs > 64) bad = "--procs (1..64)"; break;
        case O_SRC: cfg.src_addrs = atoi(optarg); if (cfg.src_addrs < 0 || cfg.src_addrs > 64) bad = "--src-addrs (0..64)"; break;
        case O_SCEN: scenario = optarg; break;
        case O_SLO: slo_ms = atof(optarg); break;
        case O_JSON: json_out = optarg; break;
        case O_CHECK: check = 1; break;
        case O_SEED: cfg.seed = strtoull(optarg, NULL, 10); break;
        case O_VERBOSE: cfg.verbose = 1; break;
        case O_HELP: fputs(usage, stdout); return 0;
        default: bad = "an unknown flag"; break;
        }
    }
    if (!bad && optind < argc) bad = "a stray argument";
    if (!bad && !db) bad = "--db (or DATABASE_URL)";
    if (bad) {
        fprintf(stderr, "boothd-load: bad or missing %s; see --help\n", bad);
        return 2;
    }
    if (!cfg.n_urls) parse_url("ws://127.0.0.1:8080/ws", &cfg.url[cfg.n_urls++]);
    if (cfg.procs > cfg.sessions) cfg.procs = cfg.sessions;
    if (cfg.dashboards > cfg.sessions) cfg.dashboards = cfg.sessions;
    cfg.senders = senders < 0 || senders > cfg.sessions ? cfg.sessions : senders;
    cfg.plan.step_us = (int64_t)(step_s * 1e6);
    cfg.plan.senders = cfg.senders;
    if (cfg.mode == MODE_MIXED) { cfg.plan.n_steps = 1; cfg.plan.rate[0] = 0; }
    for (int k = 0; k < cfg.plan.n_steps; k++)
        if (cfg.senders && cfg.plan.rate[k] / cfg.senders > 2.0)
            fprintf(stderr, "boothd-load: note: step %d plans %.2f msgs/s per sender; boothd allows 2/s by default "
                            "(expect rate_limited unless it runs with --chat-rate %d or more)\n", k,
                    cfg.plan.rate[k] / cfg.senders, (int)(cfg.plan.rate[k] / cfg.senders + 0.999));
    snprintf(cfg.nonce, sizeof cfg.nonce, "%llx", (unsigned long long)(cfg.seed & 0xffffffffffull));

    /* sockets: one per session, as many as the hard limit allows */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && (rlim_t)(cfg.sessions / cfg.procs + 64) > rl.rlim_cur)
        fprintf(stderr, "boothd-load: warning: %d sessions per process but only %llu open files allowed; use --procs\n",
                cfg.sessions / cfg.procs, (unsigned long long)rl.rlim_cur);
    signal(SIGPIPE, SIG_IGN);

    char err[512];
    setup_new_secret(cfg.secret);
    if (setup_run(db, cfg.first_visitor, cfg.sessions, cfg.secret, cfg.n_booths, &cfg.booth_ids, err, sizeof err) ||
        setup_organizers(db, cfg.first_visitor, cfg.sessions, cfg.dashboards, err, sizeof err)) {
        fprintf(stderr, "boothd-load: %s\n", err);
        return 2;
    }
    co.stats = PQconnectdb(db);
    if (PQstatus(co.stats) != CONNECTION_OK) {
        fprintf(stderr, "boothd-load: note: no database statistics (%s)", PQerrorMessage(co.stats));
        PQfinish(co.stats);
        co.stats = NULL;
    }

    struct load_ctl *ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (ctl == MAP_FAILED) { perror("boothd-load: mmap"); free(cfg.booth_ids); return 2; }
    atomic_init(&ctl->ready, 0);
    atomic_init(&ctl->t0, 0);
    atomic_init(&ctl->stop, 0);

    long long rss_before = server_rss(&co);
    co.procs = cfg.procs;
    co.workers = calloc((size_t)cfg.procs, sizeof *co.workers);
    int *fds = calloc((size_t)cfg.procs, sizeof *fds);
    if (!co.workers || !fds) abort();
    struct snap s_start, s_ready, s_prev, s_now;
    take(&co, &s_start);
    fflush(NULL);
    for (int w = 0; w < cfg.procs; w++) {
        int p[2];
        if (pipe(p)) { perror("boothd-load: pipe"); return 2; }
        pid_t pid = fork();
        if (pid < 0) { perror("boothd-load: fork"); return 2; }
        if (pid == 0) {
            for (int k = 0; k < w; k++) close(fds[k]);
            close(p[0]);
            int rc = worker_main(&cfg, w, ctl, p[1]);
            if (co.stats) {
                /* the parent's statistics connection: free its memory without saying goodbye on
                 * the shared socket (PQfinish would send Terminate and end the parent's session) */
                close(PQsocket(co.stats));
                PQfinish(co.stats);
            }
            free(co.workers);
            free(fds);
            free(cfg.booth_ids);
            munmap(ctl, sizeof *ctl);
            return rc;
        }
        close(p[1]);
        co.workers[w] = pid;
        fds[w] = p[0];
    }

    /* connect phase */
    int failed = 0;
    int64_t limit = load_now_us() + (int64_t)((cfg.sessions / cfg.ramp + cfg.connect_timeout_s + 60) * 1e6);
    while (atomic_load(&ctl->ready) < cfg.procs) {
        for (int w = 0; w < cfg.procs; w++) {
            int st;
            if (co.workers[w] > 0 && waitpid(co.workers[w], &st, WNOHANG) == co.workers[w]) {
                fprintf(stderr, "boothd-load: worker %d ended during the connect phase\n", w);
                co.workers[w] = -1;
                failed = 1;
            }
        }
        if (failed || load_now_us() > limit) break;
        sleep_until(load_now_us() + 20000);
    }
    if (failed || atomic_load(&ctl->ready) < cfg.procs) {
        if (!failed) fprintf(stderr, "boothd-load: the connect phase did not end in time\n");
        failed = 1;
        atomic_store(&ctl->stop, 1);
    }
    take(&co, &s_ready);
    long long rss_ready = server_rss(&co);
    long long rss_each[RUN_MAX_SERVERS];
    int n_rss_each = 0;
    for (int i = 0; i < co.n_server && i < RUN_MAX_SERVERS; i++) rss_each[n_rss_each++] = procstat_rss_kib(co.server[i]);
    char *by_node = failed ? NULL : setup_sessions_by_node(db);

    /* the plan */
    struct run_info ri;
    memset(&ri, 0, sizeof ri);
    long long *series = calloc(MAX_RSS_SAMPLES, sizeof *series);
    if (!series) abort();
    size_t n_series = 0;
    double series_every = cfg.mode == MODE_MIXED ? 10.0 : 0;
    if (!failed) {
        int64_t t0 = load_now_us() + 300000;
        atomic_store(&ctl->t0, (long long)t0);
        sleep_until(t0);
        take(&co, &s_prev);
        int64_t next_rss = t0;
        for (int k = 0; k < cfg.plan.n_steps; k++) {
            int64_t edge = t0 + cfg.plan.step_us * (k + 1);
            while (series_every > 0 && next_rss < edge) {
                sleep_until(next_rss);
                if (n_series < MAX_RSS_SAMPLES) series[n_series++] = server_rss(&co);
                next_rss += (int64_t)(series_every * 1e6);
            }
            sleep_until(edge);
            take(&co, &s_now);
            ri.cpu[k] = diff(&s_prev, &s_now);
            s_prev = s_now;
        }
    }

    /* results: each worker writes one line when it is done, then exits */
    struct result *total = result_new(cfg.plan.n_steps);
    for (int w = 0; w < cfg.procs; w++) {
        char *line = read_all(fds[w]);
        close(fds[w]);
        cJSON *j = cJSON_Parse(line);
        struct result *r = j ? result_from_json(j) : NULL;
        if (r) { result_merge(total, r); result_free(r); }
        else { fprintf(stderr, "boothd-load: worker %d gave no result\n", w); failed = 1; }
        cJSON_Delete(j);
        free(line);
    }
    for (int w = 0; w < cfg.procs; w++) {
        int st;
        if (co.workers[w] > 0 && waitpid(co.workers[w], &st, 0) == co.workers[w] &&
            (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
            fprintf(stderr, "boothd-load: worker %d ended with status %d\n", w, st);
            failed = 1;
        }
    }

    ri.scenario = scenario;
    ri.mode = cfg.mode == MODE_MIXED ? "mixed" : "chat";
    ri.sessions = cfg.sessions;
    ri.booths = cfg.n_booths;
    ri.senders = cfg.mode == MODE_MIXED ? 0 : cfg.senders;
    ri.procs = cfg.procs;
    ri.servers = cfg.n_urls;
    ri.msg_bytes = cfg.msg_bytes;
    ri.n_steps = cfg.plan.n_steps;
    ri.step_s = step_s;
    for (int k = 0; k < cfg.plan.n_steps; k++) ri.rate[k] = cfg.plan.rate[k];
    ri.slo_ms = slo_ms;
    ri.connect_cpu = diff(&s_start, &s_ready);
    ri.rss_before_kib = rss_before;
    ri.rss_ready_kib = rss_ready;
    ri.rss_end_kib = server_rss(&co);
    memcpy(ri.rss_ready_per_server_kib, rss_each, sizeof rss_each[0] * (size_t)n_rss_each);
    ri.n_rss_per_server = n_rss_each;
    ri.sessions_by_node = by_node;
    ri.rss_series_kib = series;
    ri.n_rss_series = n_series;
    ri.rss_series_every_s = series_every;
    cJSON *sum = summary_json(&ri, total);
    if (failed) {
        /* a worker died or the connect phase never ended: the figures are incomplete */
        cJSON_ReplaceItemInObjectCaseSensitive(sum, "clean", cJSON_CreateFalse());
        cJSON_DeleteItemFromObjectCaseSensitive(sum, "why");
        cJSON_AddStringToObject(sum, "why", "the generator failed (see its log); figures are incomplete");
        cJSON_AddBoolToObject(sum, "generator_failed", 1);
    }
    char *table = summary_table(sum);
    char *line = cJSON_PrintUnformatted(sum);
    fputs(table, stderr);
    printf("%s\n", line);
    fflush(stdout);
    if (json_out) {
        FILE *f = fopen(json_out, "a");
        if (f) { fprintf(f, "%s\n", line); fclose(f); }
        else fprintf(stderr, "boothd-load: cannot append to %s\n", json_out);
    }
    char why[256];
    int clean = summary_clean(total, why, sizeof why);
    free(table);
    free(line);
    cJSON_Delete(sum);
    result_free(total);
    free(series);
    free(by_node);
    free(co.workers);
    free(fds);
    free(cfg.booth_ids);
    munmap(ctl, sizeof *ctl);
    if (co.stats) PQfinish(co.stats);       /* only here: the workers inherit the socket and never touch it */
    if (failed) return 2;
    return check && !clean ? 1 : 0;
}
