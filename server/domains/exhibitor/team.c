/* team.c — a booth's team: team.list, team.invite (a one-time link for a colleague),
 * team.invite.revoke, team.remove. Each is one exhibitor_team_*() call that checks the actor
 * first. A removal NOTIFYs, so the removed account's sessions on every node lose the booth at
 * once (exhibitor.c). The invite token is 32 random bytes (as a session token, auth/token.h);
 * only its SHA-256 is stored, and it is shown once, to the inviter, inside the link. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "domains/auth/token.h"
#include "domains/exhibitor/ex_internal.h"
#include "util/validate.h"

#define INVITE_DAYS 7
#define INVITES_PENDING_MAX 20     /* per booth */
#define INVITE_LINK "/invite.html#"

static struct db_stmt q_list = DB_STMT("ex_team_list", "SELECT exhibitor_team_list($1, $2)::text");
static struct db_stmt q_invite = DB_STMT("ex_team_invite",
    "SELECT exhibitor_team_invite($1, $2, $3, $4::bytea, $5, $6)::text");
static struct db_stmt q_revoke = DB_STMT("ex_invite_revoke", "SELECT exhibitor_invite_revoke($1, $2, $3)::text");
static struct db_stmt q_remove = DB_STMT("ex_team_remove", "SELECT exhibitor_team_remove($1, $2, $3)::text");

/* {booth_id} -> {staff: [{account_id, name, email, staff_role, since}], invites: [...]} */
void ex_team_list(struct request *r) { ex_run_ids(r, &q_list, "booth_id", NULL); }

/* {booth_id, invite_id} -> the team, as team.list */
void ex_invite_revoke(struct request *r) { ex_run_ids(r, &q_revoke, "booth_id", "invite_id"); }

/* {booth_id, account_id} -> the team, as team.list */
void ex_team_remove(struct request *r) { ex_run_ids(r, &q_remove, "booth_id", "account_id"); }

struct invite { char token[TOKEN_LEN + 1]; };

static void invite_free(void *arg)
{
    struct invite *v = arg;
    explicit_bzero(v->token, sizeof v->token);
    free(v);
}

static void on_invited(struct request *r, cJSON *data, void *arg)
{
    struct invite *v = arg;
    char link[sizeof INVITE_LINK + TOKEN_LEN];
    snprintf(link, sizeof link, INVITE_LINK "%s", v->token);
    cJSON_AddStringToObject(data, "link", link);
    (void)r;
}

/* {booth_id, email} -> {invite: {id, email, expires_at}, link: "/invite.html#<token>"} */
void ex_team_invite(struct request *r)
{
    char err[200];
    int64_t booth_id;
    const char *email;
    if (ex_get_id(r, "booth_id", &booth_id)) return;
    if (proto_get_string(r->data, "email", true, 0, 1000, &email, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    int e = validate_email(email);
    if (e) {
        cJSON *errors = cJSON_CreateObject();
        cJSON_AddStringToObject(errors, "email", validate_err_code(e));
        request_error_fields(r, errors, "'email': %s", validate_err_message(e));
        return;
    }
    struct invite *v = calloc(1, sizeof *v);
    if (!v) abort();
    if (token_new(v->token)) { invite_free(v); request_error(r, PROTO_INTERNAL, "internal error"); return; }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_hex(v->token, hex);
    token_hash_bytea(hex, bytea);
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN], days[REQUEST_INT_LEN], max[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth_id), request_int(a, r->s->account_id), email, bytea,
                       request_int(days, INVITE_DAYS), request_int(max, INVITES_PENDING_MAX)};
    ex_run(r, &q_invite, 6, p, on_invited, v, invite_free);
}
