/* auth.c — auth.register, auth.login, auth.resume, auth.logout.
 *
 * Passwords are hashed/verified with argon2id on the thread pool (password.c). Tokens are
 * random; only their SHA-256 is stored (token.c). A login with an unknown email still
 * runs one verification against a fixed hash so both failures take the same time and
 * get the same message. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/auth/auth.h"

#include "core/app.h"
#include "util/log.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "core/password.h"
#include "domains/auth/login_throttle.h"
#include "domains/auth/resume_batch.h"
#include "domains/auth/token.h"
#include "domains/booth/booth.h"
#include "domains/organizer/organizer_sql.h"
#include "util/text.h"

#define TOKEN_DAYS "30"

/* The booths an exhibitor staffs, for the exhibitor desk: user.booths. */
#define SQL_USER_BOOTHS(acc) \
    "(SELECT coalesce(json_agg(json_build_object('id', b.id, 'slug', b.slug," \
    " 'name', json_build_object('en', b.name_en, 'ko', b.name_ko), 'time_zone', b.time_zone) ORDER BY b.id), '[]')::text" \
    " FROM booth_staff s JOIN booths b ON b.id = s.booth_id WHERE s.account_id = " acc ")"


static struct db_stmt q_register = DB_STMT("auth_register",
    "WITH a AS (INSERT INTO accounts (email, password_hash, name, company, country, lang, role)"
    "   VALUES ($1, $2, $3, $4, $5, $6, 'visitor') ON CONFLICT (lower(email)) DO NOTHING"
    "   RETURNING id, name, role, lang, company),"
    " t AS (INSERT INTO auth_tokens (token_hash, account_id, expires_at)"
    "   SELECT $7::bytea, id, now() + interval '" TOKEN_DAYS " days' FROM a)"
    " SELECT id, name, role, lang, company, '[]' AS booths FROM a");
/* A banned account is found too (ban: its ban, else NULL): it is told so only after its
 * password was verified. */
static struct db_stmt q_find = DB_STMT("auth_find",
    "SELECT id, password_hash, name, role, lang, company, " SQL_USER_BOOTHS("accounts.id") " AS booths,"
    " " SQL_BAN_JSON("accounts.id") " AS ban FROM accounts"
    " WHERE lower(email) = lower($1) AND disabled_at IS NULL");
static struct db_stmt q_token = DB_STMT("auth_token",
    "INSERT INTO auth_tokens (token_hash, account_id, expires_at)"
    " VALUES ($1::bytea, $2, now() + interval '" TOKEN_DAYS " days')");
/* The lookups of every auth.resume of one loop turn (resume_batch.h): $1 = the token hashes
 * (hex) as text[]; one row per valid token of an account that is not disabled, idx = the
 * element's position. Read only: last_used_at is written apart (resume_batch_touch). The ban
 * is returned as a column (`ban`, SQL_BAN_JSON) and judged in one place below (resume_refused). */
static struct db_stmt q_resume = DB_STMT_GENERIC("auth_resume",
    "SELECT u.ord - 1 AS idx, a.id, a.name, a.role, a.lang, a.company, " SQL_USER_BOOTHS("a.id") " AS booths,"
    " " SQL_BAN_JSON("a.id") " AS ban"
    " FROM unnest($1::text[]) WITH ORDINALITY AS u(h, ord)"
    /* One probe of the primary key per token. As a plain join, the planner, misled by
     * statistics a burst of sign-ins had outdated, read every unexpired token and hashed the
     * batch against them: each batch cost as much as the number of live tokens (19,000 per
     * batch in the joins benchmark). LIMIT 1 keeps the subquery from being flattened back. */
    " CROSS JOIN LATERAL (SELECT t.account_id FROM auth_tokens t"
    "   WHERE " SQL_TOKEN_VALID("t", "decode(u.h, 'hex')") " LIMIT 1) t"
    " JOIN accounts a ON a.id = t.account_id"
    " WHERE a.disabled_at IS NULL");
/* After auth_resume found nothing: is the token one of a banned account, valid but for the ban
 * or revoked by it (the ban revokes the account's tokens)? Row: the ban as SQL_BAN_JSON. */
static struct db_stmt q_resume_ban = DB_STMT("auth_resume_ban",
    "SELECT " SQL_BAN_JSON("a.id") " FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    " WHERE t.token_hash = $1::bytea AND t.expires_at > now() AND a.disabled_at IS NULL"
    " AND (t.revoked_at IS NULL OR EXISTS (SELECT 1 FROM bans bn WHERE " SQL_BAN_IN_FORCE("a.id")
    "   AND t.revoked_at >= bn.created_at))");
