/* leads.h — the leads domain: a visitor shares their business card with a booth by an
 * explicit consent (lead.share, lead.withdraw, lead.mine), the booth's staff work the leads
 * (lead.list with filters, search and paging; lead.update for notes, rating and status) and
 * download them (GET /leads/<booth id>.csv, lead_export.h).
 *
 * Every change is one plpgsql function in server/db/functions.sql that NOTIFYs LEAD_CHANNEL
 * with '<kind> <lead id>' (kind: new, updated, withdrawn); every node then sends lead.new,
 * lead.updated or lead.withdrawn to its sessions of that booth's staff. Leads of one booth
 * are never visible to another: every staff-side read and write goes through the SQL
 * function booth_access(booth, actor, is_organizer). */
#ifndef BOOTHD_LEADS_H
#define BOOTHD_LEADS_H

#include "core/domain.h"

#define LEAD_CHANNEL "boothd_lead"

extern const struct domain leads_domain;

#endif
