/* form.c — see form.h. */
#include "domains/exhibitor/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/validate.h"

static const struct form_field *find(const struct form_field *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fields[i].name, name)) return &fields[i];
    return NULL;
}

static bool skipped(const char *const *skip, const char *name)
{
    for (; skip && *skip; skip++)
        if (!strcmp(*skip, name)) return true;
    return false;
}

/* A cleaned text value, or NULL with *reason set. Single-line fields lose their newlines. */
static char *clean_text(const struct form_field *f, const char *raw, const char **reason)
{
    if (!utf8_valid(raw, strlen(raw))) { *reason = validate_err_code(VALIDATE_ERR_UTF8); return NULL; }
    char *t = text_clean(raw);
    if (f->kind != FORM_TEXT)
        for (char *p = t; *p; p++)
            if (*p == '\n') *p = ' ';
    return t;
}

static const char *check_value(const struct form_field *f, const char *t)
{
    int e = VALIDATE_OK;
    switch (f->kind) {
    case FORM_LINE:
    case FORM_TEXT: e = validate_text_len(t, f->min, f->max); break;
    case FORM_URL: e = validate_text_len(t, 0, f->max); if (!e) e = validate_url_http(t); break;
    case FORM_EMAIL: e = validate_email(t); break;
    case FORM_TZ: e = validate_tz_name(t, NULL); break;
    case FORM_SLUG: e = validate_slug(t); if (!e && strlen(t) < 2) e = VALIDATE_ERR_TOO_SHORT; break;
    case FORM_TIER:
        return strcmp(t, "platinum") && strcmp(t, "gold") && strcmp(t, "standard") ? "bad_value" : NULL;
    default: return "bad_type";
    }
    return e ? validate_err_code(e) : NULL;
}

static void check_one(const struct form_field *f, const cJSON *v, cJSON *patch, cJSON *errors)
{
    if (cJSON_IsNull(v)) {
        if (f->nullable) cJSON_AddNullToObject(patch, f->name);
        else cJSON_AddStringToObject(errors, f->name, "required");
        return;
    }
    if (f->kind == FORM_INT || f->kind == FORM_ID) {
        double d = v->valuedouble;
        double lo = f->kind == FORM_ID ? 1 : (double)f->min, hi = f->kind == FORM_ID ? 9007199254740991.0 : (double)f->max;
        if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d)) cJSON_AddStringToObject(errors, f->name, "bad_type");
        else if (d < lo || d > hi) cJSON_AddStringToObject(errors, f->name, "bad_value");
        else {
            /* as decimal text: cJSON would print 1e15 as "1e+15", which ::bigint refuses */
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)d);
            cJSON_AddStringToObject(patch, f->name, num);
        }
        return;
    }
    if (!cJSON_IsString(v)) { cJSON_AddStringToObject(errors, f->name, "bad_type"); return; }
    const char *reason = NULL;
    char *t = clean_text(f, v->valuestring, &reason);
    if (!t) { cJSON_AddStringToObject(errors, f->name, reason); return; }
    if (!*t) {
        if (f->nullable) cJSON_AddNullToObject(patch, f->name);
        else cJSON_AddStringToObject(errors, f->name, "required");
    } else if ((reason = check_value(f, t))) {
        cJSON_AddStringToObject(errors, f->name, reason);
    } else {
        cJSON_AddStringToObject(patch, f->name, t);
    }
    free(t);
}

cJSON *form_check(const struct form_field *fields, size_t n, const cJSON *data, const char *const *skip,
                  cJSON *errors)
{
    cJSON *patch = cJSON_CreateObject();
    const cJSON *v;
    cJSON_ArrayForEach(v, data) {
        if (skipped(skip, v->string)) continue;
        const struct form_field *f = find(fields, n, v->string);
        if (!f) {
            /* a name chosen by the client: echoed only when short and printable */
            if (strlen(v->string) <= 64 && utf8_valid(v->string, strlen(v->string)))
                cJSON_AddStringToObject(errors, v->string, "unknown_field");
            else
                cJSON_AddStringToObject(errors, "_", "unknown_field");
            continue;
        }
        if (cJSON_GetObjectItemCaseSensitive(errors, f->name)) continue;   /* a repeated key */
        check_one(f, v, patch, errors);
    }
    return patch;
}

bool form_has_organizer_field(const struct form_field *fields, size_t n, const cJSON *data)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i].organizer_only && cJSON_GetObjectItemCaseSensitive(data, fields[i].name)) return true;
    return false;
}
