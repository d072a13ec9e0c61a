/* it_setup.c — integration tests of the organizer console's Set-up section on two nodes
 * sharing one database: category.save, company.save and booth.save with every field, their
 * per-field refusals (error.fields, nothing written), the audit entries (before/after), the
 * change reaching the hall (hall.changed, hall.list) and the booth's visitors (booth.updated)
 * on the other node; booth.archive: gone from the hall and search of the other node at once,
 * closed to visitors (enter, chat, meeting request) with a clear error, readable for staff and
 * organizers, nothing deleted, and back after unarchiving.
 *
 *   it_setup <test> <path/to/boothd>
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_people.h"
#include "expo.h"
#include "harness.h"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(void) { it_demo_up(&pg, &na, &nb, 2); }

/* printf into one of 4 rotating static buffers: SQL with ids in it. */
static const char *sql(const char *fmt, ...)
{
    static char buf[4][1200];
    static int k;
    char *b = buf[k++ % 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof buf[0], fmt, ap);
    va_end(ap);
    return b;
}

/* 'text' as an SQL literal (the test's own e-mail addresses: no quotes in them). */
static const char *sql_literal(const char *s)
{
    static char buf[2][300];
    static int k;
    char *b = buf[k++ % 2];
    snprintf(b, sizeof buf[0], "'%s'", s);
    return b;
}

/* Everything a refused save could have written. */
static char *digest(void)
{
    return psql_ok(pg.url,
                   "SELECT md5(coalesce((SELECT string_agg(b::text, ';' ORDER BY id) FROM booths b), ''))"
                   " || md5(coalesce((SELECT string_agg(c::text, ';' ORDER BY id) FROM companies c), ''))"
                   " || md5(coalesce((SELECT string_agg(c::text, ';' ORDER BY id) FROM categories c), ''))"
                   " || (SELECT count(*) FROM audit_log)");
}

/* Sends type/data and checks bad_request with error.fields[field] = reason, nothing written. */
static void field_error_at(const char *file, int line, struct expo *c, const char *type, const char *data,
                           const char *field, const char *reason)
{
    char *before = digest();
    cJSON *rep = expo_call(c, type, "%s", data);
    if (!rep) it_fail(file, line, "%s %s: no reply", type, data);
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(rep, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(err, "fields"), field);
    if (!cJSON_IsString(code) || strcmp(code->valuestring, "bad_request") || !cJSON_IsString(why) ||
        strcmp(why->valuestring, reason))
        it_fail(file, line, "%s %s: expected bad_request with fields[\"%s\"] = \"%s\", got %s", type, data, field,
                reason, json_text(rep));
    cJSON_Delete(rep);
    char *after = digest();
    if (strcmp(before, after)) it_fail(file, line, "%s %s was refused but changed the database", type, data);
    free(before);
    free(after);
}
#define FIELD_ERROR(c, type, data, field, reason) field_error_at(__FILE__, __LINE__, (c), (type), (data), (field), (reason))

/* Whether hall.list (optionally searching q) on c lists the slug. */
static int hall_has(struct expo *c, const char *q, const char *slug)
{
    cJSON *d = q ? EXPO_OK(c, "hall.list", "{\"q\":%s,\"limit\":100}", json_quote(q)) : EXPO_OK(c, "hall.list", "{\"limit\":100}");
    const cJSON *b;
    int found = 0;
    cJSON_ArrayForEach(b, JGET(d, "booths")) if (!strcmp(JSTR(b, "slug"), slug)) found = 1;
    cJSON_Delete(d);
    return found;
}

/* Waits for hall.changed naming the booth (earlier ones, e.g. of a category, are skipped). */
static int hall_changed(struct expo *c, long long booth)
{
    for (;;) {
        cJSON *ev = expo_event(c, "hall.changed", it_ms(5000));
        if (!ev) return 0;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "booth_id");
        int hit = cJSON_IsNumber(id) && (long long)id->valuedouble == booth;
        cJSON_Delete(ev);
        if (hit) return 1;
    }
}

static const cJSON *find_id(const cJSON *arr, long long id)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, arr) if (JINT(x, "id") == id) return x;
    return NULL;
}