static struct db_stmt q_logout = DB_STMT("auth_logout",
    "WITH t AS (UPDATE auth_tokens SET revoked_at = now() WHERE token_hash = $1::bytea"
    "   AND revoked_at IS NULL RETURNING 1)"
    " SELECT pg_notify('" AUTH_REVOKE_CHANNEL "', $2) FROM t");

struct auth {
    struct app *app;
    struct resume_batch *resumes;
    /* A valid argon2id hash of a random string: verification against it always fails but
     * costs the same as a real one. Computed at the first login. */
    char dummy_hash[PASSWORD_HASH_MAX];
};

static unsigned role_from_text(const char *role)
{
    if (!strcmp(role, "organizer")) return ROLE_ORGANIZER;
    if (!strcmp(role, "exhibitor")) return ROLE_EXHIBITOR;
    return ROLE_VISITOR;
}

/* The columns of a user row (auth_register, auth_find, auth_resume), by name. */
struct user_cols { int id, name, role, lang, company, booths; };

static struct user_cols user_cols(const struct db_result *res)
{
    return (struct user_cols){db_result_col(res, "id"), db_result_col(res, "name"), db_result_col(res, "role"),
                              db_result_col(res, "lang"), db_result_col(res, "company"), db_result_col(res, "booths")};
}

/* Answers `banned` {reason, until} (ban_json: SQL_BAN_JSON) and frees r. Only for a caller who
 * proved the account is theirs (its password or a token of it). */
static void answer_banned(struct request *r, const char *ban_json)
{
    request_error_detail(r, PROTO_BANNED, cJSON_Parse(ban_json), "this account is suspended by the organizers");
}

/* The `user` object of the replies: {id, name, role, lang, company?, booths}. */
static cJSON *user_json(const struct db_result *res, int row)
{
    struct user_cols c = user_cols(res);
    cJSON *u = cJSON_CreateObject();
    cJSON_AddNumberToObject(u, "id", (double)db_result_int64(res, row, c.id));
    cJSON_AddStringToObject(u, "name", db_result_value(res, row, c.name));
    cJSON_AddStringToObject(u, "role", db_result_value(res, row, c.role));
    cJSON_AddStringToObject(u, "lang", db_result_value(res, row, c.lang));
    if (!db_result_isnull(res, row, c.company)) cJSON_AddStringToObject(u, "company", db_result_value(res, row, c.company));
    cJSON_AddRawToObject(u, "booths", db_result_value(res, row, c.booths));
    return u;
}

/* Signing in as someone else on a session that is inside booths: leave them first, so
 * presence never counts the previous account. */
static void leave_booths_if_other(struct request *r, int64_t account_id)
{
    if (r->s->account_id && r->s->account_id != account_id)
        booth_leave_all(r->app, r->s);
}

static void adopt(struct request *r, const struct db_result *res, int row, const char *hash_hex)
{
    struct user_cols c = user_cols(res);
    leave_booths_if_other(r, db_result_int64(res, row, c.id));
    session_set_identity(r->s, db_result_int64(res, row, c.id), role_from_text(db_result_value(res, row, c.role)),
                         db_result_value(res, row, c.name),
                         db_result_isnull(res, row, c.company) ? NULL : db_result_value(res, row, c.company), hash_hex);
}

static bool email_valid(const char *e)
{
    size_t l = strlen(e);
    const char *at = strchr(e, '@');
    if (l < 3 || l > 254 || !at || at == e || !at[1] || strchr(at + 1, '@')) return false;
    if (!strchr(at + 1, '.')) return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) return false;
    return true;
}

/* ---------- register ---------- */

struct reg {
    struct request *r;
    char token[TOKEN_LEN + 1];
    char hash_hex[TOKEN_HASH_HEX_LEN + 1];
    char *name, *company, *country;
    const char *email, *lang;
};

static void reg_free(struct reg *g)
{
    explicit_bzero(g->token, sizeof g->token);
    free(g->name); free(g->company); free(g->country);
    free(g);
}

