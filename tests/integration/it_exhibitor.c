/* it_exhibitor.c — integration tests of the exhibitor domain (issue 11, booth self-service):
 * booth.update (partial updates, every validation reason, organizer-only fields, the hall
 * search following the edit, booth.updated seen by a visitor on another node), products
 * (create, partial update, image file checks, delete, reorder, the per-booth limit,
 * products.updated), team invites (invite -> invite.get -> accept -> the new colleague can
 * act; used, unknown, expired and revoked tokens; an existing account; another address) and
 * team.remove (the removed colleague's session on the other node is refused at once).
 *
 * Each test runs in its own process with its own cluster and the demo expo:
 *   it_exhibitor <test> <path/to/boothd>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_fixture.h"

/* Sends type/data and checks a bad_request whose error.fields[field] is reason, and that
 * nothing changed in the database. */
static void field_error_at(const char *file, int line, struct expo *c, const char *type, const char *data,
                           const char *field, const char *reason)
{
    char *before = ex_digest();
    cJSON *rep = expo_call(c, type, "%s", data);
    if (!rep) it_fail(file, line, "%s %s: no reply", type, data);
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(rep, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(err, "fields");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(fields, field);
    if (!cJSON_IsString(code) || strcmp(code->valuestring, "bad_request") || !cJSON_IsString(why) ||
        strcmp(why->valuestring, reason))
        it_fail(file, line, "%s %s: expected bad_request with fields.%s = \"%s\", got %s", type, data, field, reason,
                json_text(rep));
    cJSON_Delete(rep);
    char *after = ex_digest();
    if (strcmp(before, after)) it_fail(file, line, "%s %s was refused but changed the database", type, data);
    free(before);
    free(after);
}
#define FIELD_ERROR(c, type, data, field, reason) field_error_at(__FILE__, __LINE__, (c), (type), (data), (field), (reason))

/* A string of n copies of the UTF-8 character ch (static rotating buffers). */
static const char *repeat(const char *ch, int n)
{
    static char buf[4][4 * 12000 + 1];
    static int i;
    i = (i + 1) % 4;
    size_t l = strlen(ch);
    for (int k = 0; k < n; k++) memcpy(buf[i] + (size_t)k * l, ch, l);
    buf[i][(size_t)n * l] = 0;
    return buf[i];
}

/* ---- booth.update ---------------------------------------------------------------------- */

static void test_booth_update(void)
{
    ex_up(1);
    struct ex_booth b;
    ex_pick_booth(&b, 0);
    struct ex_user staff, org;
    ex_login(&staff, ex_a.port, b.staff_email, "staff");
    ex_login(&org, ex_a.port, "organizer@demo.expo", "org");
    char *name_ko = ex_sql("SELECT name_ko FROM booths WHERE id = %lld", b.id);

    /* partial: only name_en changes */
    cJSON *d = EXPO_OK(&staff.c, "booth.update", "{\"booth_id\":%lld,\"name_en\":\"Zephyr Glassworks\"}", b.id);
    const cJSON *booth = JGET(d, "booth");
    ASSERT_STR_EQ(JSTR(JGET(booth, "name"), "en"), "Zephyr Glassworks");
    ASSERT_STR_EQ(JSTR(JGET(booth, "name"), "ko"), name_ko);
    cJSON_Delete(d);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM booths WHERE id = %lld AND name_en = 'Zephyr Glassworks' AND name_ko = $q$%s$q$",
                          b.id, name_ko), 1);

    /* both languages and every staff field at once; empty optional text clears it */
    d = EXPO_OK(&staff.c, "booth.update",
                "{\"booth_id\":%lld,\"name_ko\":\"제피르 유리공방\",\"tagline_en\":\"Hand-blown glass\","
                "\"tagline_ko\":\"입으로 부는 유리\",\"description_en\":\"Line one\\nLine two\",\"description_ko\":\"\","
                "\"website\":\"https://zephyr.example/en\",\"contact_email\":\"sales@zephyr.example\","
                "\"video_call_url\":\"https://meet.example/zephyr\",\"time_zone\":\"America/Los_Angeles\"}", b.id);
    booth = JGET(d, "booth");
    ASSERT_STR_EQ(JSTR(JGET(booth, "name"), "ko"), "제피르 유리공방");
    ASSERT_STR_EQ(JSTR(JGET(booth, "description"), "en"), "Line one\nLine two");
    ASSERT_TRUE(cJSON_IsNull(JGET(JGET(booth, "description"), "ko")));
    ASSERT_STR_EQ(JSTR(JGET(booth, "company"), "website"), "https://zephyr.example/en");
    ASSERT_STR_EQ(JSTR(booth, "contact_email"), "sales@zephyr.example");
    ASSERT_STR_EQ(JSTR(booth, "time_zone"), "America/Los_Angeles");
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "booth.get", "{\"booth_id\":%lld}", b.id);
    ASSERT_STR_EQ(JSTR(JGET(JGET(d, "booth"), "tagline"), "ko"), "입으로 부는 유리");
    cJSON_Delete(d);
    /* booth.profile reads back what booth.get does not show; null clears an optional field */
    cJSON_Delete(EXPO_OK(&staff.c, "booth.update", "{\"booth_id\":%lld,\"tagline_en\":null}", b.id));
    d = EXPO_OK(&staff.c, "booth.profile", "{\"booth_id\":%lld}", b.id);
    booth = JGET(d, "booth");
    ASSERT_STR_EQ(JSTR(booth, "video_call_url"), "https://meet.example/zephyr");
    ASSERT_STR_EQ(JSTR(booth, "contact_email"), "sales@zephyr.example");
    ASSERT_TRUE(cJSON_IsNull(JGET(JGET(booth, "tagline"), "en")));
    ASSERT_STR_EQ(JSTR(JGET(booth, "tagline"), "ko"), "입으로 부는 유리");
    cJSON_Delete(d);

    /* the hall search follows the edit, in both languages */
    d = EXPO_OK(&staff.c, "hall.list", "{\"q\":\"zephyr glass\"}");
    ASSERT_EQ(JINT(d, "total"), 1);
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "hall.list", "{\"q\":\"유리공방\"}");
    ASSERT_EQ(JINT(d, "total"), 1);
    cJSON_Delete(d);

    /* every validation reason, each changing nothing */
    char buf[60000];
