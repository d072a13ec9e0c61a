/* download.h — GET /files/<id>: a stored upload, to any node's clients.
 *
 * Who sees what: a file is public once it is attached (file_is_public() in
 * server/db/functions.sql: a booth's media, logo or banner, or a product image): they are
 * brochures and pictures meant for every visitor, so no token is asked and the answer is
 * cacheable for a year (`public, max-age=31536000, immutable`: the id never names other
 * bytes). An unattached upload (just uploaded, or detached) is 404 for everyone but staff of
 * its booth and organizers presenting their Bearer token (then `private, no-store`).
 *
 * Headers: Content-Type (the stored type), Content-Length, ETag "<sha256 hex>" (strong) and
 * 304 on a matching If-None-Match, Accept-Ranges: bytes, one byte range per request (206 with
 * Content-Range, 416; If-Range honoured), Content-Disposition inline with the original name
 * (util/disposition.h), X-Content-Type-Options: nosniff.
 *
 * Memory: the bytes are read in FILES_CHUNK pieces (substring() on the out-of-line column,
 * which PostgreSQL reads without loading the rest) and each piece is streamed from the kept
 * result; a client holds at most one piece, however large the file.
 * Not yet fuzzed: Range/If-Range/If-None-Match handling (util/httprange.h) gets a fuzz target
 * in a later issue, with the upload path's parsing. */
#ifndef BOOTHD_FILES_DOWNLOAD_H
#define BOOTHD_FILES_DOWNLOAD_H

#include "core/http_reply.h"

#define FILES_CHUNK (256 * 1024)

/* The route's fn: path "/files/<id>". Finishes h. */
void files_download(void *self, struct http_reply *h, const char *path, const char *authorization);

#endif