static void on_registered(void *arg, const struct db_result *res)
{
    struct reg *g = arg;
    struct request *r = g->r;
    if (db_result_status(res) != DB_OK) {
        request_db_error(r, res);
    } else if (db_result_rows(res) == 0) {
        request_error(r, PROTO_CONFLICT, "this email is already registered; sign in instead");
    } else if (!session_is_open(r->s)) {
        request_error(r, PROTO_UNAVAILABLE, "session closed");
    } else {
        adopt(r, res, 0, g->hash_hex);
        log_info("session %llu: registered account %lld", (unsigned long long)r->s->id, (long long)r->s->account_id);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "token", g->token);
        cJSON_AddItemToObject(d, "user", user_json(res, 0));
        request_ok(r, d);
    }
    reg_free(g);
}

static void on_reg_hash(void *arg, const char *encoded)
{
    struct reg *g = arg;
    if (!encoded) { request_error(g->r, PROTO_INTERNAL, "internal error"); reg_free(g); return; }
    char bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_bytea(g->hash_hex, bytea);
    const char *p[] = {g->email, encoded, g->name, g->company, g->country, g->lang, bytea};
    if (request_query(g->r, &q_register, 7, p, on_registered, g)) reg_free(g);
}

static char *clean_opt(const char *s) { return s ? text_clean(s) : NULL; }

static void handle_register(struct request *r)
{
    char err[200];
    const char *email, *password, *name, *company, *country, *lang;
    if (proto_get_string(r->data, "email", true, 3, 254, &email, err, sizeof err) ||
        proto_get_string(r->data, "password", true, 8, 200, &password, err, sizeof err) ||
        proto_get_string(r->data, "name", true, 1, 200, &name, err, sizeof err) ||
        proto_get_string(r->data, "company", false, 0, 200, &company, err, sizeof err) ||
        proto_get_string(r->data, "country", false, 0, 64, &country, err, sizeof err) ||
        proto_get_string(r->data, "lang", false, 2, 2, &lang, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!email_valid(email)) { request_error(r, PROTO_BAD_REQUEST, "'email' is not a valid address"); return; }
    if (lang && strcmp(lang, "en") && strcmp(lang, "ko")) { request_error(r, PROTO_BAD_REQUEST, "'lang' must be \"en\" or \"ko\""); return; }
    if (r->s->account_id) { request_error(r, PROTO_CONFLICT, "already signed in; sign out first"); return; }
    struct reg *g = calloc(1, sizeof *g);
    if (!g) abort();
    g->r = r;
    g->email = email;
    g->lang = lang ? lang : "en";
    g->name = text_clean(name);
    g->company = clean_opt(company);
    g->country = clean_opt(country);
    if (!*g->name) { reg_free(g); request_error(r, PROTO_BAD_REQUEST, "'name' is required"); return; }
    if (token_new(g->token)) { reg_free(g); request_error(r, PROTO_INTERNAL, "internal error"); return; }
    token_hash_hex(g->token, g->hash_hex);
    password_hash(&r->app->loop, password, on_reg_hash, g);
}

/* ---------- login ---------- */

struct login {
    struct request *r;
    int64_t account_id;
    char *user_json;              /* printed user object, kept until the token is stored */
    char *ban;                    /* SQL_BAN_JSON of a banned account, else NULL */
    char token[TOKEN_LEN + 1];
    char hash_hex[TOKEN_HASH_HEX_LEN + 1];
    char *name, *company;
    unsigned role;
};

static void login_free(struct login *l)
{
    explicit_bzero(l->token, sizeof l->token);
    free(l->user_json); free(l->name); free(l->company); free(l->ban);
    free(l);
}

static void on_token_stored(void *arg, const struct db_result *res)
{
    struct login *l = arg;
    struct request *r = l->r;
    if (db_result_status(res) != DB_OK) {
        request_db_error(r, res);
    } else if (!session_is_open(r->s)) {
        request_error(r, PROTO_UNAVAILABLE, "session closed");
    } else {
        leave_booths_if_other(r, l->account_id);
        session_set_identity(r->s, l->account_id, l->role, l->name, l->company, l->hash_hex);
        log_info("session %llu: signed in as account %lld", (unsigned long long)r->s->id, (long long)l->account_id);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "token", l->token);
        cJSON_AddRawToObject(d, "user", l->user_json);
        request_ok(r, d);
    }
    login_free(l);
}

