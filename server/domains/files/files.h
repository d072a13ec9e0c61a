/* files.h — the files domain: uploads into PostgreSQL (POST /upload, upload.h) and serving
 * them to every node's clients (GET /files/<id>, download.h). */
#ifndef BOOTHD_FILES_H
#define BOOTHD_FILES_H

#include <stdint.h>

#include "core/domain.h"

struct app;

/* The domain's state (`self` of its http routes). */
struct files {
    struct app *app;
    uint64_t upload_bytes;      /* Content-Length of the uploads held in memory now */
};

/* Uploads held in memory at once (bodies being received or being stored), by their
 * declared length: beyond it a new upload gets 503 busy with Retry-After, so a burst of
 * 20 MiB uploads cannot take the node's memory. */
#define FILES_UPLOAD_BYTES_MAX ((uint64_t)160 << 20)

extern const struct domain files_domain;

#endif
