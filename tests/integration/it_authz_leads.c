/* it_authz_leads.c — the authorization matrix of the leads and analytics actions (issue 11):
 * every action × {signed out, visitor, staff of the booth, staff of another booth, organizer},
 * with the expected answer, and after every refusal a check that nothing changed (the leads,
 * the visitor's card fields, the audit log). Leads of one booth never reach another booth's
 * staff: refusals carry no lead data.
 *
 *   it_authz_leads <test> <path/to/boothd> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_people.h"
#include "expo.h"
#include "harness.h"

#define OWN "haneul-cosmetics"
#define OTHER "seorin-lab"

static struct pg_cluster pg;
static struct boothd na;

enum who { ANON, VISITOR, STAFF_OWN, STAFF_OTHER, ORGANIZER, N_WHO };
static const char *const who_name[N_WHO] = {"signed out", "visitor", "staff of the booth", "staff of another booth",
                                            "organizer"};

/* Everything a refused action must leave as it was. */
static char *snapshot(void)
{
    return psql_ok(pg.url, "SELECT (SELECT coalesce(string_agg(l::text, ',' ORDER BY id), '') FROM leads l) || '#' ||"
                           " (SELECT string_agg(concat_ws('|', id, company, title, country), ',' ORDER BY id) FROM accounts) || '#' ||"
                           " (SELECT count(*) FROM audit_log)");
}

struct action {
    const char *type;
    const char *data_fmt;           /* %lld: the booth id, then the lead id */
    const char *expect[N_WHO];      /* "ok" or the error code */
};

static void test_matrix(void)
{
    it_demo_up(&pg, &na, NULL, 1);
    free(psql_ok(pg.url, "DELETE FROM leads"));
    long long own = demo_booth_id(pg.url, OWN);
    char email[160];
    struct person p[N_WHO], sharer;
    demo_anon(&p[ANON], na.port, "anon");
    demo_login(&p[VISITOR], na.port, "buyer1@demo.expo", "visitor");
    demo_login(&p[STAFF_OWN], na.port, demo_staff_email(OWN, email, sizeof email), "staff-own");
    demo_login(&p[STAFF_OTHER], na.port, demo_staff_email(OTHER, email, sizeof email), "staff-other");
    demo_login(&p[ORGANIZER], na.port, "organizer@demo.expo", "organizer");
    /* a lead of the booth, by another visitor, that every staff-side action targets */
    demo_login(&sharer, na.port, "buyer2@demo.expo", "sharer");
    cJSON_Delete(EXPO_OK(&sharer.c, "lead.share", "{\"booth_id\":%lld,\"consent\":true,\"consent_version\":\"v1\"}", own));
    long long lead = psql_long(pg.url, "SELECT id FROM leads");

    static const struct action actions[] = {
        {"lead.share", "{\"booth_id\":%lld,\"consent\":true,\"consent_version\":\"v1\",\"company\":\"X\"}",
         {"unauthorized", "ok", "forbidden", "forbidden", "forbidden"}},
        {"lead.mine", "{\"booth_id\":%lld}", {"unauthorized", "ok", "ok", "ok", "ok"}},
        {"lead.withdraw", "{\"booth_id\":%lld}", {"unauthorized", "ok", "forbidden", "forbidden", "forbidden"}},
        {"lead.list", "{\"booth_id\":%lld}", {"unauthorized", "forbidden", "ok", "forbidden", "ok"}},
        {"lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":3,\"notes\":\"n\",\"status\":\"contacted\"}",
         {"unauthorized", "forbidden", "ok", "forbidden", "ok"}},
        {"analytics.booth", "{\"booth_id\":%lld}", {"unauthorized", "forbidden", "ok", "forbidden", "ok"}},
        {"analytics.unwatch", "{}", {"unauthorized", "forbidden", "ok", "ok", "ok"}},
    };
    int checked = 0;
    for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
        for (int w = 0; w < N_WHO; w++) {
            char data[400];
            snprintf(data, sizeof data, actions[a].data_fmt, own, lead);
            char *before = snapshot();
            cJSON *reply = expo_call(&p[w].c, actions[a].type, "%s", data);
            if (!reply) FAIL("%s as %s: no reply", actions[a].type, who_name[w]);
            const char *want = actions[a].expect[w];
            const cJSON *ok = cJSON_GetObjectItemCaseSensitive(reply, "ok");
            if (!strcmp(want, "ok")) {
                if (!cJSON_IsTrue(ok)) FAIL("%s as %s: expected ok, got %s", actions[a].type, who_name[w], json_text(reply));
            } else {
                char code[64];
                expo_check_error_at(__FILE__, __LINE__, reply, want, code, sizeof code);
                char *after = snapshot();
                if (strcmp(before, after))
                    FAIL("%s as %s was refused (%s) but changed the database:\nbefore %s\nafter  %s", actions[a].type,
                         who_name[w], code, before, after);
                free(after);
                if (strstr(json_text(reply), "buyer2"))
                    FAIL("%s as %s: the refusal carries lead data: %s", actions[a].type, who_name[w], json_text(reply));
            }
            /* staff of another booth never see this booth's lead, whatever they are allowed */
            if (w == STAFF_OTHER && strstr(json_text(reply), "buyer2"))
                FAIL("%s as %s shows another booth's lead: %s", actions[a].type, who_name[w], json_text(reply));
            free(before);
            cJSON_Delete(reply);
            checked++;
        }
    }
    ASSERT_EQ(checked, 35);
    /* the visitor's own share made and withdrew nothing of the sharer's */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM leads WHERE withdrawn_at IS NULL"), 1);

    /* the export, for the same five */
    char path[64], auth[200];
    snprintf(path, sizeof path, "/leads/%lld.csv", own);
    static const int want_status[N_WHO] = {401, 403, 200, 403, 200};
    for (int w = 0; w < N_WHO; w++) {
        char *before = snapshot();
        struct http_resp r;
        snprintf(auth, sizeof auth, "Bearer %s", p[w].token);
        int st = http_get_auth(na.port, path, w == ANON ? NULL : auth, &r);
        if (st != want_status[w]) FAIL("GET %s as %s: %d, expected %d (%s)", path, who_name[w], st, want_status[w], r.body);
        char *after = snapshot();
        if (st != 200 && strcmp(before, after)) FAIL("GET %s as %s was refused but changed the database", path, who_name[w]);
        if (st != 200 && strstr(r.body, "buyer2")) FAIL("GET %s as %s leaked a lead: %s", path, who_name[w], r.body);
        if (st == 200 && !strstr(r.body, "buyer2@demo.expo")) FAIL("GET %s as %s: the lead is missing: %s", path, who_name[w], r.body);
        free(before);
        free(after);
        http_resp_free(&r);
    }
    ASSERT_EQ(boothd_stop(&na), 0);   /* clean exit: under ASan also no leak report */
}

static const struct it_test tests[] = {
    {"matrix", test_matrix, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