static void on_verified(void *arg, bool match)
{
    struct login *l = arg;
    if (!match || !l->account_id) {
        request_error(l->r, PROTO_UNAUTHORIZED, "wrong email or password");
        login_free(l);
        return;
    }
    const char *email = NULL;
    proto_get_string(l->r->data, "email", true, 1, 254, &email, (char[8]){0}, 8);
    if (email) login_throttle_success(l->r->app, email, l->r->s->peer);
    if (l->ban) { answer_banned(l->r, l->ban); login_free(l); return; }
    if (token_new(l->token)) { request_error(l->r, PROTO_INTERNAL, "internal error"); login_free(l); return; }
    token_hash_hex(l->token, l->hash_hex);
    char bytea[TOKEN_HASH_HEX_LEN + 3], id[24];
    token_hash_bytea(l->hash_hex, bytea);
    snprintf(id, sizeof id, "%lld", (long long)l->account_id);
    const char *p[] = {bytea, id};
    if (request_query(l->r, &q_token, 2, p, on_token_stored, l)) login_free(l);
}

static void on_found(void *arg, const struct db_result *res)
{
    struct login *l = arg;
    struct request *r = l->r;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); login_free(l); return; }
    const char *pw;
    proto_get_string(r->data, "password", true, 1, 200, &pw, (char[8]){0}, 8);
    const struct auth *a = r->self;
    const char *hash = a->dummy_hash;
    if (db_result_rows(res) == 1) {
        struct user_cols c = user_cols(res);
        l->account_id = db_result_int64(res, 0, c.id);
        hash = db_result_value(res, 0, db_result_col(res, "password_hash"));
        l->name = strdup(db_result_value(res, 0, c.name));
        l->role = role_from_text(db_result_value(res, 0, c.role));
        l->company = db_result_isnull(res, 0, c.company) ? NULL : strdup(db_result_value(res, 0, c.company));
        int ban = db_result_col(res, "ban");
        if (!db_result_isnull(res, 0, ban)) l->ban = strdup(db_result_value(res, 0, ban));
        cJSON *u = user_json(res, 0);
        l->user_json = cJSON_PrintUnformatted(u);
        cJSON_Delete(u);
    }
    password_verify(&r->app->loop, hash, pw ? pw : "", on_verified, l);
}

static void handle_login(struct request *r);

/* The attempt may go ahead (and is counted): look the account up. */
static void on_throttled(void *arg, int go)
{
    struct login *l = arg;
    if (!go) { login_free(l); return; }
    const char *email = NULL;
    proto_get_string(l->r->data, "email", true, 1, 254, &email, (char[8]){0}, 8);
    const char *p[] = {email};
    if (request_query(l->r, &q_find, 1, p, on_found, l)) login_free(l);
}

static void on_dummy(void *arg, const char *encoded)
{
    struct request *r = arg;
    struct auth *a = r->self;
    if (encoded) snprintf(a->dummy_hash, sizeof a->dummy_hash, "%s", encoded);
    handle_login(r);
}

