/* media.h — the media domain: a booth's videos, live-stream links, brochures, images and links
 * (table booth_media), changed by its staff or an organizer with media.save, media.delete and
 * media.reorder, and pushed to everyone inside the booth on every node as media.changed
 * (one NOTIFY MEDIA_CHANNEL '<booth id>' per change, sent by the SQL functions media_save,
 * media_delete and media_reorder in server/db/functions.sql). */
#ifndef BOOTHD_MEDIA_H
#define BOOTHD_MEDIA_H

#include "core/domain.h"

#define MEDIA_CHANNEL "boothd_media"
#define MEDIA_TITLE_MAX 200

extern const struct domain media_domain;

#endif