#define BAD(field, value, reason) \
    (snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"" field "\":%s}", b.id, (value)), \
     FIELD_ERROR(&staff.c, "booth.update", buf, field, reason))
    BAD("name_en", json_quote(repeat("a", 201)), "too_long");
    BAD("name_ko", json_quote(repeat("가", 201)), "too_long");         /* counted in code points */
    BAD("name_ko", "\"  \"", "required");
    BAD("name_en", "null", "required");
    BAD("tagline_en", json_quote(repeat("x", 301)), "too_long");
    BAD("description_ko", json_quote(repeat("설", 10001)), "too_long");
    BAD("website", "\"ftp://zephyr.example\"", "bad_scheme");
    BAD("website", "\"javascript:alert(1)\"", "bad_scheme");
    BAD("video_call_url", "\"https://user:pw@meet.example/\"", "credentials_in_url");
    BAD("video_call_url", "\"https://exa mple.com/\"", "invalid_chars");
    BAD("contact_email", "\"not-an-address\"", "bad_format");
    BAD("time_zone", "\"Mars/Olympus_Mons\"", "unknown_time_zone");
    BAD("time_zone", "\"../../etc/passwd\"", "bad_format");
    BAD("time_zone", "\"right/Asia/Seoul\"", "unknown_time_zone");   /* leap-second copies */
    BAD("name_en", "42", "bad_type");
    BAD("colour", "\"red\"", "unknown_field");
    /* several at once: every reason in one reply */
    cJSON *rep = expo_call(&staff.c, "booth.update",
                           "{\"booth_id\":%lld,\"name_en\":\"\",\"website\":\"ftp://x.example\",\"tagline_ko\":\"ok\"}", b.id);
    const cJSON *fields = JGET(JGET(rep, "error"), "fields");
    ASSERT_STR_EQ(JSTR(fields, "name_en"), "required");
    ASSERT_STR_EQ(JSTR(fields, "website"), "bad_scheme");
    ASSERT_EQ(cJSON_GetArraySize(fields), 2);
    cJSON_Delete(rep);
    EXPO_ERR(&staff.c, "bad_request", "booth.update", "{\"booth_id\":%lld}", b.id);   /* nothing to change */
    EXPO_ERR(&staff.c, "not_found", "booth.update", "{\"booth_id\":999999,\"name_en\":\"X\"}");

    /* organizer-only fields: forbidden to staff, nothing written; organizers may */
    char *before = ex_digest();
    EXPO_ERR(&staff.c, "forbidden", "booth.update", "{\"booth_id\":%lld,\"tier\":\"platinum\"}", b.id);
    EXPO_ERR(&staff.c, "forbidden", "booth.update", "{\"booth_id\":%lld,\"slug\":\"mine\",\"name_en\":\"Y\"}", b.id);
    EXPO_ERR(&staff.c, "forbidden", "booth.update", "{\"booth_id\":%lld,\"category\":null}", b.id);
    EXPO_ERR(&staff.c, "forbidden", "booth.update", "{\"booth_id\":%lld,\"sort_order\":1}", b.id);
    char *after = ex_digest();
    ASSERT_STR_EQ(before, after);
    free(before);
    free(after);
    char *cat = ex_sql("SELECT slug FROM categories ORDER BY id DESC LIMIT 1");
    d = EXPO_OK(&org.c, "booth.update",
                "{\"booth_id\":%lld,\"tier\":\"platinum\",\"slug\":\"zephyr-glass\",\"category\":%s,\"sort_order\":7}",
                b.id, json_quote(cat));
    booth = JGET(d, "booth");
    ASSERT_STR_EQ(JSTR(booth, "tier"), "platinum");
    ASSERT_STR_EQ(JSTR(booth, "slug"), "zephyr-glass");
    ASSERT_STR_EQ(JSTR(booth, "category"), cat);
    ASSERT_EQ(JINT(booth, "sort_order"), 7);
    cJSON_Delete(d);
    char *other_slug = ex_sql("SELECT slug FROM booths WHERE id <> %lld ORDER BY id LIMIT 1", b.id);
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"slug\":%s}", b.id, json_quote(other_slug));
    FIELD_ERROR(&org.c, "booth.update", buf, "slug", "taken");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"category\":\"no-such-category\"}", b.id);
    FIELD_ERROR(&org.c, "booth.update", buf, "category", "unknown_category");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"tier\":\"diamond\"}", b.id);
    FIELD_ERROR(&org.c, "booth.update", buf, "tier", "bad_value");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"slug\":\"Bad Slug\"}", b.id);
    FIELD_ERROR(&org.c, "booth.update", buf, "slug", "bad_format");
