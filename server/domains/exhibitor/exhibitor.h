/* exhibitor.h — the exhibitor domain: booth self-service for a booth's staff (and organizers):
 * booth.update, product.save/delete/reorder, team.list/invite/invite.revoke/remove, and the
 * invite page's invite.get/invite.accept.
 *
 * Every write is one plpgsql function (server/db/functions.sql, "exhibitor" block) that checks
 * the actor first and NOTIFYs EXHIBITOR_CHANNEL once per change, in its transaction:
 *   {"k":"booth","b":<booth>}          every node sends booth.updated to its sessions in the booth
 *   {"k":"products","b":<booth>}       ... products.updated
 *   {"k":"staff","b":<booth>,"a":<acc>} every node takes the account's sessions' staff role in
 *                                      that booth away and sends them team.removed
 *   {"k":"joined","b":<booth>,"a":<acc>} the account joined the booth's team (invite.accept):
 *                                      its sessions become exhibitors (if visitors) and staff
 *                                      inside that booth, and get team.joined */
#ifndef BOOTHD_EXHIBITOR_H
#define BOOTHD_EXHIBITOR_H

#include "core/domain.h"

#define EXHIBITOR_CHANNEL "boothd_exhibitor"

extern const struct domain exhibitor_domain;

#endif
