/* login_throttle.h — failed sign-ins counted per account and per client address in
 * PostgreSQL (table login_throttle, shared by every node) and judged by util/throttle.h, so
 * that guessing a password over many connections or nodes is slowed down as much as over one,
 * without touching other accounts' sign-ins.
 *
 * Order of a sign-in (auth.c): login_throttle_begin() reads both keys; when either refuses,
 * the request is answered `rate_limited` with error.retry_after_ms and the password is not
 * looked at (no argon2 work either). Otherwise the attempt is counted as a failure before the
 * password is checked, so parallel attempts racing through one free moment each count; a
 * right password then calls login_throttle_success(), which clears the account's count and
 * takes this attempt back from the address's. One log line marks the start of each throttled
 * burst (a key's count passing its free failures); the e-mail address is never logged. */
#ifndef BOOTHD_LOGIN_THROTTLE_H
#define BOOTHD_LOGIN_THROTTLE_H

#include <stdint.h>

struct app;
struct request;

/* go: 1 = check the password now (the attempt is counted), 0 = refused (the request was
 * already answered: rate_limited or unavailable; the callback must not touch it). */
typedef void (*login_throttle_fn)(void *arg, int go);

/* Starts the check for r (email as given, the session's address). Returns 0 and cb runs
 * later; or -1 when the database cannot take the query: r was answered (`unavailable`) and
 * cb never runs. */
int login_throttle_begin(struct request *r, const char *email, login_throttle_fn cb, void *arg);

/* The password was right: clear the account's count, take the attempt back from the
 * address's. Fire and forget (a lost update only leaves a count that decays). */
void login_throttle_success(struct app *app, const char *email, const char *addr);

#endif