#undef BAD
    free(cat);
    free(other_slug);
    free(name_ko);
    expo_close(&staff.c);
    expo_close(&org.c);
    ex_down();
}

/* A visitor inside the booth on node B sees booth.updated and products.updated when the
 * staff edit on node A. */
static void test_live_two_nodes(void)
{
    ex_up(2);
    struct ex_booth b, other;
    ex_pick_booth(&b, 1);
    ex_pick_booth(&other, 2);
    struct ex_user staff, visitor, elsewhere;
    ex_login(&staff, ex_a.port, b.staff_email, "staff@A");
    ex_login(&visitor, ex_b.port, "buyer1@demo.expo", "buyer1@B");
    ex_login(&elsewhere, ex_b.port, "buyer2@demo.expo", "buyer2@B");
    cJSON_Delete(EXPO_OK(&visitor.c, "booth.enter", "{\"booth_id\":%lld}", b.id));
    cJSON_Delete(EXPO_OK(&elsewhere.c, "booth.enter", "{\"booth_id\":%lld}", other.id));

    cJSON_Delete(EXPO_OK(&staff.c, "booth.update", "{\"booth_id\":%lld,\"tagline_en\":\"Live from node A\","
                                                   "\"tagline_ko\":\"A 노드에서 실시간\"}", b.id));
    cJSON *ev = expo_event(&visitor.c, "booth.updated", it_ms(5000));
    ASSERT_NOT_NULL(ev);
    const cJSON *booth = JGET(ev, "booth");
    ASSERT_EQ(JINT(booth, "id"), b.id);
    ASSERT_STR_EQ(JSTR(JGET(booth, "tagline"), "en"), "Live from node A");
    ASSERT_STR_EQ(JSTR(JGET(booth, "tagline"), "ko"), "A 노드에서 실시간");
    cJSON_Delete(ev);
    ASSERT_EQ(expo_count_events(&visitor.c, "booth.updated", 300), 0);       /* exactly one */

    cJSON *d = EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"name_en\":\"Glass Cup\",\"name_ko\":\"유리컵\"}", b.id);
    long long pid = JINT(d, "product_id");
    cJSON_Delete(d);
    ev = expo_event(&visitor.c, "products.updated", it_ms(5000));
    ASSERT_NOT_NULL(ev);
    ASSERT_EQ(JINT(ev, "booth_id"), b.id);
    int found = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, JGET(ev, "products")) if (JINT(p, "id") == pid) found = 1;
    ASSERT_TRUE(found);
    cJSON_Delete(ev);
    /* a visitor of another booth hears nothing */
    ASSERT_EQ(expo_count_events(&elsewhere.c, "booth.updated", 300), 0);
    ASSERT_EQ(expo_count_events(&elsewhere.c, "products.updated", 0), 0);
    expo_close(&staff.c);
    expo_close(&visitor.c);
    expo_close(&elsewhere.c);
    ex_down();
}

