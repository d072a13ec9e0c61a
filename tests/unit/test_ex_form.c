/* test_ex_form.c — the exhibitor domain's form checks (server/domains/exhibitor/form.c): what
 * goes into the patch (partial, cleaned, nulls for cleared optional fields, integers as text)
 * and the per-field reasons the protocol promises (docs/protocol.md, Per-field errors). */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "domains/exhibitor/form.h"

static const struct form_field fields[] = {
    {"name_en", FORM_LINE, 1, 5, false, false},
    {"tagline_en", FORM_LINE, 0, 10, true, false},
    {"description_en", FORM_TEXT, 0, 100, true, false},
    {"website", FORM_URL, 0, 40, true, false},
    {"contact_email", FORM_EMAIL, 0, 254, true, false},
    {"time_zone", FORM_TZ, 1, 64, false, false},
    {"slug", FORM_SLUG, 2, 63, false, true},
    {"tier", FORM_TIER, 0, 0, false, true},
    {"sort_order", FORM_INT, 0, 1000, false, true},
    {"image_file_id", FORM_ID, 0, 0, true, false},
};
#define N (sizeof fields / sizeof fields[0])

/* Runs form_check on a JSON text; returns the patch and the reasons (both to free). */
static cJSON *run(const char *json, cJSON **errors)
{
    cJSON *data = cJSON_Parse(json);
    if (!data) { fprintf(stderr, "bad test JSON: %s\n", json); abort(); }
    static const char *const skip[] = {"booth_id", NULL};
    *errors = cJSON_CreateObject();
    cJSON *patch = form_check(fields, N, data, skip, *errors);
    cJSON_Delete(data);
    return patch;
}

static const char *reason(const cJSON *errors, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(errors, name);
    return cJSON_IsString(v) ? v->valuestring : "(none)";
}

/* The reason for one field sent alone with value `value` (JSON text). */
static const char *reason_for(const char *name, const char *value)
{
    static char out[64];
    char json[512];
    snprintf(json, sizeof json, "{\"%s\":%s}", name, value);
    cJSON *errors, *patch = run(json, &errors);
    snprintf(out, sizeof out, "%s", reason(errors, name));
    cJSON_Delete(patch);
    cJSON_Delete(errors);
    return out;
}

static void test_patch(void)
{
    cJSON *errors;
    cJSON *patch = run("{\"booth_id\":3,\"name_en\":\"  Ab\\tc \",\"tagline_en\":\"\",\"description_en\":\"a\\n\\n\\n\\nb\","
                       "\"sort_order\":7,\"image_file_id\":1000000000000000,\"website\":null}", &errors);
    CHECK_INT(cJSON_GetArraySize(errors), 0);
    CHECK(!cJSON_GetObjectItemCaseSensitive(patch, "booth_id"));          /* skipped */
    CHECK(!cJSON_GetObjectItemCaseSensitive(patch, "time_zone"));         /* not sent: not changed */
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(patch, "name_en")->valuestring, "Ab c");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(patch, "tagline_en")));     /* "" clears */
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(patch, "website")));        /* null clears */
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(patch, "description_en")->valuestring, "a\n\nb");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(patch, "sort_order")->valuestring, "7");
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(patch, "image_file_id")->valuestring, "1000000000000000");
    cJSON_Delete(patch);
    cJSON_Delete(errors);
    /* a one-line field loses its newlines */
    patch = run("{\"tagline_en\":\"a\\nb\"}", &errors);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(patch, "tagline_en")->valuestring, "a b");
    cJSON_Delete(patch);
    cJSON_Delete(errors);
}

static void test_reasons(void)
{
    CHECK_STR(reason_for("name_en", "\"abcdef\""), "too_long");
    CHECK_STR(reason_for("name_en", "\"가나다라마바\""), "too_long");   /* code points, not bytes */
    CHECK_STR(reason_for("name_en", "\"가나다라마\""), "(none)");
    CHECK_STR(reason_for("name_en", "\" \""), "required");
    CHECK_STR(reason_for("name_en", "null"), "required");
    CHECK_STR(reason_for("name_en", "5"), "bad_type");
    CHECK_STR(reason_for("website", "\"ftp://x.example\""), "bad_scheme");
    CHECK_STR(reason_for("website", "\"https://u:p@x.example\""), "credentials_in_url");
    CHECK_STR(reason_for("website", "\"https://example.com/a-path-that-is-far-too-long\""), "too_long");
    CHECK_STR(reason_for("contact_email", "\"nobody\""), "bad_format");
    CHECK_STR(reason_for("time_zone", "\"Asia/Seoul\""), "(none)");
    CHECK_STR(reason_for("time_zone", "\"Mars/Base\""), "unknown_time_zone");
    CHECK_STR(reason_for("time_zone", "\"../etc/passwd\""), "bad_format");
    CHECK_STR(reason_for("slug", "\"a\""), "too_short");
    CHECK_STR(reason_for("slug", "\"Bad Slug\""), "bad_format");
    CHECK_STR(reason_for("tier", "\"diamond\""), "bad_value");
    CHECK_STR(reason_for("sort_order", "1001"), "bad_value");
    CHECK_STR(reason_for("sort_order", "1.5"), "bad_type");
    CHECK_STR(reason_for("image_file_id", "0"), "bad_value");
    CHECK_STR(reason_for("image_file_id", "\"7\""), "bad_type");
    CHECK_STR(reason_for("colour", "\"red\""), "unknown_field");
}

static void test_organizer_fields(void)
{
    cJSON *d = cJSON_Parse("{\"name_en\":\"x\",\"tier\":\"gold\"}");
    CHECK(form_has_organizer_field(fields, N, d));
    cJSON_Delete(d);
    d = cJSON_Parse("{\"name_en\":\"x\",\"time_zone\":\"Asia/Seoul\"}");
    CHECK(!form_has_organizer_field(fields, N, d));
    cJSON_Delete(d);
}

int main(void)
{
    test_patch();
    test_reasons();
    test_organizer_fields();
    return check_report("test_ex_form");
}
