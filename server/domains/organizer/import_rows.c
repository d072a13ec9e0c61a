/* import_rows.c — see import_rows.h. */
#include "domains/organizer/import_rows.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/csv.h"
#include "util/validate.h"

enum col { C_COMPANY_EN, C_COMPANY_KO, C_SLUG, C_NAME_EN, C_NAME_KO, C_CATEGORY, C_TIER, C_SORT, C_COUNTRY,
           C_EMAIL, C_STAFF_NAME, C_N };
static const char *const col_names[C_N] = {"company_en", "company_ko", "booth_slug", "booth_name_en", "booth_name_ko",
    "category", "tier", "sort_order", "country", "staff_email", "staff_name"};
static const bool col_required[C_N] = {true, true, true, true, true};
/* Code points allowed per text column (0: not a length-checked text). */
static const size_t col_max[C_N] = {200, 200, 0, 200, 200, 0, 0, 0, 64, 0, 200};

static void add_error(cJSON *errors, size_t line, const char *column, const char *reason)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "line", (double)line);
    cJSON_AddStringToObject(e, "column", column ? column : "");
    cJSON_AddStringToObject(e, "reason", reason);
    cJSON_AddItemToArray(errors, e);
}

/* True when some earlier good row has the same value under key. */
static bool seen(const cJSON *rows, const char *key, const char *value)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, rows) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
        if (cJSON_IsString(v) && !strcasecmp(v->valuestring, value)) return true;
    }
    return false;
}

/* Checks one record against the header map; adds its errors, or the row to rows. */
static void check_row(const struct csv_record *rec, const int *map, cJSON *rows, cJSON *errors)
{
    const char *v[C_N];
    for (int c = 0; c < C_N; c++) v[c] = map[c] >= 0 && (size_t)map[c] < rec->nfields ? rec->fields[map[c]] : "";
    size_t before = (size_t)cJSON_GetArraySize(errors);
    for (int c = 0; c < C_N; c++) {
        if (col_required[c] && !*v[c]) { add_error(errors, rec->line, col_names[c], "required"); continue; }
        if (col_max[c] && *v[c] && validate_text_len(v[c], 1, col_max[c]))
            add_error(errors, rec->line, col_names[c], "too long");
    }
    if (*v[C_SLUG] && validate_slug(v[C_SLUG]))
        add_error(errors, rec->line, "booth_slug", "use lower-case letters, digits and single hyphens (e.g. haneul-cosmetics)");
    else if (*v[C_SLUG] && strlen(v[C_SLUG]) < 2)
        add_error(errors, rec->line, "booth_slug", "at least 2 characters");
    else if (*v[C_SLUG] && seen(rows, "slug", v[C_SLUG]))
        add_error(errors, rec->line, "booth_slug", "the same slug is on an earlier line");
    if (*v[C_CATEGORY] && validate_slug(v[C_CATEGORY])) add_error(errors, rec->line, "category", "not a category slug");
    if (*v[C_TIER] && strcmp(v[C_TIER], "platinum") && strcmp(v[C_TIER], "gold") && strcmp(v[C_TIER], "standard"))
        add_error(errors, rec->line, "tier", "must be platinum, gold or standard");
    long sort = 0;
    if (*v[C_SORT]) {
        char *end;
        errno = 0;
        sort = strtol(v[C_SORT], &end, 10);
        if (errno || *end || sort < -1000000 || sort > 1000000)
            add_error(errors, rec->line, "sort_order", "must be a whole number between -1000000 and 1000000");
    }
    if (*v[C_COUNTRY] && validate_text_len(v[C_COUNTRY], 2, 64)) add_error(errors, rec->line, "country", "2 to 64 characters");
    if (*v[C_EMAIL]) {
        if (validate_email(v[C_EMAIL])) add_error(errors, rec->line, "staff_email", validate_err_message(validate_email(v[C_EMAIL])));
        else if (seen(rows, "email", v[C_EMAIL])) add_error(errors, rec->line, "staff_email", "the same e-mail is on an earlier line");
        if (!*v[C_STAFF_NAME]) add_error(errors, rec->line, "staff_name", "required with staff_email");
    } else if (*v[C_STAFF_NAME]) {
        add_error(errors, rec->line, "staff_email", "required with staff_name");
    }
    if ((size_t)cJSON_GetArraySize(errors) != before) return;

    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "line", (double)rec->line);
    cJSON_AddStringToObject(r, "company_en", v[C_COMPANY_EN]);
    cJSON_AddStringToObject(r, "company_ko", v[C_COMPANY_KO]);
    cJSON_AddStringToObject(r, "country", *v[C_COUNTRY] ? v[C_COUNTRY] : "KR");
    cJSON_AddStringToObject(r, "slug", v[C_SLUG]);
    cJSON_AddStringToObject(r, "name_en", v[C_NAME_EN]);
    cJSON_AddStringToObject(r, "name_ko", v[C_NAME_KO]);
    if (*v[C_CATEGORY]) cJSON_AddStringToObject(r, "category", v[C_CATEGORY]);
    else cJSON_AddNullToObject(r, "category");
    cJSON_AddStringToObject(r, "tier", *v[C_TIER] ? v[C_TIER] : "standard");
    cJSON_AddNumberToObject(r, "sort_order", (double)sort);
    if (*v[C_EMAIL]) {
        cJSON_AddStringToObject(r, "email", v[C_EMAIL]);
        cJSON_AddStringToObject(r, "staff_name", v[C_STAFF_NAME]);
    } else {
        cJSON_AddNullToObject(r, "email");
        cJSON_AddNullToObject(r, "staff_name");
    }
    cJSON_AddItemToArray(rows, r);
}

int import_rows_parse(const char *data, size_t len, cJSON **rows_out, cJSON **errors_out)
{
    cJSON *rows = cJSON_CreateArray(), *errors = cJSON_CreateArray();
    *rows_out = rows;
    *errors_out = errors;
    const struct csv_limits lim = {.max_field_bytes = 2000, .max_fields = 32, .max_rows = IMPORT_MAX_ROWS + 1};
    struct csv_reader rd;
    csv_reader_init(&rd, data, len, &lim);
    struct csv_record rec;
    int map[C_N];
    for (int c = 0; c < C_N; c++) map[c] = -1;
    int rc = csv_read(&rd, &rec), n = 0;
    if (rc <= 0) {
        add_error(errors, rc < 0 ? rec.line : 1, NULL, rc < 0 ? rd.msg : "the file is empty: the first line names the columns");
        csv_reader_free(&rd);
        return 0;
    }
    for (size_t i = 0; i < rec.nfields; i++) {
        bool known = false;
        for (int c = 0; c < C_N; c++)
            if (!strcasecmp(rec.fields[i], col_names[c])) {
                if (map[c] >= 0) add_error(errors, rec.line, col_names[c], "column named twice");
                map[c] = (int)i;
                known = true;
            }
        if (!known) add_error(errors, rec.line, rec.fields[i], "unknown column");
    }
    for (int c = 0; c < C_N; c++)
        if (col_required[c] && map[c] < 0) add_error(errors, 1, col_names[c], "required column missing");
    if (cJSON_GetArraySize(errors)) { csv_reader_free(&rd); return 0; }
    while ((rc = csv_read(&rd, &rec)) != 0) {
        n++;
        if (rc == CSV_ERR_TOO_MANY_ROWS) {
            add_error(errors, rec.line, NULL, "more than 1000 rows: split the file");
            break;
        }
        if (rc < 0) { add_error(errors, rec.line, NULL, rd.msg); continue; }
        check_row(&rec, map, rows, errors);
    }
    csv_reader_free(&rd);
    return n;
}
