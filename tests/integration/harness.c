/* harness.c — see harness.h. One test per process; everything started is registered and
 * torn down at exit, on a failed check, on the watchdog alarm or on a fatal signal. */
#include "harness.h"
#include "promtext.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IT_SOURCE_DIR
#define IT_SOURCE_DIR "."
#endif

#if defined(__SANITIZE_ADDRESS__)
#define IT_ASAN 1
/* The test client's own allocations are not under test: boothd's are (its processes get
 * the ordinary ASAN_OPTIONS; this default only applies to the test executable). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }
#else
#define IT_ASAN 0
#endif

const char *it_boothd_bin;
const char *it_source_dir;
const char *it_workdir;
double it_scale = 1.0;

static char workdir_buf[256];
static char pgc_path[1024];
static char boothd_bin_buf[1024];
static const char *current_test = "?";
static double t0;
static int keep_workdir;
static volatile sig_atomic_t cleaning;

/* Registry. Fixed arrays of plain values so that the signal handler can walk them. */
#define MAX_PROCS 32
#define MAX_CLUSTERS 8
static volatile pid_t reg_pids[MAX_PROCS];
static volatile sig_atomic_t reg_group[MAX_PROCS];   /* kill the pid's whole process group */
static char reg_logs[MAX_PROCS][600];
static char reg_nodes[MAX_PROCS][64];
static int n_logs;
static char reg_clusters[MAX_CLUSTERS][512];

/* ---- time, logging ------------------------------------------------------------------------ */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double it_now(void) { return mono() - t0; }

int it_ms(int base_ms) { return (int)(base_ms * it_scale); }

void it_sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

void it_log(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[%s %7.3fs] %s\n", current_test, it_now(), buf);
}

/* ---- registry ----------------------------------------------------------------------------- */

static void reg_pid_add(pid_t pid, const char *log, const char *node, int group)
{
    for (int i = 0; i < MAX_PROCS; i++) {
        if (reg_pids[i] == 0) { reg_group[i] = group; reg_pids[i] = pid; break; }
    }
    if (log && n_logs < MAX_PROCS) {
        snprintf(reg_logs[n_logs], sizeof reg_logs[n_logs], "%s", log);
        snprintf(reg_nodes[n_logs], sizeof reg_nodes[n_logs], "%s", node ? node : "?");
        n_logs++;
    }
}

static void reg_pid_del(pid_t pid)
{
    for (int i = 0; i < MAX_PROCS; i++)
        if (reg_pids[i] == pid) reg_pids[i] = 0;
}

static void reg_cluster_add(const char *dir)
{
    for (int i = 0; i < MAX_CLUSTERS; i++) {
        if (reg_clusters[i][0] == '\0') {
            snprintf(reg_clusters[i], sizeof reg_clusters[i], "%s", dir);
            return;
        }
    }
}

static void reg_cluster_del(const char *dir)
{
    for (int i = 0; i < MAX_CLUSTERS; i++)
        if (strcmp(reg_clusters[i], dir) == 0) reg_clusters[i][0] = '\0';
}

/* Async-signal-safe: fork + exec + waitpid, stdout/stderr to /dev/null. */
static void run_quiet(const char *path, char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) { dup2(fd, 0); dup2(fd, 1); dup2(fd, 2); }
        execv(path, argv);
        _exit(127);
    }
    if (p > 0) {
        int st;
        while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
        }
    }
}

/* Kills every registered boothd and removes every registered cluster and the work dir.
 * Async-signal-safe (used from the fatal signal handler too). */
