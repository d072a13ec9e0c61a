/* form_reply.h — a form checked for a request (form.h) and turned into its answer: the patch
 * for the database, or the refusal already sent. Shared by the exhibitor console's editors
 * (booth.update, product.save) and the organizer console's set-up forms (booth.save, ...). */
#ifndef BOOTHD_EX_FORM_REPLY_H
#define BOOTHD_EX_FORM_REPLY_H

#include <cJSON.h>
#include <stddef.h>

#include "domains/exhibitor/form.h"

struct request;

/* Checks the fields of `data` (usually r->data) except the names in `skip`; `required`
 * (NULL-terminated, may be NULL) must be present. Returns the patch as JSON text (caller
 * frees), or NULL after answering r with bad_request: with error.fields, or "nothing to
 * change" when no field was sent. */
char *form_patch_or_reply(struct request *r, const cJSON *data, const struct form_field *fields, size_t n,
                          const char *const *skip, const char *const *required);

#endif
