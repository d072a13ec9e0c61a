/* sendfloor.c — boothd-sendfloor: the kernel's floor under boothd's CPU per delivery (issue 15).
 *
 * The fan-out benchmark charges boothd about 4 µs of CPU per delivered chat event, and perf puts
 * 80 % of it in the kernel: the send() and, because the peers are on loopback, the receiving
 * side's TCP too (softirq work done in the sender's time). This tool measures that floor with
 * nothing of boothd in the way: one process sends small WebSocket text frames round-robin to
 * many loopback TCP connections, `--per-send` frames per send(), as fast as it can or at a
 * given rate of frames per second; a forked receiver reads them all with epoll, as the load
 * generator does. It prints the sender's CPU per frame (user + system, from getrusage), which
 * is what the fan-out benchmark's "server CPU per delivery" counts for boothd.
 *
 *   boothd-sendfloor [--conns 2000] [--bytes 200] [--per-send 1] [--rate 200000] [--seconds 5]
 *
 * --rate 0 sends flat out. Loopback only (127.0.0.1), stops by itself. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wsproto.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* The receiver: accepts n connections, then reads until every one is closed. Prints its CPU. */
static void receive(int lfd, int n)
{
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    for (int i = 0; i < n; i++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) die("accept");
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) die("epoll_ctl");
    }
    close(lfd);
    static char buf[65536];
    struct epoll_event evs[256];
    int open = n;
    double cpu0 = cpu_s(RUSAGE_SELF);
    while (open > 0) {
        int k = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < k; i++) {
            ssize_t r = recv(evs[i].data.fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                close(evs[i].data.fd);
                open--;
            }
        }
    }
    fprintf(stderr, "receiver: %.3f s of CPU\n", cpu_s(RUSAGE_SELF) - cpu0);
    exit(0);
}

int main(int argc, char **argv)
{
    int conns = 2000, bytes = 200, per_send = 1;
    double rate = 200000, seconds = 5;
    if (argc % 2 == 0) {
        fprintf(stderr, "usage: boothd-sendfloor [--conns N] [--bytes B] [--per-send K] [--rate R] [--seconds S]\n");
        return 2;
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--conns")) conns = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--bytes")) bytes = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--per-send")) per_send = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--rate")) rate = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (conns < 1 || conns > 15000 || bytes < 3 || bytes > 65536 || per_send < 1 || per_send > 64 ||
        rate < 0 || seconds <= 0 || seconds > 60) {
        fprintf(stderr, "out of range: --conns 1..15000, --bytes 3..65536, --per-send 1..64, --seconds ..60\n");
        return 2;
    }
    /* each frame `bytes` long, header included: the payload that the shortest header fits */
    size_t frame = (size_t)bytes, payload = 0;
    static const size_t header_sizes[] = {2, 4, 10};
    for (size_t i = 0; i < 3 && !payload; i++) {
        size_t h = header_sizes[i];
        if (frame > h && ws_frame_header_size(frame - h, false) == h) payload = frame - h;
    }
    if (!payload) {
        fprintf(stderr, "no frame is exactly %d bytes long (its header grows past it): pick another --bytes\n", bytes);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 4096) ||
        getsockname(lfd, (struct sockaddr *)&a, &al))
        die("listen");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) receive(lfd, conns);
    close(lfd);

    int *fd = malloc(sizeof *fd * (size_t)conns);
    if (!fd) die("malloc");
    for (int i = 0; i < conns; i++) {
        fd[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fd[i] < 0 || connect(fd[i], (struct sockaddr *)&a, sizeof a)) die("connect");
        int one = 1;
        setsockopt(fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);   /* as boothd's sockets */
    }
    /* per_send text frames, headers written by ws_proto (tests/support/wsproto.h) */
    size_t len = frame * (size_t)per_send;
    unsigned char *buf = malloc(len);
    if (!buf) die("malloc");
    for (int k = 0; k < per_send; k++) {
        unsigned char *f = buf + (size_t)k * frame;
        size_t h = ws_frame_header_write(f, 0x80 | WS_TEXT, payload, NULL);
        memset(f + h, 'x', payload);
    }

    sleep(1);                                   /* the receiver has accepted everything */
    double t0 = now_s(), cpu0 = cpu_s(RUSAGE_SELF), next = t0;
    uint64_t sends = 0, short_writes = 0;
    int at = 0;
    /* paced in 1-ms ticks: each tick writes the frames the rate allows since the start */
    for (;;) {
        double t = now_s();
        if (t - t0 >= seconds) break;
        uint64_t due = rate > 0 ? (uint64_t)((t - t0) * rate / per_send) : sends + (uint64_t)conns;
        while (sends < due) {
            ssize_t w = send(fd[at], buf, len, MSG_DONTWAIT);
            if (w != (ssize_t)len) short_writes++;
            sends++;
            if (++at == conns) at = 0;
        }
        if (rate > 0) {
            next += 0.001;
            double d = next - now_s();
            if (d > 0) {
                struct timespec ts = {0, (long)(d * 1e9)};
                nanosleep(&ts, NULL);
            }
        }
    }
    double wall = now_s() - t0, cpu = cpu_s(RUSAGE_SELF) - cpu0;
    uint64_t frames = sends * (uint64_t)per_send;
    for (int i = 0; i < conns; i++) close(fd[i]);
    int status;
    waitpid(child, &status, 0);
    printf("sendfloor: %d conns, %d-byte frames, %d per send(): %.0f frames/s (%.0f sends/s), sender CPU %.1f %%, "
           "%.2f us per frame, %llu short writes\n",
           conns, bytes, per_send, (double)frames / wall, (double)sends / wall, 100 * cpu / wall,
           frames ? 1e6 * cpu / (double)frames : 0.0, (unsigned long long)short_writes);
    printf("{\"tool\":\"sendfloor\",\"conns\":%d,\"bytes\":%d,\"per_send\":%d,\"rate\":%.0f,\"frames_per_s\":%.0f,"
           "\"sender_cpu_pct\":%.1f,\"us_per_frame\":%.3f,\"short_writes\":%llu}\n",
           conns, bytes, per_send, rate, (double)frames / wall, 100 * cpu / wall,
           frames ? 1e6 * cpu / (double)frames : 0.0, (unsigned long long)short_writes);
    free(buf);
    free(fd);
    return 0;
}