static void teardown(void)
{
    if (cleaning) return;
    cleaning = 1;
    for (int i = 0; i < MAX_PROCS; i++) {
        pid_t p = reg_pids[i];
        if (p > 0) {
            kill(reg_group[i] ? -p : p, SIGKILL);
            int st;
            while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
            }
            reg_pids[i] = 0;
        }
    }
    for (int i = 0; i < MAX_CLUSTERS; i++) {
        if (reg_clusters[i][0] == '\0') continue;
        if (keep_workdir) {
            char *argv[] = {pgc_path, "stop", reg_clusters[i], NULL};
            run_quiet(pgc_path, argv);
        } else {
            char *argv[] = {pgc_path, "destroy", reg_clusters[i], NULL};
            run_quiet(pgc_path, argv);
        }
        reg_clusters[i][0] = '\0';
    }
    if (workdir_buf[0] && !keep_workdir) {
        char *argv[] = {"/bin/rm", "-rf", workdir_buf, NULL};
        run_quiet("/bin/rm", argv);
    }
}

static void write_str(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

/* Prints the last `max` bytes of a file (async-signal-safe). */
static void dump_tail(const char *title, const char *path, off_t max)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    write_str(2, "----- ");
    write_str(2, title);
    write_str(2, " (");
    write_str(2, path);
    write_str(2, ", tail) -----\n");
    off_t end = lseek(fd, 0, SEEK_END);
    lseek(fd, end > max ? end - max : 0, SEEK_SET);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(2, buf + off, (size_t)(n - off));
            if (w <= 0) break;
            off += w;
        }
    }
    close(fd);
    write_str(2, "----- end -----\n");
}

static void dump_diagnostics(void)
{
    for (int i = 0; i < n_logs; i++) {
        dump_tail(reg_nodes[i], reg_logs[i], 12000);
    }
    for (int i = 0; i < MAX_CLUSTERS; i++) {
        if (reg_clusters[i][0] == '\0') continue;
        char path[1100];
        snprintf(path, sizeof path, "%.512s/postgres.log", reg_clusters[i]);
        dump_tail("postgres", path, 3000);
    }
}

static void on_fatal_signal(int sig)
{
    char msg[160];
    snprintf(msg, sizeof msg, "\nFAIL %s: %s (signal %d)%s\n", current_test,
             sig == SIGALRM ? "watchdog: the test took too long" : "killed by a signal", sig,
             sig == SIGALRM ? "" : "");
    write_str(2, msg);
    dump_diagnostics();
    teardown();
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

void it_fail(const char *file, int line, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "\nFAIL %s at %.3fs\n%s:%d: %s\n", current_test, it_now(), file, line, buf);
    fflush(stderr);
    dump_diagnostics();
    exit(1); /* atexit -> teardown */
}

/* ---- running commands --------------------------------------------------------------------- */

int it_schema_version(void)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/schema.sql", it_source_dir);
    char *s = it_read_file(path);
    if (!s) FAIL("cannot read %s", path);
    const char *m = strstr(s, "boothd-schema-version:");
    if (!m) FAIL("%s has no boothd-schema-version line", path);
    int v = atoi(m + strlen("boothd-schema-version:"));
    free(s);
    return v;
}

char *it_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    if (!s) abort();
    size_t n;
    while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            if (!s) abort();
        }
    }
    fclose(f);
    s[len] = '\0';
    return s;
}

int it_count_lines(const char *s)
{
    int n = 0;
    while (s && *s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        int blank = 1;
        for (size_t i = 0; i < len; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') blank = 0;
        if (!blank) n++;
        if (!e) break;
        s = e + 1;
    }
    return n;
}

static void chomp(char *s)
{
    size_t n = s ? strlen(s) : 0;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

/* Waits for pid up to timeout_ms. Returns 1 and the status when it exited, 0 otherwise. */
static int wait_pid_for(pid_t pid, int timeout_ms, int *status)
{
    double deadline = mono() + timeout_ms / 1000.0;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) return 1;
        if (r < 0 && errno != EINTR) { *status = 0; return 1; }
        if (mono() >= deadline) return 0;
        it_sleep_ms(10);
    }
}

static int capture_seq;

/* Runs argv[0] with argv, stdout/stderr into files, waits up to timeout_ms (then kills it
 * and fails the test). Returns the wait status. out and err receive the outputs if not NULL;
 * with err NULL, stderr is shown in the test output. */