static void handle_login(struct request *r)
{
    char err[200];
    const char *email, *password;
    if (proto_get_string(r->data, "email", true, 1, 254, &email, err, sizeof err) ||
        proto_get_string(r->data, "password", true, 1, 200, &password, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    const struct auth *a = r->self;
    if (!a->dummy_hash[0]) {
        char rnd[TOKEN_LEN + 1];
        token_new(rnd);
        password_hash(&r->app->loop, rnd, on_dummy, r);
        return;
    }
    struct login *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->r = r;
    if (login_throttle_begin(r, email, on_throttled, l)) login_free(l);
}

/* ---------- resume / logout ---------- */

/* ---- the ban check of auth.resume, in one place ----
 * A valid token of a banned account: its row carries the ban (SQL_BAN_JSON), answered `banned`.
 * No valid token: the ban may have revoked it, so one more query asks (a rare path, so the
 * usual resume stays one grouped read). */
static void on_resume_ban(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) request_db_error(r, res);
    else if (db_result_rows(res) == 1 && !db_result_isnull(res, 0, 0)) answer_banned(r, db_result_value(res, 0, 0));
    else request_error(r, PROTO_UNAUTHORIZED, "this session token is not valid; sign in again");
}

static void ask_ban(struct request *r, const char *hash_hex)
{
    char bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_bytea(hash_hex, bytea);
    const char *p[] = {bytea};
    (void)request_query(r, &q_resume_ban, 1, p, on_resume_ban, r);
}

/* Returns true when it answered r (the account is banned). */
static bool resume_refused(struct request *r, const struct db_result *res, int row)
{
    int ban = db_result_col(res, "ban");
    if (db_result_isnull(res, row, ban)) return false;
    answer_banned(r, db_result_value(res, row, ban));
    return true;
}
/* ---- end of the ban check ---- */

/* One resume's answer from its batch (resume_batch.h). */
static void on_resumed(struct request *r, const char *hash_hex, enum db_status st, const struct db_result *res, int row)
{
    if (st == DB_ERR_QUERY) request_error(r, PROTO_INTERNAL, "internal error");
    else if (st != DB_OK) request_unavailable(r);
    else if (row < 0) ask_ban(r, hash_hex);
    else if (resume_refused(r, res, row)) return;
    else if (!session_is_open(r->s)) request_error(r, PROTO_UNAVAILABLE, "session closed");
    else {
        struct auth *a = r->self;
        resume_batch_touch(a->resumes, hash_hex);
        adopt(r, res, row, hash_hex);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToObject(d, "user", user_json(res, row));
        request_ok(r, d);
    }
}

static void handle_resume(struct request *r)
{
    char err[200];
    const char *token;
    if (proto_get_string(r->data, "token", true, 1, 100, &token, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!token_well_formed(token)) { request_error(r, PROTO_UNAUTHORIZED, "this session token is not valid; sign in again"); return; }
    char hash_hex[TOKEN_HASH_HEX_LEN + 1];
    token_hash_hex(token, hash_hex);
    struct auth *a = r->self;
    resume_batch_submit(a->resumes, r, hash_hex);
}

struct logout { struct request *r; char hash_hex[TOKEN_HASH_HEX_LEN + 1]; };

static void on_logged_out(void *arg, const struct db_result *res)
{
    struct logout *x = arg;
    struct request *r = x->r;
    if (db_result_status(res) != DB_OK) {
        /* nothing changed: the session keeps its sign-in and its token */
        snprintf(r->s->token_hash, sizeof r->s->token_hash, "%s", x->hash_hex);
        free(x);
        request_db_error(r, res);
        return;
    }
    free(x);
    booth_leave_all(r->app, r->s);
    session_clear_identity(r->s);
    request_ok(r, NULL);
}

/* Revokes the token first; only then does this session become anonymous (it stays open).
 * Other sessions holding the token close when the NOTIFY reaches their node. */
static void handle_logout(struct request *r)
{
    if (!r->s->token_hash[0]) {
        booth_leave_all(r->app, r->s);
        session_clear_identity(r->s);
        request_ok(r, NULL);
        return;
    }
    struct logout *x = calloc(1, sizeof *x);
    if (!x) abort();
    x->r = r;
    snprintf(x->hash_hex, sizeof x->hash_hex, "%s", r->s->token_hash);
    char bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_bytea(x->hash_hex, bytea);
    /* so our own NOTIFY does not close this session */
    r->s->token_hash[0] = 0;
    const char *p[] = {bytea, x->hash_hex};
    struct session *s = r->s;
    if (request_query(r, &q_logout, 2, p, on_logged_out, x)) {
        snprintf(s->token_hash, sizeof s->token_hash, "%s", x->hash_hex);
        free(x);
    }
}

/* ---------- the domain ---------- */

/* NOTIFY AUTH_REVOKE_CHANNEL '<token hash hex>': close every local session holding it. */
static void close_holder(struct session *s, void *arg)
{
    if (s->token_hash[0] && !strcmp(s->token_hash, arg)) session_close(s, 1008, "signed out");
}

static void on_notify(void *self, const char *channel, const char *hash_hex, bool own)
{
    struct auth *a = self;
    (void)channel;
    (void)own;
    sessions_foreach(a->app->sessions, close_holder, (void *)hash_hex);
}

static void *create(struct app *app)
{
    struct auth *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->app = app;
    a->resumes = resume_batch_new(app, &q_resume, on_resumed);
    return a;
}

static void stop(void *self) { resume_batch_stop(((struct auth *)self)->resumes); }

static void destroy(void *self)
{
    struct auth *a = self;
    resume_batch_free(a->resumes);
    free(a);
}

/* Until a session is signed in, only auth.* (and sys.ping, hall.list, booth.get) are open. */
static const struct route routes[] = {
    {"auth.login", handle_login, ROLES_ANYONE, RATE_AUTH},
    {"auth.logout", handle_logout, ROLES_ANYONE, RATE_DEFAULT},
    {"auth.register", handle_register, ROLES_ANYONE, RATE_AUTH},
    {"auth.resume", handle_resume, ROLES_ANYONE, RATE_DEFAULT},
};

const struct domain auth_domain = {
    .name = "auth",
    DOMAIN_ROUTES(routes),
    .channels = {AUTH_REVOKE_CHANNEL},
    .on_notify = on_notify,
    .create = create,
    .stop = stop,
    .destroy = destroy,
};
