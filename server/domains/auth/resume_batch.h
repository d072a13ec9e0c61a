/* resume_batch.h — auth.resume's token lookups, grouped: every resume asked for during a
 * loop turn is looked up with ONE read statement at the end of the turn (the token hashes
 * as one text[] parameter), and each request is answered from its own row. A lookup writes
 * nothing, so it waits for no commit.
 *
 * The tokens' last_used_at is written apart from the lookups (resume_batch_touch): the
 * hashes of the resumed tokens are collected and written at most once per
 * AUTH_TOUCH_EVERY_MS by auth_touch() (functions.sql), which commits without waiting for
 * the WAL flush and skips rows others hold: that write may be lost in a crash, on purpose
 * (docs/architecture.md, "Writes a crash may lose").
 *
 * Owned by the auth domain. */
#ifndef BOOTHD_RESUME_BATCH_H
#define BOOTHD_RESUME_BATCH_H

#include "db/db.h"
#include "domains/auth/token.h"

struct app;
struct request;
struct resume_batch;

/* Answers one resume: status DB_OK and row >= 0: its row in res; DB_OK and row -1: no valid
 * token; else the lookup failed or was not sent in time (res NULL). */
typedef void (*resume_answer_fn)(struct request *r, const char *hash_hex, enum db_status status,
                                 const struct db_result *res, int row);

/* stmt: takes $1 = text[] of hex token hashes, returns column 0 = the element's 0-based
 * index, one row per valid token (and whatever answer() reads by name). */
struct resume_batch *resume_batch_new(struct app *app, struct db_stmt *stmt, resume_answer_fn answer);
void resume_batch_free(struct resume_batch *b);
/* The node begins its graceful stop: sends the collected touches now. */
void resume_batch_stop(struct resume_batch *b);
void resume_batch_submit(struct resume_batch *b, struct request *r, const char hash_hex[TOKEN_HASH_HEX_LEN + 1]);
/* Note that the token was used now (written within AUTH_TOUCH_EVERY_MS, or lost). */
void resume_batch_touch(struct resume_batch *b, const char *hash_hex);

#endif