static int run_capture(const char *path, char *const argv[], int timeout_ms, char **out, char **err)
{
    char outp[512], errp[512];
    int seq = ++capture_seq;
    snprintf(outp, sizeof outp, "%s/cmd-%d.out", it_workdir, seq);
    snprintf(errp, sizeof errp, "%s/cmd-%d.err", it_workdir, seq);
    fflush(stdout);
    fflush(stderr);
    pid_t p = fork();
    if (p < 0) FAIL("fork: %s", strerror(errno));
    if (p == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int in = open("/dev/null", O_RDONLY);
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = err ? open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644) : 2;
        if (in < 0 || o < 0 || e < 0) _exit(126);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(path, argv);
        fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    int st = 0;
    if (!wait_pid_for(p, timeout_ms, &st)) {
        kill(p, SIGKILL);
        waitpid(p, &st, 0);
        char *e = err ? it_read_file(errp) : NULL;
        FAIL("command %s %s did not finish within %d ms; stderr: %s", path, argv[1] ? argv[1] : "",
             timeout_ms, e ? e : "(shown above)");
    }
    if (out) *out = it_read_file(outp);
    if (err) *err = it_read_file(errp);
    unlink(outp);
    unlink(errp);
    return st;
}

const char *it_status_str(int st)
{
    static char buf[64];
    if (WIFEXITED(st)) snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) snprintf(buf, sizeof buf, "signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else snprintf(buf, sizeof buf, "status 0x%x", st);
    return buf;
}

/* ---- PostgreSQL ------------------------------------------------------------------------- */

static void pg_cluster_cmd(struct pg_cluster *c, const char *verb, char **out)
{
    char *argv[] = {pgc_path, (char *)verb, c->dir, NULL};
    int st = run_capture(pgc_path, argv, it_ms(180000), out, NULL);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        FAIL("scripts/pg-cluster %s %s failed: %s (its stderr is above)", verb, c->dir, it_status_str(st));
}

void pg_start(struct pg_cluster *c)
{
    memset(c, 0, sizeof *c);
    static int n;
    snprintf(c->dir, sizeof c->dir, "%s/pg%d", it_workdir, n++);
    reg_cluster_add(c->dir);
    double t = it_now();
    char *out = NULL;
    pg_cluster_cmd(c, "start", &out);
    chomp(out);
    if (!out || strncmp(out, "postgresql://", 13) != 0)
        FAIL("pg-cluster start printed \"%s\", expected a postgresql:// URL", out ? out : "(null)");
    snprintf(c->url, sizeof c->url, "%s", out);
    free(out);
    c->running = 1;
    it_log("PostgreSQL up at %s (%.1fs)", c->url, it_now() - t);
}

void pg_stop(struct pg_cluster *c)
{
    pg_cluster_cmd(c, "stop", NULL);
    c->running = 0;
    it_log("PostgreSQL stopped");
}

void pg_start_again(struct pg_cluster *c)
{
    char *out = NULL;
    pg_cluster_cmd(c, "start", &out);
    chomp(out);
    ASSERT_STR_EQ(out, c->url);
    free(out);
    c->running = 1;
    it_log("PostgreSQL started again at %s", c->url);
}

void pg_destroy(struct pg_cluster *c)
{
    if (!c->dir[0]) return;
    if (!keep_workdir) pg_cluster_cmd(c, "destroy", NULL);
    else pg_cluster_cmd(c, "stop", NULL);
    reg_cluster_del(c->dir);
    c->running = 0;
}

