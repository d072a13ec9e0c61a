/* form.h — table-driven checks of a form's fields (booth editor, product editor) into a patch
 * for the database and per-field reasons for the client.
 *
 * A field present in the request is checked by its kind; a present field that is JSON null (or
 * a text that is empty after cleaning) clears an optional field and is "required" for a
 * mandatory one. Fields not present are left out of the patch (partial updates). Reasons are
 * util/validate.h's codes plus "bad_type", "bad_value" and "unknown_field".
 *
 * Ownership: form_check returns a new patch object (caller frees) and adds reasons to `errors`
 * (caller's object); integers go into the patch as decimal strings. Pure: no database;
 * validate_tz_name reads a few bytes of tzdata. */
#ifndef BOOTHD_EX_FORM_H
#define BOOTHD_EX_FORM_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

enum form_kind {
    FORM_LINE,      /* one line of text: cleaned, newlines become spaces */
    FORM_TEXT,      /* several lines of text: cleaned */
    FORM_URL,       /* http(s) link */
    FORM_EMAIL,
    FORM_TZ,        /* IANA time zone from tzdata */
    FORM_SLUG,
    FORM_TIER,      /* platinum / gold / standard */
    FORM_INT,       /* integer in [min, max] */
    FORM_ID,        /* id >= 1 */
};

struct form_field {
    const char *name;
    enum form_kind kind;
    size_t min, max;        /* code points for text, value range for FORM_INT */
    bool nullable;          /* may be cleared */
    bool organizer_only;
};

/* Checks every member of `data` except the names in `skip` (NULL-terminated, e.g. the booth
 * id). Returns the patch; reasons go into `errors`. */
cJSON *form_check(const struct form_field *fields, size_t n, const cJSON *data, const char *const *skip,
                  cJSON *errors);
/* Whether data carries a field of the table marked organizer_only. */
bool form_has_organizer_field(const struct form_field *fields, size_t n, const cJSON *data);

#endif
