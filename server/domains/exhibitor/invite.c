/* invite.c — the invite page's two calls, open to sessions that are not signed in:
 * invite.get (which booth invites which address) and invite.accept (become staff of it).
 * Both are in the `auth` rate class, like password checks; a token is 256 random bits, so the
 * limit is against load, not guessing. Unknown, used, revoked and expired tokens all read as
 * not_found.
 *
 * Accepting signed out creates the invited address's account (name, password: argon2id on the
 * thread pool, as auth.register) and signs the session in with a new session token; an address
 * that already has an account must sign in first and accept signed in (the account's address
 * must be the invited one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/session.h"
#include "core/password.h"
#include "domains/auth/token.h"
#include "domains/exhibitor/ex_internal.h"
#include "util/text.h"
#include "util/validate.h"

#define SESSION_TOKEN_DAYS 30      /* as auth.register's tokens */

static struct db_stmt q_get = DB_STMT("ex_invite_get", "SELECT exhibitor_invite_get($1::bytea)::text");
static struct db_stmt q_accept = DB_STMT("ex_invite_accept",
    "SELECT exhibitor_invite_accept($1::bytea, $2, $3, $4, $5::bytea, $6)::text");

/* The invite token's hash as a bytea parameter; answers not_found for a malformed token. */
static int token_param(struct request *r, char bytea[TOKEN_HASH_HEX_LEN + 3])
{
    char err[200];
    const char *token;
    if (proto_get_string(r->data, "token", true, 1, 100, &token, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    if (!token_well_formed(token)) {
        request_error(r, PROTO_NOT_FOUND, "this invitation link is not valid (any more)");
        return -1;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1];
    token_hash_hex(token, hex);
    token_hash_bytea(hex, bytea);
    return 0;
}

/* {token} -> {booth: {id, slug, name, logo_url}, email, expires_at, account_exists} */
void ex_invite_get(struct request *r)
{
    char bytea[TOKEN_HASH_HEX_LEN + 3];
    if (token_param(r, bytea)) return;
    const char *p[] = {bytea};
    ex_run(r, &q_get, 1, p, NULL, NULL, NULL);
}

struct accept {
    struct request *r;
    char invite[TOKEN_HASH_HEX_LEN + 3];       /* bytea parameter of the invite token hash */
    char token[TOKEN_LEN + 1];                  /* the new session token (signed-out accept) */
    char hash_hex[TOKEN_HASH_HEX_LEN + 1];
    char *name;
    char *password;                             /* until it is handed to the hash */
};

static void accept_free(void *arg)
{
    struct accept *x = arg;
    explicit_bzero(x->token, sizeof x->token);
    if (x->password) explicit_bzero(x->password, strlen(x->password));
    free(x->password);
    free(x->name);
    free(x);
}

static unsigned role_bit(const cJSON *user)
{
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(user, "role");
    if (cJSON_IsString(role) && !strcmp(role->valuestring, "organizer")) return ROLE_ORGANIZER;
    return ROLE_EXHIBITOR;
}

/* The session is (now) the accepting account, with the role the function left it. */
static void on_accepted(struct request *r, cJSON *data, void *arg)
{
    struct accept *x = arg;
    const cJSON *user = cJSON_GetObjectItemCaseSensitive(data, "user");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(user, "id");
    if (!session_is_open(r->s) || !cJSON_IsNumber(id)) return;
    if (x->token[0]) {
        session_set_identity(r->s, (int64_t)id->valuedouble, ROLE_EXHIBITOR, x->name, NULL, x->hash_hex);
        cJSON_AddStringToObject(data, "token", x->token);
    } else {
        /* at once for this session; the account's other sessions follow the 'joined' NOTIFY */
        ex_session_set_role(r->s, role_bit(user));
    }
}

static void run_accept(struct accept *x, const char *password_hash)
{
    struct request *r = x->r;
    char acc[REQUEST_INT_LEN], days[REQUEST_INT_LEN], bytea[TOKEN_HASH_HEX_LEN + 3] = "";
    if (x->token[0]) token_hash_bytea(x->hash_hex, bytea);
    const char *p[] = {x->invite, r->s->account_id ? request_int(acc, r->s->account_id) : NULL, x->name,
                       password_hash, x->token[0] ? bytea : NULL, request_int(days, SESSION_TOKEN_DAYS)};
    ex_run(r, &q_accept, 6, p, on_accepted, x, accept_free);
}

static void on_hashed(void *arg, const char *encoded);

static void on_checked(void *arg, const struct db_result *res)
{
    struct accept *x = arg;
    struct request *r = x->r;
    cJSON *data = ex_answer_data(r, res);
    if (!data) { accept_free(x); return; }
    int exists = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "account_exists"));
    cJSON_Delete(data);
    if (exists) {
        request_error(r, PROTO_CONFLICT, "an account with this address exists: sign in with it, then accept");
        accept_free(x);
        return;
    }
    if (token_new(x->token)) { request_error(r, PROTO_INTERNAL, "internal error"); accept_free(x); return; }
    token_hash_hex(x->token, x->hash_hex);
    char *password = x->password;
    x->password = NULL;
    password_hash(&r->app->loop, password, on_hashed, x);
    explicit_bzero(password, strlen(password));
    free(password);
}

static void on_hashed(void *arg, const char *encoded)
{
    struct accept *x = arg;
    if (!encoded) { request_error(x->r, PROTO_INTERNAL, "internal error"); accept_free(x); return; }
    run_accept(x, encoded);
}

/* {token, name?, password?} -> {booth_id, user, token?}. Signed out: name (1-200) and
 * password (8-200) are required and `token` is the new session token. */
void ex_invite_accept(struct request *r)
{
    struct accept *x = calloc(1, sizeof *x);
    if (!x) abort();
    x->r = r;
    if (token_param(r, x->invite)) { accept_free(x); return; }
    if (r->s->account_id) { run_accept(x, NULL); return; }
    const char *name = NULL, *password = NULL;
    char err[200];
    cJSON *errors = cJSON_CreateObject();
    if (proto_get_string(r->data, "name", false, 0, 20000, &name, err, sizeof err) ||
        proto_get_string(r->data, "password", false, 0, 20000, &password, err, sizeof err)) {
        cJSON_Delete(errors);
        accept_free(x);
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    x->name = text_clean(name ? name : "");
    for (char *c = x->name; *c; c++) if (*c == '\n') *c = ' ';
    int e = validate_text_len(x->name, 1, 200);
    if (e) cJSON_AddStringToObject(errors, "name", validate_err_code(e));
    e = validate_text_len(password, 8, 200);
    if (e) cJSON_AddStringToObject(errors, "password", validate_err_code(e));
    if (cJSON_GetArraySize(errors)) {
        accept_free(x);
        request_error_fields(r, errors, "check the marked fields");
        return;
    }
    cJSON_Delete(errors);
    x->password = strdup(password);
    if (!x->password) abort();
    /* The invite must be usable and its address free before the deliberately slow hash runs:
     * a stream of dead links costs one index probe each, not an argon2 computation. */
    const char *p[] = {x->invite};
    if (request_query(r, &q_get, 1, p, on_checked, x)) accept_free(x);
}