/* ---- products ---------------------------------------------------------------------------- */

static long long product_count(long long booth) { return ex_sql_long("SELECT count(*) FROM products WHERE booth_id = %lld", booth); }

static void test_products(void)
{
    ex_up(1);
    struct ex_booth b, other;
    ex_pick_booth(&b, 3);
    ex_pick_booth(&other, 4);
    struct ex_user staff;
    ex_login(&staff, ex_a.port, b.staff_email, "staff");
    free(ex_sql("DELETE FROM products WHERE booth_id = %lld", b.id));
    char buf[4000];

    /* create: both names required */
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"name_en\":\"Only English\"}", b.id);
    FIELD_ERROR(&staff.c, "product.save", buf, "name_ko", "required");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"name_en\":\"A\",\"name_ko\":\"가\",\"moq\":%s}", b.id, json_quote(repeat("9", 101)));
    FIELD_ERROR(&staff.c, "product.save", buf, "moq", "too_long");
    cJSON *d = EXPO_OK(&staff.c, "product.save",
                       "{\"booth_id\":%lld,\"name_en\":\"Tea Set\",\"name_ko\":\"다기 세트\",\"description_en\":\"Four cups\","
                       "\"price_note\":\"FOB Busan\",\"moq\":\"200 sets\"}", b.id);
    long long p1 = JINT(d, "product_id");
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "products")), 1);
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"name_en\":\"Kettle\",\"name_ko\":\"주전자\"}", b.id);
    long long p2 = JINT(d, "product_id");
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"name_en\":\"Tray\",\"name_ko\":\"쟁반\"}", b.id);
    long long p3 = JINT(d, "product_id");
    cJSON_Delete(d);

    /* partial update: only the price note; the hall finds the booth by product name */
    cJSON_Delete(EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"product_id\":%lld,\"price_note\":\"EXW\"}", b.id, p1));
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM products WHERE id = %lld AND price_note = 'EXW' AND moq = '200 sets'"
                          " AND name_ko = '다기 세트'", p1), 1);
    d = EXPO_OK(&staff.c, "hall.list", "{\"q\":\"다기 세트\"}");
    ASSERT_GE(JINT(d, "total"), 1);
    cJSON_Delete(d);
    /* a product of another booth is not reachable through this one */
    long long foreign = ex_sql_long("INSERT INTO products (booth_id, name_en, name_ko) VALUES (%lld, 'F', 'F') RETURNING id", other.id);
    EXPO_ERR(&staff.c, "not_found", "product.save", "{\"booth_id\":%lld,\"product_id\":%lld,\"moq\":\"1\"}", b.id, foreign);

    /* images: a PNG uploaded for this booth is accepted; a PDF, another booth's PNG, a PNG of no
       booth or a missing file is refused, each with its field error, and nothing changes */
