/* recount_pacing.h — how often this node recounts the booths it has members in and sends
 * them presence.changed, pure (no loop, no database) so it is unit-tested on its own.
 *
 * A recount sends one event to every member of every changed booth. While visitors pour into
 * crowded booths, a fixed 100 ms period made those events most of what boothd and its
 * clients did: 200 booths of 95 members, each recounted ten times a second, are up to 190,000
 * deliveries/s, about 30 per join (issue 15, the joins benchmark). So the pause after a
 * recount grows with the events it sent, to keep them near PRESENCE_DELIVERIES_PER_S: a booth
 * with a handful of people still hears of a newcomer within PRESENCE_DEBOUNCE_MS, a hall of
 * crowded booths at most once per PRESENCE_RECOUNT_MAX_MS (a count a second old is as good
 * as live to the people reading "95 visitors now"). */
#ifndef BOOTHD_RECOUNT_PACING_H
#define BOOTHD_RECOUNT_PACING_H

#include <stdint.h>

/* The shortest wait after the first change: what else changes meanwhile goes in the same
 * recount (and the same announcement to the other nodes). */
#define PRESENCE_DEBOUNCE_MS 100
#define PRESENCE_RECOUNT_MAX_MS 1000
/* presence.changed deliveries per second one node aims to stay under: at about 3 µs of CPU
 * each (fan-out benchmark), 6 % of a core. */
#define PRESENCE_DELIVERIES_PER_S 20000

/* How long from now_ms until the next recount may run, when the last one sent its events at
 * last_ms to last_deliveries members (0 and 0 before the first): at least
 * PRESENCE_DEBOUNCE_MS, and until last_ms + the pause its deliveries earned (their share of
 * PRESENCE_DELIVERIES_PER_S, at most PRESENCE_RECOUNT_MAX_MS). */
uint64_t presence_recount_delay_ms(uint64_t now_ms, uint64_t last_ms, uint64_t last_deliveries);

#endif
