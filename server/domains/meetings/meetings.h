/* meetings.h — the meetings domain: availability, slots, requests, responses,
 * cancellations, lists, and meeting.updated to the local sessions of both parties when any
 * node changed a meeting (NOTIFY MEETING_CHANNEL '<meeting id>', sent by the plpgsql
 * functions in server/db/functions.sql). */
#ifndef BOOTHD_MEETINGS_H
#define BOOTHD_MEETINGS_H

#include "core/domain.h"

#define MEETING_CHANNEL "boothd_meeting"

extern const struct domain meetings_domain;

#endif