int psql_run(const char *url, const char *sql, char **out)
{
    char *argv[] = {"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                    "-d", (char *)url, "-c", (char *)sql, NULL};
    int st = run_capture("/usr/bin/psql", argv, it_ms(30000), out, NULL);
    if (out && *out) chomp(*out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

char *psql_ok(const char *url, const char *sql)
{
    char *out = NULL;
    int rc = psql_run(url, sql, &out);
    if (rc != 0) FAIL("psql failed (exit %d) for: %s", rc, sql);
    return out;
}

long psql_long(const char *url, const char *sql)
{
    char *out = psql_ok(url, sql);
    char *end = NULL;
    long v = strtol(out, &end, 10);
    if (!out[0] || (end && *end)) FAIL("psql: expected one integer from \"%s\", got \"%s\"", sql, out);
    free(out);
    return v;
}

/* ---- ports, HTTP ------------------------------------------------------------------------ */

int it_free_port(void)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        uint32_t r;
        if (getrandom(&r, sizeof r, 0) != sizeof r) r = (uint32_t)rand();
        int port = 10000 + (int)(r % 10000); /* below pg-cluster's 20000+ and the ephemeral range */
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                 .sin_addr.s_addr = htonl(INADDR_ANY)};
        int ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
        close(fd);
        if (ok) return port;
    }
    FAIL("no free TCP port found");
}

int http_header(const struct http_resp *r, const char *name, char *out, size_t outlen)
{
    if (!r->head) return 0;
    size_t nl = strlen(name);
    const char *line = strstr(r->head, "\r\n");
    while (line) {
        line += 2;
        const char *eol = strstr(line, "\r\n");
        if (!eol || eol == line) break;
        if ((size_t)(eol - line) > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ') v++;
            size_t vl = (size_t)(eol - v);
            if (vl >= outlen) vl = outlen - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 1;
        }
        line = eol;
    }
    return 0;
}

int http_get_with(int port, const char *path, const char *extra_headers, int timeout_ms, struct http_resp *r)
{
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: boothd-it\r\n%s"
                     "Connection: close\r\n\r\n", path, port, extra_headers ? extra_headers : "");
    if (n < 0 || (size_t)n >= sizeof req) return -1;
    return http_request(port, req, (size_t)n, 0, timeout_ms, r);
}

int http_get(int port, const char *path, int timeout_ms, struct http_resp *r)
{
    return http_get_with(port, path, NULL, timeout_ms, r);
}

int http_get_auth(int port, const char *path, const char *auth, struct http_resp *r)
{
    char header[1024];
    snprintf(header, sizeof header, "Authorization: %s\r\n", auth);
    return http_get_with(port, path, header, it_ms(10000), r);
}

void http_resp_free(struct http_resp *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}