#define EX_FILE(booth, type, hex, name)                                                               \
    ex_sql_long("INSERT INTO files (booth_id, content_type, byte_size, sha256, data, filename) VALUES"  \
                " (%s, '" type "', 4, sha256('\\x" hex "'::bytea), '\\x" hex "'::bytea, '" name "') RETURNING id", booth)
    char own[24], theirs[24];
    snprintf(own, sizeof own, "%lld", b.id);
    snprintf(theirs, sizeof theirs, "%lld", other.id);
    long long png = EX_FILE(own, "image/png", "89504e47", "a.png");
    long long pdf = EX_FILE(own, "application/pdf", "25504446", "a.pdf");
    long long their_png = EX_FILE(theirs, "image/png", "89504e47", "b.png");
    long long orphan_png = EX_FILE("NULL", "image/png", "89504e47", "c.png");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":%lld}", b.id, p1, their_png);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "other_booth");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"name_en\":\"N\",\"name_ko\":\"N\",\"image_file_id\":%lld}", b.id, their_png);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "other_booth");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":%lld}", b.id, p1, orphan_png);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "other_booth");
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM products WHERE booth_id = %lld AND image_file_id IS NOT NULL", b.id), 0);
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":%lld}", b.id, p1, pdf);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "not_an_image");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":987654}", b.id, p1);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "not_found");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":\"7\"}", b.id, p1);
    FIELD_ERROR(&staff.c, "product.save", buf, "image_file_id", "bad_type");
    cJSON_Delete(EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"product_id\":%lld,\"image_file_id\":%lld}", b.id, p1, png));
    d = EXPO_OK(&staff.c, "booth.get", "{\"booth_id\":%lld}", b.id);
    char want[64];
    snprintf(want, sizeof want, "/files/%lld", png);
    ASSERT_STR_EQ(JSTR(cJSON_GetArrayItem(JGET(JGET(d, "booth"), "products"), 0), "image_url"), want);
    cJSON_Delete(d);

    /* reorder: a permutation of exactly the booth's products */
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_ids\":[%lld,%lld]}", b.id, p3, p1);
    FIELD_ERROR(&staff.c, "product.reorder", buf, "product_ids", "not_a_permutation");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_ids\":[%lld,%lld,%lld,%lld]}", b.id, p3, p1, p2, foreign);
    FIELD_ERROR(&staff.c, "product.reorder", buf, "product_ids", "not_a_permutation");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_ids\":[%lld,%lld,%lld]}", b.id, p3, p1, p1);
    FIELD_ERROR(&staff.c, "product.reorder", buf, "product_ids", "not_a_permutation");
    snprintf(buf, sizeof buf, "{\"booth_id\":%lld,\"product_ids\":\"%lld\"}", b.id, p3);
    FIELD_ERROR(&staff.c, "product.reorder", buf, "product_ids", "bad_type");
    d = EXPO_OK(&staff.c, "product.reorder", "{\"booth_id\":%lld,\"product_ids\":[%lld,%lld,%lld]}", b.id, p3, p1, p2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(d, "products"), 0), "id"), p3);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(d, "products"), 2), "id"), p2);
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "booth.get", "{\"booth_id\":%lld}", b.id);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(JGET(d, "booth"), "products"), 0), "id"), p3);
    cJSON_Delete(d);

    /* delete */
    d = EXPO_OK(&staff.c, "product.delete", "{\"product_id\":%lld}", p2);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "products")), 2);
    cJSON_Delete(d);
    EXPO_ERR(&staff.c, "not_found", "product.delete", "{\"product_id\":%lld}", p2);
    EXPO_ERR(&staff.c, "forbidden", "product.delete", "{\"product_id\":%lld}", foreign);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM products WHERE id = %lld", foreign), 1);

    /* at most 50 per booth */
    free(ex_sql("INSERT INTO products (booth_id, name_en, name_ko) SELECT %lld, 'P' || g, 'P' || g"
                " FROM generate_series(1, 48) g", b.id));
    ASSERT_EQ(product_count(b.id), 50);
    char *before = ex_digest();
    EXPO_ERR(&staff.c, "bad_request", "product.save", "{\"booth_id\":%lld,\"name_en\":\"51st\",\"name_ko\":\"51\"}", b.id);
    char *after = ex_digest();
    ASSERT_STR_EQ(before, after);
    ASSERT_EQ(product_count(b.id), 50);
    /* updating one is still allowed at the limit */
    cJSON_Delete(EXPO_OK(&staff.c, "product.save", "{\"booth_id\":%lld,\"product_id\":%lld,\"moq\":\"10\"}", b.id, p1));
    free(before);
    free(after);
    expo_close(&staff.c);
    ex_down();
}

/* ---- team: invites ----------------------------------------------------------------------- */

/* The token of an invite link "/invite.html#<token>". */
static void link_token(const cJSON *d, char *out, size_t len)
{
    const char *link = JSTR(d, "link");
    const char *hash = strchr(link, '#');
    ASSERT_TRUE(!strncmp(link, "/invite.html#", 13) && hash);
    snprintf(out, len, "%s", hash + 1);
}

