/* password.h — argon2id hashing and verification on the libuv thread pool, so the
 * deliberately slow hash never blocks the event loop. The password is copied, and the
 * copy is wiped when the work is done. Callbacks run on the loop thread. */
#ifndef BOOTHD_PASSWORD_H
#define BOOTHD_PASSWORD_H

#include <stdbool.h>
#include <uv.h>

#define PASSWORD_HASH_MAX 160

/* encoded is NULL when hashing failed. */
typedef void (*password_hash_fn)(void *arg, const char *encoded);
typedef void (*password_verify_fn)(void *arg, bool match);

void password_hash(uv_loop_t *loop, const char *password, password_hash_fn cb, void *arg);
/* A malformed `encoded` is a non-match. */
void password_verify(uv_loop_t *loop, const char *encoded, const char *password,
                     password_verify_fn cb, void *arg);

#endif
