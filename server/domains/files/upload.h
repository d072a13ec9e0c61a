/* upload.h — POST /upload?booth=<id>&name=<original file name>, with
 * `Authorization: Bearer <session token>` and the file's bytes as the body (any
 * Content-Type; it is not consulted). Staff of that booth or an organizer may upload.
 *
 * Answers (JSON): 201 {"id", "type", "mime", "size", "sha256", "name", "url"}; errors
 * {"error": code, "message": text}: 400 bad_booth / truncated (the body stopped early, or does
 * not end like a complete file), 401 unauthorized, 403 forbidden / origin_not_allowed,
 * 404 no_booth, 411 length_required, 413 too_large (before the body is read when Content-Length says so, or
 * when the first bytes show an image and the length is over the image limit), 415 unsupported_type (decided by the
 * first bytes: PDF, PNG, JPEG, WebP only, util/filetype.h), 503 busy (too many uploads in memory
 * on this node, FILES_UPLOAD_BYTES_MAX; with Retry-After) / unavailable. Nothing is
 * stored unless the answer is 201: the INSERT is the last step and re-checks the right in
 * the same statement.
 *
 * Memory: one buffer per upload, sized by Content-Length (required: 411 length_required
 * without one or with Transfer-Encoding); the bytes go to PostgreSQL as one binary parameter. *
 * Not yet fuzzed: the query/header handling here and util/filetype's checks get a fuzz target
 * in a later issue (with util/httprange's parser, see download.h). */
#ifndef BOOTHD_FILES_UPLOAD_H
#define BOOTHD_FILES_UPLOAD_H

#include "core/domain.h"

extern const struct http_upload files_upload;

#endif