int http_request(int port, const void *req, size_t req_len, int half_close, int timeout_ms, struct http_resp *r)
{
    memset(r, 0, sizeof *r);
    double deadline = mono() + timeout_ms / 1000.0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno != EINPROGRESS) { close(fd); return -1; }
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int ms = (int)((deadline - mono()) * 1000);
        if (ms < 0 || poll(&pfd, 1, ms) <= 0) { close(fd); return -2; }
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err) { close(fd); return -1; }
    }
    for (size_t off = 0; off < req_len;) {
        ssize_t w = send(fd, (const char *)req + off, req_len - off, MSG_NOSIGNAL);
        if (w > 0) { off += (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int ms = (int)((deadline - mono()) * 1000);
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            if (ms > 0 && poll(&pfd, 1, ms) > 0) continue;
        }
        break;          /* the server may have answered and closed early: read what it said */
    }
    if (half_close) shutdown(fd, SHUT_WR);

    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    long content_length = -1;
    size_t head_len = 0;
    int chunked = 0;
    for (;;) {
        if (!head_len) {
            char *e = len >= 4 ? memmem(buf, len, "\r\n\r\n", 4) : NULL;
            if (e) {
                head_len = (size_t)(e - buf) + 4;
                r->head = malloc(head_len + 1);
                if (!r->head) abort();
                memcpy(r->head, buf, head_len);
                r->head[head_len] = '\0';
                if (strncmp(r->head, "HTTP/1.", 7) == 0) r->status = atoi(r->head + 9);
                char v[64];
                if (http_header(r, "Content-Length", v, sizeof v)) content_length = atol(v);
                if (http_header(r, "Transfer-Encoding", v, sizeof v) && strcasestr(v, "chunked")) chunked = 1;
            }
        }
        if (head_len && content_length >= 0 && !chunked && len - head_len >= (size_t)content_length) break;
        if (head_len && chunked && len >= head_len + 5 && memmem(buf + head_len, len - head_len, "0\r\n\r\n", 5))
            break;
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
        ssize_t got = recv(fd, buf + len, cap - len - 1, 0);
        if (got > 0) { len += (size_t)got; continue; }
        if (got == 0) break;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int ms = (int)((deadline - mono()) * 1000);
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            if (ms <= 0 || poll(&pfd, 1, ms) <= 0) {
                close(fd);
                free(buf);
                int st = r->status;
                http_resp_free(r);
                return st ? -3 : -2; /* timeout */
            }
            continue;
        }
        break; /* reset: take what we have */
    }
    close(fd);
    if (!head_len) {
        free(buf);
        http_resp_free(r);
        return -3;
    }
    /* body */
    size_t blen = len - head_len;
    r->body = malloc(blen + 1);
    if (!r->body) abort();
    if (!chunked) {
        if (content_length >= 0 && (size_t)content_length < blen) blen = (size_t)content_length;
        memcpy(r->body, buf + head_len, blen);
        r->body_len = blen;
    } else {
        const char *p = buf + head_len, *end = buf + len;
        size_t o = 0;
        while (p < end) {
            char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
            if (!eol) break;
            long sz = strtol(p, NULL, 16);
            p = eol + 2;
            if (sz <= 0 || p + sz > end) break;
            memcpy(r->body + o, p, (size_t)sz);
            o += (size_t)sz;
            p += sz + 2;
        }
        r->body_len = o;
    }
    r->body[r->body_len] = '\0';
    free(buf);
    return r->status;
}

/* ---- boothd ------------------------------------------------------------------------------ */

static int node_seq;

/* Forks and executes argv[0] (searched in PATH) with stdin from /dev/null and stdout+stderr
 * appended to log_path; the child dies with the test process (PR_SET_PDEATHSIG) and, with
 * own_group, leads a process group of its own. Returns the child's pid. */
static pid_t fork_exec(char *const argv[], const char *log_path, int own_group)
{
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t p = fork();
    if (p < 0) FAIL("fork: %s", strerror(errno));
    if (p == 0) {
        if (own_group) setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int in = open("/dev/null", O_RDONLY);
        int lg = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || lg < 0) _exit(126);
        dup2(in, 0);
        dup2(lg, 1);
        dup2(lg, 2);
        execvp(argv[0], argv);
        dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (own_group) setpgid(p, p);   /* also here: whichever runs first */
    return p;
}

void boothd_spawn(struct boothd *b, const struct boothd_opts *o)
{
    memset(b, 0, sizeof *b);
    b->port = o->port ? o->port : it_free_port();
    if (!o->node_id) snprintf(b->node_id, sizeof b->node_id, "it-%d", ++node_seq);
    else snprintf(b->node_id, sizeof b->node_id, "%s", o->node_id);
    snprintf(b->log_path, sizeof b->log_path, "%s/boothd-%s-%d.log", it_workdir,
             b->node_id[0] ? b->node_id : "default", ++capture_seq);

    const char *argv[64];
    int n = 0;
    char port[16], assets[1100];
    snprintf(port, sizeof port, "%d", b->port);
    snprintf(assets, sizeof assets, "%s/booth-assets", it_source_dir);
    const char *level = getenv("BOOTHD_TEST_LOG_LEVEL");
    argv[n++] = it_boothd_bin;
    argv[n++] = "--port";
    argv[n++] = port;
    if (o->db_url) { argv[n++] = "--db"; argv[n++] = o->db_url; }
    argv[n++] = "--assets";
    argv[n++] = assets;
    if (b->node_id[0]) { argv[n++] = "--node-id"; argv[n++] = b->node_id; }
    argv[n++] = "--log-level";
    argv[n++] = level && *level ? level : "info";
    if (o->demo) argv[n++] = "--demo";
    for (const char *const *a = o->extra_args; a && *a && n < 62; a++) argv[n++] = *a;
    argv[n] = NULL;

    char cmdline[2048] = "";
    for (int i = 0; i < n; i++) {
        strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 2);
        strcat(cmdline, " ");
    }

    pid_t p = fork_exec((char *const *)argv, b->log_path, 0);
    b->pid = p;
    char title[80];
    snprintf(title, sizeof title, "boothd %s", b->node_id[0] ? b->node_id : "default");
    reg_pid_add(p, b->log_path, title, 0);
    it_log("spawned boothd pid %d: %s", (int)p, cmdline);
}