static void test_invite_accept(void)
{
    ex_up(1);
    struct ex_booth b;
    ex_pick_booth(&b, 5);
    struct ex_user staff, anon, anon2;
    ex_login(&staff, ex_a.port, b.staff_email, "staff");
    char token[128], buf[1000];

    FIELD_ERROR(&staff.c, "team.invite", "{\"booth_id\":1,\"email\":\"not an address\"}", "email", "bad_format");
    cJSON *d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"Mina.Park@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    ASSERT_EQ((long long)strlen(token), 43);
    cJSON_Delete(d);
    /* stored hashed only */
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM booth_invites WHERE token_hash = sha256(convert_to('%s', 'UTF8'))", token), 1);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM booth_invites WHERE position(convert_to('%s', 'UTF8') IN token_hash) > 0", token), 0);
    /* inviting the same address again replaces the pending invite: one pending per address */
    char old_token[128];
    snprintf(old_token, sizeof old_token, "%s", token);
    d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"mina.park@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    cJSON_Delete(d);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM booth_invites WHERE booth_id = %lld AND accepted_at IS NULL AND revoked_at IS NULL", b.id), 1);
    d = EXPO_OK(&staff.c, "team.list", "{\"booth_id\":%lld}", b.id);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "invites")), 1);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "staff")), 1);
    ASSERT_STR_EQ(JSTR(cJSON_GetArrayItem(JGET(d, "staff"), 0), "email"), b.staff_email);
    cJSON_Delete(d);

    /* the invite page, signed out */
    ex_login(&anon, ex_a.port, NULL, "anon");
    EXPO_ERR(&anon.c, "not_found", "invite.get", "{\"token\":%s}", json_quote(old_token));
    d = EXPO_OK(&anon.c, "invite.get", "{\"token\":%s}", json_quote(token));
    ASSERT_EQ(JINT(JGET(d, "booth"), "id"), b.id);
    ASSERT_STR_EQ(JSTR(d, "email"), "mina.park@colleague.example");
    ASSERT_TRUE(!JBOOL(d, "account_exists"));
    cJSON_Delete(d);
    snprintf(buf, sizeof buf, "{\"token\":%s,\"name\":\"Mina Park\",\"password\":\"short\"}", json_quote(token));
    FIELD_ERROR(&anon.c, "invite.accept", buf, "password", "too_short");
    snprintf(buf, sizeof buf, "{\"token\":%s,\"name\":\" \",\"password\":\"long enough pw\"}", json_quote(token));
    FIELD_ERROR(&anon.c, "invite.accept", buf, "name", "required");
    d = EXPO_OK(&anon.c, "invite.accept", "{\"token\":%s,\"name\":\"Mina Park\",\"password\":\"long enough pw\"}", json_quote(token));
    ASSERT_EQ(JINT(d, "booth_id"), b.id);
    const cJSON *user = JGET(d, "user");
    ASSERT_STR_EQ(JSTR(user, "role"), "exhibitor");
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(user, "booths"), 0), "id"), b.id);
    char session_token[128];
    snprintf(session_token, sizeof session_token, "%s", JSTR(d, "token"));
    cJSON_Delete(d);
    /* the new colleague acts as staff at once, on this session and after a resume */
    cJSON_Delete(EXPO_OK(&anon.c, "booth.update", "{\"booth_id\":%lld,\"tagline_en\":\"Edited by Mina\"}", b.id));
    ex_login(&anon2, ex_a.port, NULL, "mina2");
    cJSON_Delete(EXPO_OK(&anon2.c, "auth.resume", "{\"token\":%s}", json_quote(session_token)));
    cJSON_Delete(EXPO_OK(&anon2.c, "team.list", "{\"booth_id\":%lld}", b.id));
    expo_close(&anon2.c);

    /* two accepts of one link at once: exactly one joins */
    d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"race@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    cJSON_Delete(d);
    struct ex_user r1, r2;
    ex_login(&r1, ex_a.port, NULL, "race1");
    ex_login(&r2, ex_a.port, NULL, "race2");
    long id1 = expo_send(&r1.c, "invite.accept", "{\"token\":%s,\"name\":\"R1\",\"password\":\"long enough pw\"}", json_quote(token));
    long id2 = expo_send(&r2.c, "invite.accept", "{\"token\":%s,\"name\":\"R2\",\"password\":\"long enough pw\"}", json_quote(token));
    cJSON *a1 = expo_reply(&r1.c, id1, it_ms(10000)), *a2 = expo_reply(&r2.c, id2, it_ms(10000));
    ASSERT_TRUE(a1 && a2);
    ASSERT_EQ(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a1, "ok")) + cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a2, "ok")), 1);
    ASSERT_STR_EQ(ex_error_code(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a1, "ok")) ? a2 : a1), "not_found");
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM accounts WHERE lower(email) = 'race@colleague.example'"), 1);
    cJSON_Delete(a1);
    cJSON_Delete(a2);
    expo_close(&r1.c);
    expo_close(&r2.c);

    /* used, unknown, malformed, expired and revoked tokens */
    struct ex_user fresh;
    ex_login(&fresh, ex_a.port, NULL, "fresh");
    EXPO_ERR(&fresh.c, "not_found", "invite.get", "{\"token\":%s}", json_quote(token));
    EXPO_ERR(&fresh.c, "not_found", "invite.accept", "{\"token\":%s,\"name\":\"X\",\"password\":\"long enough pw\"}", json_quote(token));
    EXPO_ERR(&fresh.c, "not_found", "invite.get", "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}");
    EXPO_ERR(&fresh.c, "not_found", "invite.get", "{\"token\":\"../etc\"}");
    expo_close(&fresh.c);
    ex_login(&fresh, ex_a.port, NULL, "fresh2");     /* a new connection: invite.* is rate limited */
    d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"late@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    cJSON_Delete(d);
    free(ex_sql("UPDATE booth_invites SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day'"
                " WHERE lower(email) = 'late@colleague.example'"));
    char *before = ex_digest();
    EXPO_ERR(&fresh.c, "not_found", "invite.accept", "{\"token\":%s,\"name\":\"Late\",\"password\":\"long enough pw\"}", json_quote(token));
    char *after = ex_digest();
    ASSERT_STR_EQ(before, after);
    free(before);
    free(after);
    d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"revoked@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    long long invite_id = JINT(JGET(d, "invite"), "id");
    cJSON_Delete(d);
    d = EXPO_OK(&staff.c, "team.invite.revoke", "{\"booth_id\":%lld,\"invite_id\":%lld}", b.id, invite_id);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "invites")), 0);
    cJSON_Delete(d);
    EXPO_ERR(&fresh.c, "not_found", "invite.get", "{\"token\":%s}", json_quote(token));
    EXPO_ERR(&staff.c, "not_found", "team.invite.revoke", "{\"booth_id\":%lld,\"invite_id\":%lld}", b.id, invite_id);
    /* an address that already staffs the booth */
    EXPO_ERR(&staff.c, "conflict", "team.invite", "{\"booth_id\":%lld,\"email\":\"MINA.PARK@colleague.example\"}", b.id);
    expo_close(&fresh.c);

    /* an existing account: signed out it must sign in first; signed in as another address it
     * is refused; signed in as the invited address it joins and becomes an exhibitor */
    d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"buyer3@demo.expo\"}", b.id);
    link_token(d, token, sizeof token);
    cJSON_Delete(d);
    ex_login(&fresh, ex_a.port, NULL, "fresh3");
    d = EXPO_OK(&fresh.c, "invite.get", "{\"token\":%s}", json_quote(token));
    ASSERT_TRUE(JBOOL(d, "account_exists"));
    cJSON_Delete(d);
    EXPO_ERR(&fresh.c, "conflict", "invite.accept", "{\"token\":%s,\"name\":\"B3\",\"password\":\"long enough pw\"}", json_quote(token));
    expo_close(&fresh.c);
    struct ex_user buyer4, buyer3;
    ex_login(&buyer4, ex_a.port, "buyer4@demo.expo", "buyer4");
    EXPO_ERR(&buyer4.c, "forbidden", "invite.accept", "{\"token\":%s}", json_quote(token));
    ex_login(&buyer3, ex_a.port, "buyer3@demo.expo", "buyer3");
    ASSERT_STR_EQ(buyer3.role, "visitor");
    /* another session of the same buyer, inside the booth as a visitor */
    struct ex_user buyer3b;
    ex_login(&buyer3b, ex_a.port, "buyer3@demo.expo", "buyer3b");
    d = EXPO_OK(&buyer3b.c, "booth.enter", "{\"booth_id\":%lld}", b.id);
    ASSERT_STR_EQ(JSTR(d, "role"), "visitor");
    cJSON_Delete(d);
    EXPO_ERR(&buyer3b.c, "forbidden", "team.list", "{\"booth_id\":%lld}", b.id);
    d = EXPO_OK(&buyer3.c, "invite.accept", "{\"token\":%s}", json_quote(token));
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "role"), "exhibitor");
    cJSON_Delete(d);
    /* the session's role followed: a staff-only type works without signing in again */
    cJSON_Delete(EXPO_OK(&buyer3.c, "team.list", "{\"booth_id\":%lld}", b.id));
    /* so did the other session's, told by team.joined; inside the booth it counts as staff */
    cJSON *ev = expo_event(&buyer3b.c, "team.joined", it_ms(5000));
    ASSERT_NOT_NULL(ev);
    ASSERT_EQ(JINT(ev, "booth_id"), b.id);
    cJSON_Delete(ev);
    cJSON_Delete(EXPO_OK(&buyer3b.c, "team.list", "{\"booth_id\":%lld}", b.id));
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM presence WHERE booth_id = %lld AND account_id = %lld AND role = 'staff'",
                          b.id, buyer3.id), 1);
    /* the counts follow (an earlier presence.changed from the enter may come first) */
    int staff_seen = 0;
    for (double until = it_now() + it_ms(5000) / 1000.0; !staff_seen && it_now() < until;) {
        ev = expo_event(&buyer3b.c, "presence.changed", it_ms(1000));
        if (ev) staff_seen = JINT(ev, "staff_online") >= 1;
        cJSON_Delete(ev);
    }
    ASSERT_TRUE(staff_seen);
    expo_close(&buyer3b.c);
    expo_close(&buyer3.c);
    expo_close(&buyer4.c);
    expo_close(&anon.c);
    expo_close(&staff.c);
    ex_down();
}

