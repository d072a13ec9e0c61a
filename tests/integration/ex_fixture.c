/* ex_fixture.c — see ex_fixture.h. */
#include "ex_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_cluster ex_pg;
struct boothd ex_a, ex_b;

void ex_up(int nodes) { it_demo_up(&ex_pg, &ex_a, &ex_b, nodes); }

void ex_down(void)
{
    if (ex_a.pid) ASSERT_STR_EQ(it_status_str(boothd_stop(&ex_a)), "exit 0");
    if (ex_b.pid) ASSERT_STR_EQ(it_status_str(boothd_stop(&ex_b)), "exit 0");
}

void ex_login(struct ex_user *u, int port, const char *email, const char *label)
{
    memset(u, 0, sizeof *u);
    expo_connect(&u->c, port, label);
    if (!email) return;
    cJSON *d = EXPO_OK(&u->c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(EX_DEMO_PW));
    snprintf(u->email, sizeof u->email, "%s", email);
    snprintf(u->token, sizeof u->token, "%s", JSTR(d, "token"));
    const cJSON *user = JGET(d, "user");
    u->id = JINT(user, "id");
    snprintf(u->role, sizeof u->role, "%s", JSTR(user, "role"));
    cJSON_Delete(d);
}

static char *vsql(const char *fmt, va_list ap)
{
    char sql[8192];
    vsnprintf(sql, sizeof sql, fmt, ap);
    return psql_ok(ex_pg.url, sql);
}

char *ex_sql(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = vsql(fmt, ap);
    va_end(ap);
    return out;
}

long ex_sql_long(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = vsql(fmt, ap);
    va_end(ap);
    char *end;
    long v = strtol(out, &end, 10);
    if (end == out) FAIL("expected a number from psql, got \"%s\"", out);
    free(out);
    return v;
}

void ex_pick_booth(struct ex_booth *b, int n)
{
    memset(b, 0, sizeof *b);
    char *out = ex_sql("SELECT id || '|' || slug FROM booths ORDER BY id OFFSET %d LIMIT 1", n);
    char *bar = strchr(out, '|');
    if (!bar) FAIL("no demo booth #%d: \"%s\"", n, out);
    *bar = 0;
    b->id = atoll(out);
    snprintf(b->slug, sizeof b->slug, "%s", bar + 1);
    snprintf(b->staff_email, sizeof b->staff_email, "staff@%s.demo.expo", b->slug);
    free(out);
}

char *ex_digest(void)
{
    return ex_sql("SELECT md5(concat_ws('/',"
                  " (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM booths x),"
                  " (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM companies x),"
                  " (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM products x),"
                  " (SELECT string_agg(x::text, ',' ORDER BY x.booth_id, x.account_id) FROM booth_staff x),"
                  " (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM booth_invites x),"
                  " (SELECT string_agg(x.id || x.role, ',' ORDER BY x.id) FROM accounts x)))");
}

const char *ex_error_code(const cJSON *reply)
{
    static char code[64];
    if (!reply) FAIL("no reply");
    expo_check_error_at(__FILE__, __LINE__, reply, NULL, code, sizeof code);
    return code;
}
