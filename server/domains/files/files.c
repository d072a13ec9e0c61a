/* files.c — the files domain object: two HTTP routes, no messages, no channel. */
#include "domains/files/files.h"

#include <stdlib.h>

#include "domains/files/download.h"
#include "domains/files/upload.h"

static void *files_create(struct app *app)
{
    struct files *f = calloc(1, sizeof *f);
    if (!f) abort();
    f->app = app;
    return f;
}

static void files_destroy(void *self) { free(self); }

static const struct http_route http_routes[] = {
    {.mount = "/files", .fn = files_download},
    {.mount = "/upload", .upload = &files_upload},
};

const struct domain files_domain = {
    .name = "files",
    .http_routes = http_routes,
    .n_http_routes = sizeof http_routes / sizeof http_routes[0],
    .create = files_create,
    .destroy = files_destroy,
};
