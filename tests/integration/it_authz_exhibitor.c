/* it_authz_exhibitor.c — the authorization matrix of the exhibitor domain's staff actions:
 * every action × every kind of caller (signed out, visitor, staff of the booth, staff of
 * another booth, organizer) × the caller's own booth and another one. A refusal must carry the
 * right code AND leave every table the domain writes unchanged (ex_digest); an allowed call
 * must succeed. Objects an action needs (a product, an invite, a colleague) are made with SQL
 * before each call, so every cell starts from a real target.
 *
 *   it_authz_exhibitor matrix <path/to/boothd>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_fixture.h"

enum who { ANON, VISITOR, STAFF_A, ORGANIZER, N_WHO };
static const char *const who_name[] = {"signed out", "visitor", "staff of booth A", "organizer"};

/* Writes the request data for `type` against booth `booth`, making what it needs. */
typedef void (*prepare_fn)(long long booth, int n, char *data, size_t len);

static void p_booth_update(long long booth, int n, char *d, size_t len)
{
    snprintf(d, len, "{\"booth_id\":%lld,\"tagline_en\":\"authz %d\"}", booth, n);
}

static void p_booth_profile(long long booth, int n, char *d, size_t len)
{
    (void)n;
    snprintf(d, len, "{\"booth_id\":%lld}", booth);
}

static void p_product_create(long long booth, int n, char *d, size_t len)
{
    snprintf(d, len, "{\"booth_id\":%lld,\"name_en\":\"Authz %d\",\"name_ko\":\"권한 %d\"}", booth, n, n);
}

static long long new_product(long long booth, int n)
{
    return ex_sql_long("INSERT INTO products (booth_id, name_en, name_ko) VALUES (%lld, 'Target %d', '대상 %d') RETURNING id",
                       booth, n, n);
}

static void p_product_update(long long booth, int n, char *d, size_t len)
{
    snprintf(d, len, "{\"booth_id\":%lld,\"product_id\":%lld,\"moq\":\"%d units\"}", booth, new_product(booth, n), n);
}

static void p_product_delete(long long booth, int n, char *d, size_t len)
{
    snprintf(d, len, "{\"product_id\":%lld}", new_product(booth, n));
}

static void p_product_reorder(long long booth, int n, char *d, size_t len)
{
    new_product(booth, n);
    char *ids = ex_sql("SELECT string_agg(id::text, ',' ORDER BY sort_order DESC, id DESC) FROM products WHERE booth_id = %lld", booth);
    snprintf(d, len, "{\"booth_id\":%lld,\"product_ids\":[%s]}", booth, ids);
    free(ids);
}

static void p_team_list(long long booth, int n, char *d, size_t len)
{
    (void)n;
    snprintf(d, len, "{\"booth_id\":%lld}", booth);
}

static void p_team_invite(long long booth, int n, char *d, size_t len)
{
    snprintf(d, len, "{\"booth_id\":%lld,\"email\":\"authz%d@colleague.example\"}", booth, n);
}

static void p_invite_revoke(long long booth, int n, char *d, size_t len)
{
    long long id = ex_sql_long("INSERT INTO booth_invites (booth_id, email, token_hash, expires_at)"
                               " VALUES (%lld, 'pending%d@colleague.example', sha256(convert_to('authz-%d', 'UTF8')),"
                               " now() + interval '1 day') RETURNING id", booth, n, n);
    snprintf(d, len, "{\"booth_id\":%lld,\"invite_id\":%lld}", booth, id);
}

static void p_team_remove(long long booth, int n, char *d, size_t len)
{
    long long acc = ex_sql_long("WITH a AS (INSERT INTO accounts (email, password_hash, name, role)"
                                " VALUES ('colleague%d@colleague.example', 'x', 'Colleague %d', 'exhibitor') RETURNING id),"
                                " s AS (INSERT INTO booth_staff (booth_id, account_id) SELECT %lld, id FROM a)"
                                " SELECT id FROM a", n, n, booth);
    snprintf(d, len, "{\"booth_id\":%lld,\"account_id\":%lld}", booth, acc);
}

static const struct action {
    const char *type;
    prepare_fn prepare;
} actions[] = {
    {"booth.profile", p_booth_profile},
    {"booth.update", p_booth_update},
    {"product.save", p_product_create},
    {"product.save", p_product_update},
    {"product.delete", p_product_delete},
    {"product.reorder", p_product_reorder},
    {"team.list", p_team_list},
    {"team.invite", p_team_invite},
    {"team.invite.revoke", p_invite_revoke},
    {"team.remove", p_team_remove},
};

static void test_matrix(void)
{
    ex_up(1);
    struct ex_booth a, b;
    ex_pick_booth(&a, 7);
    ex_pick_booth(&b, 8);
    struct ex_user u[N_WHO];
    ex_login(&u[ANON], ex_a.port, NULL, "anon");
    ex_login(&u[VISITOR], ex_a.port, "buyer1@demo.expo", "visitor");
    ex_login(&u[STAFF_A], ex_a.port, a.staff_email, "staffA");
    ex_login(&u[ORGANIZER], ex_a.port, "organizer@demo.expo", "org");
    const struct ex_booth *targets[] = {&a, &b};
    int n = 0, refused = 0, allowed = 0;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        for (int t = 0; t < 2; t++)
            for (int w = 0; w < N_WHO; w++) {
                const struct ex_booth *booth = targets[t];
                const char *want = w == ANON ? "unauthorized"
                                 : w == VISITOR ? "forbidden"
                                 : w == STAFF_A && booth != &a ? "forbidden" : NULL;
                char data[4096];
                actions[i].prepare(booth->id, ++n, data, sizeof data);
                char *before = ex_digest();
                cJSON *rep = expo_call(&u[w].c, actions[i].type, "%s", data);
                if (!rep) FAIL("%s %s as %s: no reply", actions[i].type, data, who_name[w]);
                const cJSON *ok = cJSON_GetObjectItemCaseSensitive(rep, "ok");
                if (!want) {
                    if (!cJSON_IsTrue(ok))
                        FAIL("%s %s as %s on booth %s: expected success, got %s", actions[i].type, data, who_name[w],
                             t ? "B" : "A", json_text(rep));
                    allowed++;
                } else {
                    const char *code = ex_error_code(rep);
                    if (strcmp(code, want))
                        FAIL("%s %s as %s on booth %s: expected %s, got %s", actions[i].type, data, who_name[w],
                             t ? "B" : "A", want, json_text(rep));
                    char *after = ex_digest();
                    if (strcmp(before, after))
                        FAIL("%s %s as %s on booth %s was refused (%s) but changed the database", actions[i].type, data,
                             who_name[w], t ? "B" : "A", code);
                    free(after);
                    refused++;
                }
                free(before);
                cJSON_Delete(rep);
            }
    it_log("%d cells: %d refused with nothing changed, %d allowed", n, refused, allowed);
    int n_actions = (int)(sizeof actions / sizeof actions[0]);
    ASSERT_EQ(refused, n_actions * (2 + 2 + 1));
    ASSERT_EQ(allowed, n_actions * 3);
    for (int w = 0; w < N_WHO; w++) expo_close(&u[w].c);
    ex_down();
}

static const struct it_test tests[] = {
    {"matrix", test_matrix, 180},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
