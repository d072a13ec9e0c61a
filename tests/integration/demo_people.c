/* demo_people.c — see demo_people.h. */
#include "demo_people.h"

#include <stdio.h>
#include <string.h>

/* Connects c and signs in; returns auth.login's reply data (free it). */
static cJSON *sign_in(struct expo *c, int port, const char *email, const char *label)
{
    expo_connect(c, port, label);
    return EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email),
                   json_quote(DEMO_PASSWORD));
}

void demo_login(struct person *p, int port, const char *email, const char *label)
{
    memset(p, 0, sizeof *p);
    cJSON *d = sign_in(&p->c, port, email, label);
    snprintf(p->email, sizeof p->email, "%s", email);
    snprintf(p->token, sizeof p->token, "%s", JSTR(d, "token"));
    p->id = JINT(JGET(d, "user"), "id");
    cJSON_Delete(d);
}

void demo_sign_in(struct expo *c, int port, const char *email, const char *label)
{
    cJSON_Delete(sign_in(c, port, email, label));
}

void demo_anon(struct person *p, int port, const char *label)
{
    memset(p, 0, sizeof *p);
    expo_connect(&p->c, port, label);
}

void demo_logout(struct person *p) { expo_close(&p->c); }

const char *demo_staff_email(const char *slug, char *out, size_t n)
{
    snprintf(out, n, "staff@%s.demo.expo", slug);
    return out;
}

long long demo_booth_id(const char *db_url, const char *slug)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT id FROM booths WHERE slug = '%s'", slug);
    long id = psql_long(db_url, sql);
    if (id <= 0) FAIL("the demo has no booth '%s'", slug);
    return id;
}
