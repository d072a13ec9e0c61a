/* setup.c — see setup.h. */
#include "setup.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "load.h"

void load_token(const char *secret, int index, char out[LOAD_TOKEN_LEN + 1])
{
    snprintf(out, LOAD_TOKEN_LEN + 1, "%.*s%010d", LOAD_SECRET_LEN, secret, index);
}

void setup_new_secret(char *secret)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[LOAD_SECRET_LEN];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) abort();
    for (int i = 0; i < LOAD_SECRET_LEN; i++) secret[i] = alpha[raw[i] % 62];
    secret[LOAD_SECRET_LEN] = 0;
}

static int exec_ok(PGconn *c, const char *sql, int n, const char *const *params, PGresult **out,
                   char *err, size_t errlen)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        snprintf(err, errlen, "setup: %s", PQresultErrorMessage(r));
        PQclear(r);
        return -1;
    }
    if (out) *out = r; else PQclear(r);
    return 0;
}

#define EMAIL "format('load-v%s@load.invalid', i)"

int setup_run(const char *conninfo, int first, int count, const char *secret, int booths,
              int64_t **booth_ids, char *err, size_t errlen)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, errlen, "setup: cannot connect to the database: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    char a[16], b[16], nb[16];
    snprintf(a, sizeof a, "%d", first);
    snprintf(b, sizeof b, "%d", first + count - 1);
    snprintf(nb, sizeof nb, "%d", booths);
    const char *range[] = {a, b, secret};
    const char *nbp[] = {nb};
    PGresult *res = NULL;
    int rc = -1;
    if (exec_ok(c, "BEGIN", 0, NULL, NULL, err, errlen)) goto out;
    if (exec_ok(c,
            "INSERT INTO accounts (email, password_hash, name, company, country, role)"
            " SELECT " EMAIL ", 'boothd-load: signs in with auth.resume only', format('Load Visitor %s', i),"
            "        'Load Test Inc', 'KR', 'visitor'"
            "   FROM generate_series($1::int, $2::int) i"
            " ON CONFLICT DO NOTHING", 2, range, NULL, err, errlen)) goto out;
    if (exec_ok(c,
            "DELETE FROM auth_tokens t USING accounts a, generate_series($1::int, $2::int) i"
            " WHERE lower(a.email) = " EMAIL " AND t.account_id = a.id", 2, range, NULL, err, errlen)) goto out;
    if (exec_ok(c,
            "INSERT INTO auth_tokens (token_hash, account_id, expires_at)"
            " SELECT sha256(convert_to($3 || lpad(i::text, 10, '0'), 'UTF8')), a.id, now() + interval '1 day'"
            "   FROM generate_series($1::int, $2::int) i JOIN accounts a ON lower(a.email) = " EMAIL,
            3, range, NULL, err, errlen)) goto out;
    if (exec_ok(c,
            "INSERT INTO companies (name_en, name_ko, city)"
            " SELECT 'Load Test Co', '부하 시험', 'Seoul'"
            "  WHERE (SELECT count(*) FROM booths) < $1::int"
            "    AND NOT EXISTS (SELECT 1 FROM companies WHERE name_en = 'Load Test Co')", 1, nbp, NULL, err, errlen))
        goto out;
    if (exec_ok(c,
            "INSERT INTO booths (slug, company_id, name_en, name_ko, tagline_en)"
            " SELECT format('load-b%s', k), (SELECT min(id) FROM companies WHERE name_en = 'Load Test Co'),"
            "        format('Load Booth %s', k), format('부하 부스 %s', k), 'A booth for load tests'"
            "   FROM generate_series(1, $1::int) k"
            "  WHERE (SELECT count(*) FROM booths) < $1::int"
            " ON CONFLICT (slug) DO NOTHING", 1, nbp, NULL, err, errlen)) goto out;
    if (exec_ok(c, "SELECT id FROM booths ORDER BY id LIMIT $1::int", 1, nbp, &res, err, errlen)) goto out;
    if (PQntuples(res) < booths) {
        snprintf(err, errlen, "setup: only %d booths in the database, %d wanted", PQntuples(res), booths);
        goto out;
    }
    if (exec_ok(c, "COMMIT", 0, NULL, NULL, err, errlen)) goto out;
    *booth_ids = malloc(sizeof **booth_ids * (size_t)booths);
    if (!*booth_ids) abort();
    for (int i = 0; i < booths; i++) (*booth_ids)[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    rc = 0;
out:
    PQclear(res);
    PQfinish(c);
    return rc;
}

int setup_organizers(const char *conninfo, int first, int all, int count, char *err, size_t errlen)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, errlen, "setup: cannot connect to the database: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    char a[16], b[16], o[16];
    snprintf(a, sizeof a, "%d", first);
    snprintf(b, sizeof b, "%d", first + all - 1);
    snprintf(o, sizeof o, "%d", first + count);
    const char *p[] = {a, b, o};
    int rc = exec_ok(c,
        "UPDATE accounts a SET role = CASE WHEN i < $3::int THEN 'organizer' ELSE 'visitor' END"
        "  FROM generate_series($1::int, $2::int) i WHERE lower(a.email) = " EMAIL, 3, p, NULL, err, errlen);
    PQfinish(c);
    return rc;
}

char *setup_sessions_by_node(const char *conninfo)
{
    PGconn *c = PQconnectdb(conninfo);
    char *out = NULL;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, "SELECT coalesce(json_object_agg(node_id, n ORDER BY node_id), '{}')::text"
                                "  FROM (SELECT node_id, count(DISTINCT session_id) n FROM presence GROUP BY 1) x");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) out = strdup(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    PQfinish(c);
    return out;
}
