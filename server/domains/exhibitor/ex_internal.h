/* ex_internal.h — what the exhibitor domain's files share: its state, the one way its handlers
 * run a checking write function and turn the function's jsonb answer into a reply, and the
 * handlers the route table in exhibitor.c names. Not for other domains (see exhibitor.h). */
#ifndef BOOTHD_EX_INTERNAL_H
#define BOOTHD_EX_INTERNAL_H

#include <cJSON.h>
#include <stdint.h>

#include "core/request.h"
#include "db/db.h"
#include "domains/exhibitor/form.h"
#include "domains/exhibitor/form_reply.h"

#define EX_MAX_ID INT64_C(9007199254740991)

struct app;
struct session;

struct exhibitor {
    struct app *app;
};

/* Runs after a successful function call, before the reply: may add to `data` (the reply's
 * data object) or act on the session (e.g. adopt an identity). */
typedef void (*ex_after_fn)(struct request *r, cJSON *data, void *arg);

/* Runs st, whose single column is the jsonb {"data"} / {"error", "message"?, "fields"?}
 * answer of an exhibitor_* function, and replies (see functions.sql for the shape). `after`
 * (may be NULL) runs with `arg` on success only; `free_arg` (may be NULL) releases arg
 * afterwards in every case, also when the query could not be sent. */
void ex_run(struct request *r, struct db_stmt *st, int n, const char *const *params, ex_after_fn after, void *arg,
            void (*free_arg)(void *arg));

/* The common call shape: st($1 = the id in `id_field`, $2 = the caller's account[, $3 = the id in
 * `extra_field`]), both fields required ids; then as ex_run without a hook. */
void ex_run_ids(struct request *r, struct db_stmt *st, const char *id_field, const char *extra_field);

/* The "data" of such an answer (caller frees), or NULL after replying with its error (or with
 * the database error). */
cJSON *ex_answer_data(struct request *r, const struct db_result *res);

/* Changes a signed-in session's role, keeping its name, company and token. */
void ex_session_set_role(struct session *s, unsigned role);

/* Reads the required id field `name` (>= 1); answers bad_request and returns -1 when missing. */
int ex_get_id(struct request *r, const char *name, int64_t *out);

void ex_booth_profile(struct request *r);
void ex_booth_update(struct request *r);
void ex_product_save(struct request *r);
void ex_product_delete(struct request *r);
void ex_product_reorder(struct request *r);
void ex_team_list(struct request *r);
void ex_team_invite(struct request *r);
void ex_invite_revoke(struct request *r);
void ex_team_remove(struct request *r);
void ex_invite_get(struct request *r);
void ex_invite_accept(struct request *r);

#endif