/* Create and edit with every field; per-field refusals; audit; live on the other node. */
static void test_forms(void)
{
    up();
    struct expo org, hall, visitor;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    expo_connect(&hall, nb.port, "hall@B");

    cJSON *d = EXPO_OK(&org, "category.save", "{\"slug\":\"smart-farm\",\"name\":{\"en\":\"Smart farming\",\"ko\":\"스마트팜\"},\"sort_order\":3}");
    long long cat = JINT(d, "id");
    ASSERT_STR_EQ(JSTR(JGET(JGET(d, "category"), "name"), "ko"), "스마트팜");
    cJSON_Delete(d);
    d = EXPO_OK(&org, "company.save", "{\"name\":{\"en\":\"Green Valley Co.\",\"ko\":\"그린밸리\"},\"country\":\"KR\","
                "\"city\":{\"en\":\"Jeonju\",\"ko\":\"전주\"},\"website\":\"https://green.example\"}");
    long long company = JINT(d, "id");
    cJSON_Delete(d);
    expo_discard_events(&hall, "hall.changed");
    d = EXPO_OK(&org, "booth.save", "{\"slug\":\"green-valley\",\"company_id\":%lld,\"category_id\":%lld,"
                "\"name\":{\"en\":\"Green Valley\",\"ko\":\"그린밸리\"},\"tagline\":{\"en\":\"Vertical farms\",\"ko\":\"수직 농장\"},"
                "\"description\":{\"en\":\"Farms in towers.\\nSecond line.\",\"ko\":\"타워 속 농장.\"},"
                "\"tier\":\"gold\",\"sort_order\":5,\"time_zone\":\"Asia/Seoul\",\"contact_email\":\"hello@green.example\","
                "\"video_call_url\":\"https://meet.example/green\"}", company, cat);
    long long booth = JINT(d, "id");
    const cJSON *bj = JGET(d, "booth");
    ASSERT_STR_EQ(JSTR(bj, "tier"), "gold");
    ASSERT_STR_EQ(JSTR(JGET(bj, "description"), "en"), "Farms in towers.\nSecond line.");
    ASSERT_TRUE(cJSON_IsNull(JGET(bj, "archived_at")));
    cJSON_Delete(d);
    /* the other node's sessions hear of it, and its hall lists it (search in both languages) */
    if (!hall_changed(&hall, booth)) FAIL("no hall.changed on node B after booth.save on node A");
    cJSON *ev;
    ASSERT_TRUE(hall_has(&hall, "Green Valley", "green-valley"));
    ASSERT_TRUE(hall_has(&hall, "수직 농장", "green-valley"));

    /* refusals: every reason in error.fields under the flat name, nothing written */
    char *taken = psql_ok(pg.url, "SELECT slug FROM booths WHERE slug <> 'green-valley' ORDER BY id LIMIT 1");
    static const struct { const char *fields, *field, *reason; } refused[] = {
        {"\"slug\":\"Bad Slug\"", "slug", "bad_format"},
        {"\"tier\":\"diamond\"", "tier", "bad_value"},
        {"\"company_id\":999999", "company_id", "unknown_company"},
        {"\"category_id\":999999", "category_id", "unknown_category"},
        {"\"time_zone\":\"Mars/Base\"", "time_zone", "unknown_time_zone"},
        {"\"name\":{\"en\":\"\",\"ko\":\"x\"}", "name.en", "required"},
        {"\"contact_email\":\"not-mail\"", "contact_email", "bad_format"},
        {"\"video_call_url\":\"javascript:alert(1)\"", "video_call_url", "bad_scheme"},
        {"\"sort_order\":1.5", "sort_order", "bad_type"},
        {"\"colour\":\"red\"", "colour", "unknown_field"},
        {"\"tagline\":\"one text\"", "tagline", "bad_type"},
    };
    char data[600];
    snprintf(data, sizeof data, "{\"id\":%lld,\"slug\":%s}", booth, json_quote(taken));
    FIELD_ERROR(&org, "booth.save", data, "slug", "taken");
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(data, sizeof data, "{\"id\":%lld,%s}", booth, refused[i].fields);
        FIELD_ERROR(&org, "booth.save", data, refused[i].field, refused[i].reason);
    }
    /* creating without the required fields names each of them */
    FIELD_ERROR(&org, "booth.save", "{\"name\":{\"en\":\"Only a name\",\"ko\":\"이름\"}}", "slug", "required");
    FIELD_ERROR(&org, "booth.save", "{\"name\":{\"en\":\"Only a name\",\"ko\":\"이름\"}}", "company_id", "required");
    FIELD_ERROR(&org, "booth.save", "{\"slug\":\"x-y\",\"company_id\":1,\"name\":{\"en\":\"E\"}}", "name.ko", "required");
    FIELD_ERROR(&org, "company.save", "{\"name\":{\"en\":\"A\",\"ko\":\"A\"},\"website\":\"javascript:alert(1)\"}", "website", "bad_scheme");
    FIELD_ERROR(&org, "category.save", "{\"slug\":\"smart-farm\",\"name\":{\"en\":\"x\",\"ko\":\"x\"}}", "slug", "taken_category");
    EXPO_ERR(&org, "not_found", "category.save", "{\"id\":999999,\"slug\":\"nothing-here\",\"name\":{\"en\":\"x\",\"ko\":\"x\"}}");
    EXPO_ERR(&org, "not_found", "booth.save", "{\"id\":999999,\"tier\":\"gold\"}");

    /* a visitor inside the booth on node B sees the edit live */
    demo_sign_in(&visitor, nb.port, "buyer1@demo.expo", "visitor@B");
    cJSON_Delete(EXPO_OK(&visitor, "booth.enter", "{\"booth_id\":%lld}", booth));
    d = EXPO_OK(&org, "booth.save", "{\"id\":%lld,\"slug\":\"green-valley-farms\",\"name\":{\"en\":\"Green Valley Farms\",\"ko\":\"그린밸리 농장\"},"
                "\"tier\":\"platinum\",\"sort_order\":1,\"category_id\":null,\"tagline\":null}", booth);
    ASSERT_EQ(JINT(d, "id"), booth);
    cJSON_Delete(d);
    ev = expo_event(&visitor, "booth.updated", it_ms(5000));
    if (!ev) FAIL("no booth.updated for the visitor inside the booth on node B");
    ASSERT_STR_EQ(JSTR(JGET(JGET(ev, "booth"), "name"), "en"), "Green Valley Farms");
    cJSON_Delete(ev);
    /* fields left out kept their values; null cleared the optional ones */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths WHERE slug = 'green-valley-farms' AND tier = 'platinum'"
                                " AND name_ko = '그린밸리 농장' AND time_zone = 'Asia/Seoul' AND category_id IS NULL"
                                " AND tagline_en IS NULL AND description_ko = '타워 속 농장.'"
                                " AND contact_email = 'hello@green.example'"), 1);
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM audit_log WHERE action = 'booth.save' AND target_id = '%lld'"
                                " AND detail->'before'->>'tier' = 'gold' AND detail->'after'->>'tier' = 'platinum'", booth)), 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action IN ('category.save', 'company.save')"
                                " AND detail->'before' = 'null' AND detail->'after' IS NOT NULL"), 2);
    ASSERT_TRUE(hall_has(&hall, "Green Valley Farms", "green-valley-farms"));

    /* company edits reach the booth's visitors too */
    cJSON_Delete(EXPO_OK(&org, "company.save", "{\"id\":%lld,\"website\":\"https://greenvalley.example\"}", company));
    ev = expo_event(&visitor, "booth.updated", it_ms(5000));
    if (!ev) FAIL("no booth.updated after company.save");
    ASSERT_STR_EQ(JSTR(JGET(JGET(ev, "booth"), "company"), "website"), "https://greenvalley.example");
    cJSON_Delete(ev);

    /* the exhibitor console's booth.update of a text the hall shows reaches the hall as well */
    expo_discard_events(&hall, "hall.changed");
    cJSON_Delete(EXPO_OK(&org, "booth.update", "{\"booth_id\":%lld,\"tagline_en\":\"Farms in towers\"}", booth));
    if (!hall_changed(&hall, booth)) FAIL("no hall.changed on node B after booth.update of the tagline");

    /* setup.list carries every field, organizer-only ones included */
    d = EXPO_OK(&org, "setup.list", "{}");
    const cJSON *b = find_id(JGET(d, "booths"), booth);
    ASSERT_TRUE(b != NULL);
    ASSERT_EQ(JINT(b, "company_id"), company);
    ASSERT_EQ(JINT(b, "sort_order"), 1);
    ASSERT_STR_EQ(JSTR(b, "video_call_url"), "https://meet.example/green");
    ASSERT_TRUE(find_id(JGET(d, "companies"), company) != NULL);
    ASSERT_TRUE(find_id(JGET(d, "categories"), cat) != NULL);
    ASSERT_GE(cJSON_GetArraySize(JGET(d, "booths")), 41);
    cJSON_Delete(d);
    free(taken);
    expo_close(&visitor);
    expo_close(&hall);
    expo_close(&org);
}

