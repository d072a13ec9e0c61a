/* pg_proxy.c — see pg_proxy.h. One thread, poll() over the listening socket and every pair;
 * writes are blocking (a test's traffic is small). The protocol is read message by message:
 * after the startup packet every message is a type byte and a 4-byte length (which counts
 * itself). */
#include "pg_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

#define MAX_PAIRS 32

struct dir {
    unsigned char *buf;
    size_t len, cap;
};

struct pair {
    int cfd, sfd;               /* boothd's side, PostgreSQL's side; -1: free slot */
    struct dir up, down;        /* client -> server, server -> client */
    bool startup;               /* the client's next message has no type byte */
    int server_raw;             /* single-byte answers to SSL/GSS requests still to come */
    long syncs;                 /* ReadyForQuery messages the client's messages asked for */
    long zs;                    /* ReadyForQuery messages PostgreSQL sent */
    long cut_at;                /* close after this many ReadyForQuery (0: never) */
    long hold_at;               /* keep back from the answer to this Sync on (0: never) */
    struct dir held;            /* what was kept back */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether the NUL-terminated string at s (at most max bytes to read) is want. */
static bool cstr_is(const unsigned char *s, size_t max, const char *want)
{
    size_t n = strnlen((const char *)s, max);
    return n < max && n == strlen(want) && !memcmp(s, want, n);
}

static void dir_add(struct dir *d, const unsigned char *b, size_t n)
{
    if (d->len + n > d->cap) {
        d->cap = (d->len + n) * 2;
        d->buf = realloc(d->buf, d->cap);
        if (!d->buf) abort();
    }
    memcpy(d->buf + d->len, b, n);
    d->len += n;
}

static void dir_consume(struct dir *d, size_t n)
{
    memmove(d->buf, d->buf + n, d->len - n);
    d->len -= n;
}

static bool send_all(int fd, const unsigned char *b, size_t n)
{
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static void pair_close(struct pair *pr)
{
    if (pr->cfd >= 0) close(pr->cfd);
    if (pr->sfd >= 0) close(pr->sfd);
    free(pr->up.buf);
    free(pr->down.buf);
    free(pr->held.buf);
    *pr = (struct pair){.cfd = -1, .sfd = -1};
}

/* Client -> server: forwards every complete message; catches the armed Bind. Returns false
 * when the pair must close. */
static bool pump_up(struct pg_proxy *p, struct pair *pr)
{
    struct dir *d = &pr->up;
    for (;;) {
        size_t head = pr->startup ? 0 : 1;
        if (d->len < head + 4) return true;
        size_t mlen = head + be32(d->buf + head);
        if (mlen < head + 4) return false;
        if (d->len < mlen) return true;
        if (pr->startup) {
            uint32_t code = mlen >= 8 ? be32(d->buf + 4) : 0;
            if (code == 80877103u || code == 80877104u) pr->server_raw++;   /* SSL / GSS request */
            else pr->startup = false;                                       /* startup or cancel */
        } else if (d->buf[0] == 'S' || d->buf[0] == 'Q') {
            pr->syncs++;
        } else if (d->buf[0] == 'B') {
            /* Bind: portal name, then statement name, both NUL-terminated */
            size_t plen = strnlen((const char *)d->buf + 5, mlen - 5);
            size_t at = 5 + plen + 1;
            if (at < mlen) {
                pthread_mutex_lock(&p->mu);
                if (p->armed_stmt[0] && cstr_is(d->buf + at, mlen - at, p->armed_stmt)) {
                    pr->cut_at = pr->syncs + 1;     /* the Sync that follows this Bind */
                    p->armed_stmt[0] = '\0';
                    p->drop_armed = p->drop_channel[0] != '\0';
                }
                if (p->hold_stmt[0] && cstr_is(d->buf + at, mlen - at, p->hold_stmt)) {
                    pr->hold_at = pr->syncs + 1;
                    p->hold_stmt[0] = '\0';
                }
                pthread_mutex_unlock(&p->mu);
            }
        }
        if (!send_all(pr->sfd, d->buf, mlen)) return false;
        dir_consume(d, mlen);
    }
}

/* Server -> client: forwards, swallows the caught statement's answer, drops the armed
 * notification. Returns false when the pair must close. */
static bool pump_down(struct pg_proxy *p, struct pair *pr)
{
    struct dir *d = &pr->down;
    while (pr->server_raw > 0 && d->len > 0) {
        if (!send_all(pr->cfd, d->buf, 1)) return false;
        dir_consume(d, 1);
        pr->server_raw--;
    }
    for (;;) {
        if (d->len < 5) return true;
        size_t mlen = 1 + be32(d->buf + 1);
        if (mlen < 5) return false;
        if (d->len < mlen) return true;
        unsigned char type = d->buf[0];
        bool forward = true;
        if (type == 'A' && mlen > 9) {                  /* NotificationResponse: pid, channel, payload */
            pthread_mutex_lock(&p->mu);
            if (p->drop_armed && cstr_is(d->buf + 9, mlen - 9, p->drop_channel)) {
                p->drop_armed = false;
                p->dropped++;
                forward = false;
            }
            pthread_mutex_unlock(&p->mu);
        }
        if (pr->cut_at && pr->zs >= pr->cut_at - 1) forward = false;    /* the caught answer */
        bool keep = pr->hold_at && pr->zs >= pr->hold_at - 1;
        if (type == 'Z') pr->zs++;
        if (keep) {
            if (forward) dir_add(&pr->held, d->buf, mlen);
            if (pr->zs == pr->hold_at) {
                pthread_mutex_lock(&p->mu);
                p->hold_done = 1;
                pthread_mutex_unlock(&p->mu);
            }
            forward = false;
        }
        if (forward && !send_all(pr->cfd, d->buf, mlen)) return false;
        dir_consume(d, mlen);
        if (pr->cut_at && pr->zs == pr->cut_at) {       /* PostgreSQL is done with it: cut */
            pthread_mutex_lock(&p->mu);
            p->cuts++;
            pthread_mutex_unlock(&p->mu);
            return false;
        }
    }
}

static int connect_upstream(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void *relay(void *arg)
{
    struct pg_proxy *p = arg;
    struct pair pairs[MAX_PAIRS];
    for (int i = 0; i < MAX_PAIRS; i++) pairs[i] = (struct pair){.cfd = -1, .sfd = -1};
    for (;;) {
        struct pollfd fds[2 + 2 * MAX_PAIRS];
        int map[2 + 2 * MAX_PAIRS], n = 0;
        fds[n] = (struct pollfd){.fd = p->wake[0], .events = POLLIN};
        map[n++] = -1;
        fds[n] = (struct pollfd){.fd = p->listen_fd, .events = POLLIN};
        map[n++] = -2;
        for (int i = 0; i < MAX_PAIRS; i++) {
            if (pairs[i].cfd < 0) continue;
            fds[n] = (struct pollfd){.fd = pairs[i].cfd, .events = POLLIN};
            map[n++] = 2 * i;
            fds[n] = (struct pollfd){.fd = pairs[i].sfd, .events = POLLIN};
            map[n++] = 2 * i + 1;
        }
        if (poll(fds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].revents) {
            char cmd = 'x';
            if (read(p->wake[0], &cmd, 1) != 1 || cmd != 'r') break;   /* pg_proxy_stop */
            for (int i = 0; i < MAX_PAIRS; i++) {                        /* pg_proxy_release */
                struct pair *pr = &pairs[i];
                if (pr->cfd < 0 || !pr->hold_at) continue;
                bool ok = send_all(pr->cfd, pr->held.buf, pr->held.len);
                pr->held.len = 0;
                pr->hold_at = 0;
                if (!ok) pair_close(pr);
            }
            continue;
        }
        if (fds[1].revents & POLLIN) {
            int c = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                int slot = -1;
                for (int i = 0; i < MAX_PAIRS && slot < 0; i++)
                    if (pairs[i].cfd < 0) slot = i;
                int s = slot >= 0 ? connect_upstream(p->upstream_port) : -1;
                if (s < 0) {
                    close(c);
                } else {
                    int one = 1;
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    pairs[slot] = (struct pair){.cfd = c, .sfd = s, .startup = true, .syncs = 1};  /* startup ends with a ReadyForQuery */
                }
            }
        }
        for (int k = 2; k < n; k++) {
            if (!fds[k].revents) continue;
            struct pair *pr = &pairs[map[k] / 2];
            if (pr->cfd < 0) continue;                  /* closed earlier in this pass */
            bool from_client = map[k] % 2 == 0;
            unsigned char b[65536];
            ssize_t r = recv(from_client ? pr->cfd : pr->sfd, b, sizeof b, 0);
            if (r < 0 && errno == EINTR) continue;
            bool ok = r > 0;
            if (ok) {
                dir_add(from_client ? &pr->up : &pr->down, b, (size_t)r);
                ok = from_client ? pump_up(p, pr) : pump_down(p, pr);
            }
            if (!ok) pair_close(pr);
        }
    }
    for (int i = 0; i < MAX_PAIRS; i++)
        if (pairs[i].cfd >= 0) pair_close(&pairs[i]);
    return NULL;
}

void pg_proxy_start(struct pg_proxy *p, const char *upstream_url)
{
    memset(p, 0, sizeof *p);
    /* postgresql://USER@127.0.0.1:PORT/DB */
    const char *at = strchr(upstream_url, '@');
    const char *colon = at ? strchr(at, ':') : NULL;
    const char *slash = colon ? strchr(colon, '/') : NULL;
    if (!at || !colon || !slash || strncmp(at + 1, "127.0.0.1:", 10)) FAIL("pg_proxy: unexpected URL %s", upstream_url);
    p->upstream_port = atoi(colon + 1);
    p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(p->listen_fd, 64) < 0 ||
        getsockname(p->listen_fd, (struct sockaddr *)&a, &alen) < 0)
        FAIL("pg_proxy: cannot listen: %s", strerror(errno));
    p->port = ntohs(a.sin_port);
    snprintf(p->url, sizeof p->url, "%.*s127.0.0.1:%d%s?sslmode=disable&gssencmode=disable",
             (int)(at + 1 - upstream_url), upstream_url, p->port, slash);
    if (pipe2(p->wake, O_CLOEXEC) < 0) FAIL("pg_proxy: pipe: %s", strerror(errno));
    pthread_mutex_init(&p->mu, NULL);
    if (pthread_create(&p->thread, NULL, relay, p)) FAIL("pg_proxy: cannot start its thread");
    it_log("pg_proxy: 127.0.0.1:%d relays to port %d", p->port, p->upstream_port);
}

void pg_proxy_arm(struct pg_proxy *p, const char *stmt, const char *drop_channel)
{
    pthread_mutex_lock(&p->mu);
    snprintf(p->armed_stmt, sizeof p->armed_stmt, "%s", stmt);
    snprintf(p->drop_channel, sizeof p->drop_channel, "%s", drop_channel ? drop_channel : "");
    p->drop_armed = false;
    pthread_mutex_unlock(&p->mu);
}

void pg_proxy_hold(struct pg_proxy *p, const char *stmt)
{
    pthread_mutex_lock(&p->mu);
    snprintf(p->hold_stmt, sizeof p->hold_stmt, "%s", stmt);
    p->hold_done = 0;
    pthread_mutex_unlock(&p->mu);
}

/* A counter or flag the relay's thread writes, read under its lock. */
static int read_locked(struct pg_proxy *p, const int *v)
{
    pthread_mutex_lock(&p->mu);
    int n = *v;
    pthread_mutex_unlock(&p->mu);
    return n;
}

bool pg_proxy_held(struct pg_proxy *p) { return read_locked(p, &p->hold_done) != 0; }

void pg_proxy_release(struct pg_proxy *p)
{
    if (write(p->wake[1], "r", 1) != 1) FAIL("pg_proxy: cannot wake its thread");
}

int pg_proxy_cuts(struct pg_proxy *p) { return read_locked(p, &p->cuts); }

int pg_proxy_dropped(struct pg_proxy *p) { return read_locked(p, &p->dropped); }

void pg_proxy_stop(struct pg_proxy *p)
{
    if (write(p->wake[1], "x", 1) != 1) FAIL("pg_proxy: cannot wake its thread");
    pthread_join(p->thread, NULL);
    close(p->wake[0]);
    close(p->wake[1]);
    close(p->listen_fd);
    pthread_mutex_destroy(&p->mu);
}
