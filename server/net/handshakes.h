/* handshakes.h — the accepted connections whose first HTTP request (a WebSocket upgrade or a
 * page) has not been read yet, by descriptor, and a cap on how many there may be. Pure: no
 * sockets, no clock of its own.
 *
 * Why a cap (issue 15, joins): libwebsockets 4.1 arms a timeout on every connection while it
 * holds its headers (PENDING_TIMEOUT_HOLDING_AH, lib/roles/http/parsers.c) and keeps all such
 * timeouts in ONE sorted list that it inserts into by walking from the head. Every new
 * connection's deadline is the latest, so each accept walked every connection still in its
 * handshake: under a join burst the handshakes queue up, each insert walks longer, the loop
 * falls further behind and more of them queue (perf: 35 % of boothd's CPU in
 * lws_dll2_add_sorted at 2,000 joins/s). With at most `cap` in flight, an insert walks at most
 * `cap` entries and the rest wait in the kernel's listen backlog, where waiting costs no CPU.
 *
 * Use (net/ws.c): begin() when a socket is accepted and handed to lws, end() when its first
 * request was read (the upgrade filter or the HTTP callback) or it closed, full() before
 * accepting more, and expire() for handshakes older than a second: a slow or hostile client
 * (headers sent a byte at a time) must not hold accepting shut, nor a connection lws dropped
 * without a callback that reached us hold a slot for ever. A few hundred slow ones in lws's
 * list cost a walk of that length per accept, which is bounded; the thousands of a backlog
 * that the loop could not keep up with were not.
 *
 * Ownership: the caller owns the struct (handshakes_new/handshakes_free). One thread. */
#ifndef BOOTHD_HANDSHAKES_H
#define BOOTHD_HANDSHAKES_H

#include <stdbool.h>
#include <stdint.h>

struct handshakes;

/* cap: most in flight at once (>= 1); max_fd: descriptors are in [0, max_fd). */
struct handshakes *handshakes_new(unsigned cap, int max_fd);
void handshakes_free(struct handshakes *h);

/* fd was accepted at now_ms. A descriptor already in flight (closed without end() and reused)
 * is counted once, from now. Descriptors outside [0, max_fd) are not tracked. */
void handshakes_begin(struct handshakes *h, int fd, uint64_t now_ms);
/* fd's first request was read, or it closed. No-op when fd is not in flight. Returns true
 * when this end took the count from full back to below the cap's resume mark (accepting may
 * start again). */
bool handshakes_end(struct handshakes *h, int fd);
/* Ends every handshake older than max_age_ms; returns how many. Returns true in *resume
 * under the same rule as handshakes_end. */
unsigned handshakes_expire(struct handshakes *h, uint64_t now_ms, uint64_t max_age_ms, bool *resume);

unsigned handshakes_in_flight(const struct handshakes *h);
/* At the cap: stop accepting. Accepting resumes below 3/4 of the cap (hysteresis, so the
 * listening socket is not stopped and started for every single connection). */
bool handshakes_full(const struct handshakes *h);
/* Whether fd is in flight (for tests and logs). */
bool handshakes_pending(const struct handshakes *h, int fd);

#endif