/* What archiving must keep: the booth's chat, leads, meetings, products and the visits of
 * visitors (the staff member and the organizers enter it during the test). */
static char *booth_data(long long booth, const char *staff_email)
{
    return psql_ok(pg.url, sql("SELECT (SELECT count(*) FROM chat_messages WHERE booth_id = %lld) || '/'"
                               " || (SELECT count(*) FROM leads WHERE booth_id = %lld) || '/'"
                               " || (SELECT count(*) FROM meetings WHERE booth_id = %lld) || '/'"
                               " || (SELECT count(*) FROM visits WHERE booth_id = %lld AND account_id NOT IN"
                               "   (SELECT id FROM accounts WHERE role = 'organizer' OR email = %s)) || '/'"
                               " || (SELECT count(*) FROM products WHERE booth_id = %lld)",
                               booth, booth, booth, booth, sql_literal(staff_email), booth));
}

/* Archiving: on node A the organizer archives a demo booth with chat history, a lead and a
 * meeting; on node B it is gone from the hall and search at once, visitors are refused, its
 * staff still read it, nothing is deleted; unarchiving brings it back. */
static void test_archive(void)
{
    up();
    struct expo org, hall, inside, late, staff;
    char *row = psql_ok(pg.url, "SELECT b.id || ' ' || b.slug || ' ' || a.email FROM booths b"
                                " JOIN booth_staff s ON s.booth_id = b.id JOIN accounts a ON a.id = s.account_id"
                                " ORDER BY b.id LIMIT 1");
    long long booth;
    char slug[80], staff_email[200];
    ASSERT_EQ(sscanf(row, "%lld %79s %199s", &booth, slug, staff_email), 3);
    free(row);
    char *name_en = psql_ok(pg.url, sql("SELECT name_en FROM booths WHERE id = %lld", booth));

    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    expo_connect(&hall, nb.port, "hall@B");
    demo_sign_in(&inside, nb.port, "buyer1@demo.expo", "inside@B");
    demo_sign_in(&late, nb.port, "buyer2@demo.expo", "late@B");
    demo_sign_in(&staff, nb.port, staff_email, "staff@B");
    cJSON_Delete(EXPO_OK(&inside, "booth.enter", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&inside, "chat.send", "{\"booth_id\":%lld,\"text\":\"before archiving\",\"client_msg_id\":\"a1\"}", booth));
    cJSON *opened = EXPO_OK(&inside, "inquiry.open", "{\"booth_id\":%lld}", booth);
    long long thread = JINT(JGET(opened, "thread"), "id");
    cJSON_Delete(opened);
    ASSERT_TRUE(hall_has(&hall, NULL, slug));
    ASSERT_TRUE(hall_has(&hall, name_en, slug));
    char *kept = booth_data(booth, staff_email);
    expo_discard_events(&hall, "hall.changed");

    cJSON *d = EXPO_OK(&org, "booth.archive", "{\"booth_id\":%lld}", booth);
    ASSERT_TRUE(cJSON_IsString(JGET(JGET(d, "booth"), "archived_at")));
    cJSON_Delete(d);
    /* node B: the hall is told, and its list and search leave the booth out */
    if (!hall_changed(&hall, booth)) FAIL("no hall.changed on node B after booth.archive");
    cJSON *ev;
    ASSERT_TRUE(!hall_has(&hall, NULL, slug));
    ASSERT_TRUE(!hall_has(&hall, name_en, slug));
    /* the visitor inside is told, and may not chat any more */
    ev = expo_event(&inside, "booth.updated", it_ms(5000));
    if (!ev) FAIL("no booth.updated for the visitor inside the archived booth");
    ASSERT_TRUE(cJSON_IsString(JGET(JGET(ev, "booth"), "archived_at")));
    cJSON_Delete(ev);
    cJSON *refused = expo_call(&inside, "chat.send", "{\"booth_id\":%lld,\"text\":\"after\",\"client_msg_id\":\"a2\"}", booth);
    EXPO_CHECK_ERROR(refused, "forbidden");
    if (!strstr(JSTR(JGET(refused, "error"), "message"), "archived"))
        FAIL("chat.send into an archived booth should say so, said: %s", JSTR(JGET(refused, "error"), "message"));
    cJSON_Delete(refused);
    /* another visitor may not enter, nor ask for a meeting; the page learns why */
    cJSON *rep = expo_call(&late, "booth.enter", "{\"booth_id\":%lld}", booth);
    EXPO_CHECK_ERROR(rep, "forbidden");
    const char *msg = JSTR(JGET(rep, "error"), "message");
    if (!strstr(msg, "archived")) FAIL("booth.enter of an archived booth should say so, said: %s", msg);
    cJSON_Delete(rep);
    EXPO_ERR(&late, "forbidden", "meeting.request", "{\"booth_id\":%lld,\"starts_at\":\"2030-01-01T10:00:00Z\"}", booth);
    /* nor open a private inquiry, write to one opened before, or leave a business card */
    EXPO_ERR(&late, "forbidden", "inquiry.open", "{\"booth_id\":%lld}", booth);
    EXPO_ERR(&inside, "forbidden", "inquiry.send", "{\"thread_id\":%lld,\"text\":\"still there?\",\"client_msg_id\":\"q2\"}", thread);
    EXPO_ERR(&late, "forbidden", "lead.share", "{\"booth_id\":%lld,\"consent\":true,\"consent_version\":\"v1\"}", booth);
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM inquiry_threads WHERE booth_id = %lld AND buyer_id ="
                                    " (SELECT id FROM accounts WHERE email = 'buyer2@demo.expo')", booth)), 0);
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM inquiry_messages WHERE thread_id = %lld", thread)), 0);
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM leads WHERE booth_id = %lld AND visitor_id ="
                                    " (SELECT id FROM accounts WHERE email = 'buyer2@demo.expo')", booth)), 0);
    d = EXPO_OK(&late, "booth.get", "{\"booth_id\":%lld}", booth);
    ASSERT_TRUE(JBOOL(JGET(d, "booth"), "archived"));
    ASSERT_TRUE(cJSON_GetObjectItemCaseSensitive(JGET(d, "booth"), "products") == NULL);
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM presence WHERE booth_id = %lld AND role = 'visitor'"
                                " AND account_id = (SELECT id FROM accounts WHERE email = 'buyer2@demo.expo')", booth)), 0);
    /* its staff and the organizers still read it and may enter */
    d = EXPO_OK(&staff, "booth.get", "{\"booth_id\":%lld}", booth);
    ASSERT_TRUE(JBOOL(JGET(d, "booth"), "archived"));
    ASSERT_TRUE(cJSON_IsArray(JGET(JGET(d, "booth"), "products")));
    cJSON_Delete(d);
    d = EXPO_OK(&staff, "booth.enter", "{\"booth_id\":%lld}", booth);
    ASSERT_GE(cJSON_GetArraySize(JGET(d, "messages")), 1);
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&org, "booth.enter", "{\"booth_id\":%lld}", booth));
    /* nothing was deleted; the audit log has the change */
    char *now = booth_data(booth, staff_email);
    ASSERT_STR_EQ(now, kept);
    free(now);
    /* its staff may still chat there (chat_append's chat_closed(): archived, but the author is
     * the booth's staff) */
    cJSON_Delete(EXPO_OK(&staff, "chat.send", "{\"booth_id\":%lld,\"text\":\"staff after\",\"client_msg_id\":\"s1\"}", booth));
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM audit_log WHERE action = 'booth.archive' AND target_id = '%lld'"
                                " AND detail->'before'->'archived_at' = 'null' AND detail->'after'->>'archived_at' IS NOT NULL", booth)), 1);
    d = EXPO_OK(&org, "setup.list", "{}");
    ASSERT_TRUE(cJSON_IsString(JGET(find_id(JGET(d, "booths"), booth), "archived_at")));
    cJSON_Delete(d);

    /* unarchive: back in the hall of node B, visitors enter again */
    cJSON_Delete(EXPO_OK(&org, "booth.archive", "{\"booth_id\":%lld,\"archived\":false}", booth));
    ASSERT_TRUE(hall_has(&hall, NULL, slug));
    cJSON_Delete(EXPO_OK(&late, "booth.enter", "{\"booth_id\":%lld}", booth));
    cJSON_Delete(EXPO_OK(&inside, "chat.send", "{\"booth_id\":%lld,\"text\":\"back again\",\"client_msg_id\":\"a3\"}", booth));
    ASSERT_EQ(psql_long(pg.url, sql("SELECT count(*) FROM audit_log WHERE action = 'booth.unarchive' AND target_id = '%lld'"
                                " AND detail->'after'->'archived_at' = 'null'", booth)), 1);
    EXPO_ERR(&org, "not_found", "booth.archive", "{\"booth_id\":999999}");
    free(kept);
    free(name_en);
    expo_close(&staff);
    expo_close(&late);
    expo_close(&inside);
    expo_close(&hall);
    expo_close(&org);
}

static const struct it_test tests[] = {
    {"forms", test_forms, 90},
    {"archive", test_archive, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
