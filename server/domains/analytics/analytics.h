/* analytics.h — booth analytics for the booth's staff and organizers.
 *
 * analytics.booth {booth_id} answers totals, per-hour figures over the expo (SQL functions
 * analytics_totals / analytics_hourly in server/db/functions.sql: completed hours from the
 * hourly rollup that rollup.h keeps moving, the last hour or so from `visits`) and the "now" counters
 * (visitors in the booth, staff online: presence, the same definition as presence.changed),
 * and subscribes the session to analytics.now: once a second (ANALYTICS_NOW_MS) a node with
 * subscribers reads the counts of the subscribed booths from the presence table — a few
 * hundred rows at most, never the visit history — and sends analytics.now to a booth's
 * subscribers when a count changed. So a booth's subscribers get at most one event a second,
 * and a node with no analytics page open asks nothing. One subscription per session:
 * analytics.booth for another booth moves it; analytics.unwatch or closing ends it. */
#ifndef BOOTHD_ANALYTICS_H
#define BOOTHD_ANALYTICS_H

#include "core/domain.h"

#define ANALYTICS_NOW_MS 1000

extern const struct domain analytics_domain;

#endif