pid_t it_spawn(const char *title, char *const argv[], const char *log_path)
{
    pid_t p = fork_exec(argv, log_path, 1);
    reg_pid_add(p, log_path, title, 1);
    it_log("spawned %s pid %d (own process group)", title, (int)p);
    return p;
}

int it_spawn_stop(pid_t pid, int sig, int timeout_ms)
{
    kill(-pid, sig);
    double end = it_now() + it_ms(timeout_ms) / 1000.0;
    int st = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) { st = -1; break; }
        if (it_now() > end) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
            }
            st = -1;
            break;
        }
        it_sleep_ms(20);
    }
    kill(-pid, SIGKILL);   /* whatever of the group is left (workers of a killed master) */
    reg_pid_del(pid);
    return st;
}

pid_t it_psql_hold(const char *url, const char *app_name, const char *sql)
{
    /* Named in the URL (application_name), so the test finds its backend in pg_stat_activity. */
    char named[sizeof ((struct pg_cluster *)0)->url + 80], log[1100], title[120];
    snprintf(named, sizeof named, "%s%capplication_name=%s", url, strchr(url, '?') ? '&' : '?', app_name);
    snprintf(log, sizeof log, "%s/%s.log", it_workdir, app_name);
    snprintf(title, sizeof title, "psql %s", app_name);
    char *const argv[] = {"psql", "-X", "-q", "-d", named, "-c", (char *)sql, NULL};
    return it_spawn(title, argv, log);
}

static int reap(struct boothd *b)
{
    if (b->exited) return 1;
    if (b->pid <= 0) return 1;
    int st;
    pid_t r = waitpid(b->pid, &st, WNOHANG);
    if (r == b->pid) {
        b->exited = 1;
        b->wait_status = st;
        reg_pid_del(b->pid);
        it_log("boothd %s (pid %d) ended: %s", b->node_id, (int)b->pid, it_status_str(st));
        return 1;
    }
    return 0;
}

int boothd_wait_ready(struct boothd *b, int timeout_ms)
{
    double deadline = mono() + timeout_ms / 1000.0;
    for (;;) {
        if (reap(b)) return -1;
        struct http_resp r;
        int st = http_get(b->port, "/healthz", 2000, &r);
        http_resp_free(&r);
        if (st == 200) return 0;
        if (mono() >= deadline) return -2;
        it_sleep_ms(100);
    }
}

void boothd_start(struct boothd *b, const struct boothd_opts *o, int timeout_ms)
{
    for (int attempt = 0;; attempt++) {
        double t = it_now();
        boothd_spawn(b, o);
        int r = boothd_wait_ready(b, it_ms(timeout_ms));
        if (r == 0) {
            it_log("boothd %s ready on port %d (%.1fs)", b->node_id, b->port, it_now() - t);
            return;
        }
        if (r == -1 && o->port == 0 && attempt < 3) {
            char *log = boothd_log(b);
            int in_use = log && (strstr(log, "in use") || strstr(log, "EADDRINUSE"));
            free(log);
            if (in_use) {
                it_log("port %d was taken meanwhile; retrying on another", b->port);
                continue;
            }
        }
        if (r == -1)
            FAIL("boothd %s exited during start-up (%s) instead of becoming ready", b->node_id,
                 it_status_str(b->wait_status));
        FAIL("boothd %s: GET /healthz did not answer 200 within %d ms", b->node_id, it_ms(timeout_ms));
    }
}

