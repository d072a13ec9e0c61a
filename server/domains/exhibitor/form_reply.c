/* form_reply.c — see form_reply.h. */
#include "domains/exhibitor/form_reply.h"

#include "core/request.h"

char *form_patch_or_reply(struct request *r, const cJSON *data, const struct form_field *fields, size_t n,
                          const char *const *skip, const char *const *required)
{
    cJSON *errors = cJSON_CreateObject();
    cJSON *patch = form_check(fields, n, data, skip, errors);
    for (; required && *required; required++)
        if (!cJSON_GetObjectItemCaseSensitive(patch, *required) && !cJSON_GetObjectItemCaseSensitive(errors, *required))
            cJSON_AddStringToObject(errors, *required, "required");
    char *json = NULL;
    if (cJSON_GetArraySize(errors)) {
        request_error_fields(r, errors, "check the marked fields");
        errors = NULL;
    } else if (!cJSON_GetArraySize(patch)) {
        request_error(r, PROTO_BAD_REQUEST, "nothing to change: send at least one field");
    } else {
        json = cJSON_PrintUnformatted(patch);
    }
    cJSON_Delete(errors);
    cJSON_Delete(patch);
    return json;
}
