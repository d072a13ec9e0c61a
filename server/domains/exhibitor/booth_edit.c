/* booth_edit.c — booth.profile (what the editor starts from) and booth.update: a booth's staff (or an organizer) change its texts, links and
 * zone; organizers also its slug, tier, category and sort order. Fields are checked here
 * (per-field reasons in error.fields, nothing written when any fails), then one call of
 * exhibitor_booth_update() checks the actor, writes only the fields sent and NOTIFYs, so
 * visitors inside the booth get booth.updated on every node. The hall search follows by
 * itself: booths.search_text is generated from the names and taglines. */
#include <stdlib.h>

#include "core/session.h"
#include "domains/exhibitor/ex_internal.h"

static struct db_stmt q_profile = DB_STMT("ex_booth_profile", "SELECT exhibitor_booth_profile($1, $2)::text");
static struct db_stmt q_update = DB_STMT("ex_booth_update",
    "SELECT exhibitor_booth_update($1, $2, $3::jsonb)::text");

/* Limits follow the columns' CHECKs in schema.sql (booths, companies). */
static const struct form_field booth_fields[] = {
    {"name_en", FORM_LINE, 1, 200, false, false},
    {"name_ko", FORM_LINE, 1, 200, false, false},
    {"tagline_en", FORM_LINE, 0, 300, true, false},
    {"tagline_ko", FORM_LINE, 0, 300, true, false},
    {"description_en", FORM_TEXT, 0, 10000, true, false},
    {"description_ko", FORM_TEXT, 0, 10000, true, false},
    {"website", FORM_URL, 0, 500, true, false},
    {"contact_email", FORM_EMAIL, 0, 254, true, false},
    {"video_call_url", FORM_URL, 0, 500, true, false},
    {"time_zone", FORM_TZ, 1, 64, false, false},
    {"slug", FORM_SLUG, 2, 63, false, true},
    {"tier", FORM_TIER, 0, 0, false, true},
    {"category", FORM_SLUG, 2, 63, true, true},
    {"sort_order", FORM_INT, 0, 1000000, false, true},
};
#define N_FIELDS (sizeof booth_fields / sizeof booth_fields[0])

/* {booth_id, <fields to change>} -> {booth} */
void ex_booth_update(struct request *r)
{
    int64_t booth_id;
    if (ex_get_id(r, "booth_id", &booth_id)) return;
    /* Refused by role before anything else; the function checks it again. */
    if (r->s->role != ROLE_ORGANIZER && form_has_organizer_field(booth_fields, N_FIELDS, r->data)) {
        request_error(r, PROTO_FORBIDDEN, "only organizers may change slug, tier, category or sort order");
        return;
    }
    static const char *const skip[] = {"booth_id", NULL};
    char *json = form_patch_or_reply(r, r->data, booth_fields, N_FIELDS, skip, NULL);
    if (!json) return;
    char b[REQUEST_INT_LEN], a[REQUEST_INT_LEN];
    const char *p[] = {request_int(b, booth_id), request_int(a, r->s->account_id), json};
    ex_run(r, &q_update, 3, p, NULL, NULL, NULL);
    free(json);
}

/* {booth_id} -> {booth}: the fields booth.update edits, as stored. */
void ex_booth_profile(struct request *r) { ex_run_ids(r, &q_profile, "booth_id", NULL); }