int boothd_wait_exit(struct boothd *b, int timeout_ms)
{
    double deadline = mono() + timeout_ms / 1000.0;
    for (;;) {
        if (reap(b)) return 1;
        if (mono() >= deadline) return 0;
        it_sleep_ms(10);
    }
}

void boothd_signal(struct boothd *b, int sig)
{
    if (!reap(b)) {
        it_log("sending signal %d to boothd %s (pid %d)", sig, b->node_id, (int)b->pid);
        kill(b->pid, sig);
    }
}

void boothd_kill9(struct boothd *b)
{
    boothd_signal(b, SIGKILL);
    if (!boothd_wait_exit(b, 10000)) FAIL("boothd %s survived SIGKILL", b->node_id);
}

int boothd_stop(struct boothd *b)
{
    if (b->pid <= 0) return 0;
    boothd_signal(b, SIGTERM);
    if (!boothd_wait_exit(b, it_ms(10000))) {
        it_log("boothd %s did not exit 10 s after SIGTERM; killing it", b->node_id);
        boothd_kill9(b);
    }
    return b->wait_status;
}

char *boothd_log(const struct boothd *b) { return it_read_file(b->log_path); }

int it_run_boothd(const char *const *args, int timeout_ms, char **out, char **err)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = it_boothd_bin;
    for (const char *const *a = args + 1; *a && n < 63; a++) argv[n++] = *a;
    argv[n] = NULL;
    return run_capture(it_boothd_bin, (char *const *)argv, timeout_ms, out, err);
}

/* ---- main -------------------------------------------------------------------------------- */

static void on_exit_cleanup(void) { teardown(); }

static void scrub_environment(void)
{
    extern char **environ;
    char names[64][128];
    int n = 0;
    for (char **e = environ; *e && n < 64; e++) {
        const char *s = *e;
        int drop = 0;
        if (strncmp(s, "BOOTHD_", 7) == 0 && strncmp(s, "BOOTHD_TEST_", 12) != 0 &&
            strncmp(s, "BOOTHD_BIN=", 11) != 0 && strncmp(s, "BOOTHD_SOURCE_DIR=", 18) != 0)
            drop = 1;
        if (strncmp(s, "DATABASE_URL=", 13) == 0) drop = 1;
        static const char *pgvars[] = {"PGHOST=", "PGPORT=", "PGDATABASE=", "PGUSER=",
                                       "PGSERVICE=", "PGOPTIONS=", "PGHOSTADDR=", NULL};
        for (int i = 0; pgvars[i]; i++)
            if (strncmp(s, pgvars[i], strlen(pgvars[i])) == 0) drop = 1;
        if (drop) {
            const char *eq = strchr(s, '=');
            size_t l = eq ? (size_t)(eq - s) : strlen(s);
            if (l >= sizeof names[0]) continue;
            memcpy(names[n], s, l);
            names[n][l] = '\0';
            n++;
        }
    }
    for (int i = 0; i < n; i++) unsetenv(names[i]);
}

