/* throttle.h — the arithmetic of login throttling (issue 14, item 4): from how many recent
 * failures a key has (an account, or a client address) and when the last one was, whether a
 * login attempt may go ahead now and, if not, after how long. Pure: no clock, no storage.
 *
 * The counts live in PostgreSQL so that every node sees the same ones; this module only
 * decides. Suggested use, per key (do both keys and answer with the larger retry-after):
 *   1. read (failures, last_failure) and call throttle_check(); refused: answer
 *      rate_limited with retry_after_ms, without looking at the password;
 *   2. allowed: count the attempt as a failure *before* verifying the password, atomically
 *      (UPDATE ... SET failures = <throttle_next_failures>, last_failure = now() ...), so
 *      that parallel attempts racing through the same free moment each count;
 *   3. password right: reset the account's row (failures = 0). The address row is reset too
 *      only when its count came from this account, or left to decay.
 * Both times come from one clock (PostgreSQL's clock_timestamp(), in ms), so nodes whose
 * clocks disagree still agree on the delay. Log one line when the stored count goes from
 * free_failures to free_failures + 1 (the start of a throttled burst).
 *
 * The curve: the first free_failures failures cost nothing (typos, a forgotten Caps Lock);
 * the next one must wait base_ms after it, and each further one twice as long, up to max_ms:
 *   account (THROTTLE_ACCOUNT): 5 free, then 1 s, 2 s, 4 s, ... 256 s, then 300 s each.
 *   address (THROTTLE_ADDRESS): 20 free (an expo hall's Wi-Fi puts many buyers behind one
 *            address, and one of them mistyping must not lock out the rest), then 1 s, 2 s,
 *            ... 32 s, then 60 s each.
 * Doubling makes guessing slow at once (10 more guesses after the free ones take 811 s for
 * an account) while a real user who gets in within a few tries never waits; the cap keeps a
 * forgotten password recoverable within minutes rather than locked out (an attacker could
 * otherwise lock any account just by failing on purpose). At the cap an account admits 12
 * guesses an hour. A failure older than window_ms starts the count again; window_ms is at
 * least max_ms so the cap holds for as long as an attack goes on. */
#ifndef BOOTHD_THROTTLE_H
#define BOOTHD_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

struct throttle_policy {
    uint32_t free_failures;   /* failures that cost no delay */
    uint64_t base_ms;         /* delay after failure free_failures + 1 */
    uint64_t max_ms;          /* the cap */
    uint64_t window_ms;       /* a failure older than this no longer counts; >= max_ms */
};

#define THROTTLE_ACCOUNT ((struct throttle_policy){5, 1000, 300000, 3600000})
#define THROTTLE_ADDRESS ((struct throttle_policy){20, 1000, 60000, 3600000})

/* The wait required after the `failures`-th consecutive failure: 0 while failures <=
 * free_failures, then min(max_ms, base_ms * 2^(failures - free_failures - 1)). */
uint64_t throttle_delay_ms(const struct throttle_policy *p, uint32_t failures);

/* Returns true when an attempt may go ahead at now_ms, given `failures` recent failures the
 * last of which was at last_failure_ms; otherwise false with *retry_after_ms > 0, the time
 * left (at most max_ms). A last failure in the future (clock skew) counts as just now.
 * *retry_after_ms is 0 when allowed. retry_after_ms may be NULL. */
bool throttle_check(const struct throttle_policy *p, uint32_t failures, int64_t last_failure_ms,
                    int64_t now_ms, uint64_t *retry_after_ms);

/* The count to store after one more failure at now_ms: 1 when the previous failure is older
 * than window_ms (or there was none), else failures + 1 (saturating). */
uint32_t throttle_next_failures(const struct throttle_policy *p, uint32_t failures,
                                int64_t last_failure_ms, int64_t now_ms);

#endif