/* ---- team.remove --------------------------------------------------------------------------- */

static void test_remove_two_nodes(void)
{
    ex_up(2);
    struct ex_booth b;
    ex_pick_booth(&b, 6);
    struct ex_user staff, anon, org;
    ex_login(&staff, ex_a.port, b.staff_email, "staff@A");
    char token[128];
    cJSON *d = EXPO_OK(&staff.c, "team.invite", "{\"booth_id\":%lld,\"email\":\"jun@colleague.example\"}", b.id);
    link_token(d, token, sizeof token);
    cJSON_Delete(d);
    /* the colleague joins on node B and enters the booth as staff */
    ex_login(&anon, ex_b.port, NULL, "jun@B");
    d = EXPO_OK(&anon.c, "invite.accept", "{\"token\":%s,\"name\":\"Jun\",\"password\":\"long enough pw\"}", json_quote(token));
    long long jun = JINT(JGET(d, "user"), "id");
    cJSON_Delete(d);
    d = EXPO_OK(&anon.c, "booth.enter", "{\"booth_id\":%lld}", b.id);
    ASSERT_STR_EQ(JSTR(d, "role"), "staff");
    cJSON_Delete(d);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM presence WHERE booth_id = %lld AND account_id = %lld AND role = 'staff'", b.id, jun), 1);
    cJSON_Delete(EXPO_OK(&anon.c, "product.save", "{\"booth_id\":%lld,\"name_en\":\"By Jun\",\"name_ko\":\"준\"}", b.id));

    /* removed on node A: the session on node B is told and refused at once */
    d = EXPO_OK(&staff.c, "team.remove", "{\"booth_id\":%lld,\"account_id\":%lld}", b.id, jun);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "staff")), 1);
    cJSON_Delete(d);
    cJSON *ev = expo_event(&anon.c, "team.removed", it_ms(5000));
    ASSERT_NOT_NULL(ev);
    ASSERT_EQ(JINT(ev, "booth_id"), b.id);
    cJSON_Delete(ev);
    char *before = ex_digest();
    EXPO_ERR(&anon.c, "forbidden", "product.save", "{\"booth_id\":%lld,\"name_en\":\"Again\",\"name_ko\":\"다시\"}", b.id);
    EXPO_ERR(&anon.c, "forbidden", "booth.update", "{\"booth_id\":%lld,\"tagline_en\":\"x\"}", b.id);
    EXPO_ERR(&anon.c, "forbidden", "team.list", "{\"booth_id\":%lld}", b.id);
    char *after = ex_digest();
    ASSERT_STR_EQ(before, after);
    /* it counts as a visitor inside the booth now, on every node's view */
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM presence WHERE booth_id = %lld AND account_id = %lld AND role = 'staff'", b.id, jun), 0);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM presence WHERE booth_id = %lld AND account_id = %lld AND role = 'visitor'", b.id, jun), 1);
    EXPO_ERR(&staff.c, "not_found", "team.remove", "{\"booth_id\":%lld,\"account_id\":%lld}", b.id, jun);

    /* the last staff member cannot leave; an organizer may remove them */
    long long me = staff.id;
    EXPO_ERR(&staff.c, "conflict", "team.remove", "{\"booth_id\":%lld,\"account_id\":%lld}", b.id, me);
    ASSERT_EQ(ex_sql_long("SELECT count(*) FROM booth_staff WHERE booth_id = %lld", b.id), 1);
    ex_login(&org, ex_b.port, "organizer@demo.expo", "org@B");
    cJSON_Delete(EXPO_OK(&org.c, "team.remove", "{\"booth_id\":%lld,\"account_id\":%lld}", b.id, me));
    ev = expo_event(&staff.c, "team.removed", it_ms(5000));
    ASSERT_NOT_NULL(ev);
    cJSON_Delete(ev);
    EXPO_ERR(&staff.c, "forbidden", "team.list", "{\"booth_id\":%lld}", b.id);
    free(before);
    free(after);
    expo_close(&org.c);
    expo_close(&anon.c);
    expo_close(&staff.c);
    ex_down();
}

static const struct it_test tests[] = {
    {"booth_update", test_booth_update, 120},
    {"live_two_nodes", test_live_two_nodes, 120},
    {"products", test_products, 120},
    {"invite_accept", test_invite_accept, 120},
    {"remove_two_nodes", test_remove_two_nodes, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
