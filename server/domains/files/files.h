/* files.h — the files domain: uploads into PostgreSQL (POST /upload, upload.h) and serving
 * them to every node's clients (GET /files/<id>, download.h). */
#ifndef BOOTHD_FILES_H
#define BOOTHD_FILES_H

#include "core/domain.h"

struct app;

/* The domain's state (`self` of its http routes). */
struct files {
    struct app *app;
};

extern const struct domain files_domain;

#endif
