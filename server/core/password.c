/* password.c — see password.h. Parameters follow OWASP's argon2id minimum (m = 19 MiB,
 * t = 2, p = 1): about 20-40 ms per hash on one core. */
#include "core/password.h"

#include <argon2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/log.h"

#define T_COST 2
#define M_COST (19 * 1024)
#define PARALLELISM 1
#define SALT_LEN 16
#define HASH_LEN 32

struct pw_work {
    uv_work_t req;
    bool verify;
    char *password;
    char encoded[PASSWORD_HASH_MAX];
    bool ok;
    password_hash_fn hash_cb;
    password_verify_fn verify_cb;
    void *arg;
};

static void work(uv_work_t *req)
{
    struct pw_work *w = req->data;
    size_t pwlen = strlen(w->password);
    if (w->verify) {
        w->ok = argon2id_verify(w->encoded, w->password, pwlen) == ARGON2_OK;
    } else {
        unsigned char salt[SALT_LEN];
        if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt) { w->ok = false; return; }
        w->ok = argon2id_hash_encoded(T_COST, M_COST, PARALLELISM, w->password, pwlen, salt,
                                      SALT_LEN, HASH_LEN, w->encoded, sizeof w->encoded) == ARGON2_OK;
    }
}

static void done(uv_work_t *req, int status)
{
    struct pw_work *w = req->data;
    explicit_bzero(w->password, strlen(w->password));
    free(w->password);
    if (status != 0) w->ok = false;
    if (w->verify) w->verify_cb(w->arg, w->ok);
    else w->hash_cb(w->arg, w->ok ? w->encoded : NULL);
    explicit_bzero(w->encoded, sizeof w->encoded);
    free(w);
}

static struct pw_work *work_new(const char *password)
{
    struct pw_work *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->req.data = w;
    w->password = strdup(password);
    if (!w->password) abort();
    return w;
}

void password_hash(uv_loop_t *loop, const char *password, password_hash_fn cb, void *arg)
{
    struct pw_work *w = work_new(password);
    w->hash_cb = cb;
    w->arg = arg;
    if (uv_queue_work(loop, &w->req, work, done)) abort();
}

void password_verify(uv_loop_t *loop, const char *encoded, const char *password,
                     password_verify_fn cb, void *arg)
{
    struct pw_work *w = work_new(password);
    w->verify = true;
    w->verify_cb = cb;
    w->arg = arg;
    if (strlen(encoded) >= sizeof w->encoded) {
        w->encoded[0] = 0;       /* argon2 rejects it: a non-match */
    } else {
        strcpy(w->encoded, encoded);
    }
    if (uv_queue_work(loop, &w->req, work, done)) abort();
}