int it_main(int argc, char **argv, const struct it_test *tests)
{
    if (argc < 2 || strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "--help") == 0) {
        printf("usage: %s TEST [BOOTHD_BINARY]\ntests:\n", argv[0]);
        for (const struct it_test *t = tests; t->name; t++) printf("  %s\n", t->name);
        return argc < 2 ? 2 : 0;
    }
    const struct it_test *test = NULL;
    for (const struct it_test *t = tests; t->name; t++)
        if (strcmp(t->name, argv[1]) == 0) test = t;
    if (!test) {
        fprintf(stderr, "%s: no test named \"%s\" (try --list)\n", argv[0], argv[1]);
        return 2;
    }
    current_test = test->name;
    t0 = mono();
    setvbuf(stdout, NULL, _IOLBF, 0);

    const char *bin = argc > 2 ? argv[2] : getenv("BOOTHD_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "%s: give the boothd binary as argv[2] or BOOTHD_BIN\n", argv[0]);
        return 2;
    }
    if (!realpath(bin, boothd_bin_buf) || access(boothd_bin_buf, X_OK) != 0) {
        fprintf(stderr, "%s: boothd binary %s is not an executable file\n", argv[0], bin);
        return 2;
    }
    it_boothd_bin = boothd_bin_buf;
    const char *src = getenv("BOOTHD_SOURCE_DIR");
    it_source_dir = src && *src ? src : IT_SOURCE_DIR;
    snprintf(pgc_path, sizeof pgc_path, "%s/scripts/pg-cluster", it_source_dir);

    const char *sc = getenv("BOOTHD_TEST_SCALE");
    it_scale = (sc && atof(sc) > 0) ? atof(sc) : (IT_ASAN ? 3.0 : 1.0);
    const char *keep = getenv("IT_KEEP");
    keep_workdir = keep && *keep && strcmp(keep, "0") != 0;

    scrub_environment();
    setenv("PG_CLUSTER_FAST", "1", 0);

    snprintf(workdir_buf, sizeof workdir_buf, "/tmp/boothd-it-XXXXXX");
    if (!mkdtemp(workdir_buf)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        workdir_buf[0] = '\0';
        return 1;
    }
    chmod(workdir_buf, 0755); /* the postgres user keeps its cluster inside */
    it_workdir = workdir_buf;

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    int fatal[] = {SIGALRM, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
#if !IT_ASAN
                   SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL,
#endif
                   0};
    for (int i = 0; fatal[i]; i++) sigaction(fatal[i], &sa, NULL);
    atexit(on_exit_cleanup);

    int watchdog = (int)(test->timeout_s * it_scale + 0.5);
    alarm((unsigned)watchdog);
    it_log("start (boothd %s, scale %.1f, watchdog %d s, work dir %s)", it_boothd_bin, it_scale,
           watchdog, it_workdir);
    test->fn();
    alarm(0);
    it_log("PASS");
    printf("PASS %s (%.1f s)\n", test->name, it_now());
    return 0;
}

void it_demo_up(struct pg_cluster *pg, struct boothd *a, struct boothd *b, int nodes)
{
    it_demo_up_with(pg, a, b, nodes, NULL);
}

void it_demo_up_with(struct pg_cluster *pg, struct boothd *a, struct boothd *b, int nodes,
                     const char *const *extra_args)
{
    pg_start(pg);
    struct boothd_opts o = {.db_url = pg->url, .node_id = "node-a", .demo = 1, .extra_args = extra_args};
    boothd_start(a, &o, 40000);
    if (nodes > 1) {
        o.node_id = "node-b";
        boothd_start(b, &o, 40000);
    }
}

/* ---- metrics ------------------------------------------------------------------------------- */

double it_metric(int port, const char *name, const char *contains)
{
    struct http_resp r;
    if (http_get(port, "/metrics", it_ms(5000), &r) != 200) FAIL("GET /metrics: %d", r.status);
    char err[200];
    struct prom *p = prom_parse(r.body, err, sizeof err);
    if (!p) FAIL("/metrics does not parse: %s", err);
    double v = prom_sum(p, name, contains);
    prom_free(p);
    http_resp_free(&r);
    return v;
}

long it_statement_runs(int port, const char *name)
{
    char label[128];
    snprintf(label, sizeof label, "statement=\"%s\"", name);
    return (long)it_metric(port, "boothd_db_query_duration_seconds_count", label);
}
