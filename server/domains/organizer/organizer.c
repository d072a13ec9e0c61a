/* organizer.c — the organizer domain: the live dashboard's subscription (stats.subscribe,
 * stats.unsubscribe, the stats.live event, live_stats.c) and its history (stats.history, from
 * the stats_minute rollup); announcements (announce.c); bans and the audit log
 * (moderation.c); the expo's set-up: categories, companies, booths, archiving
 * (setup_expo.c) and the bulk import (import.c). Every route but announcement.list is for organizers only: the dispatcher
 * answers `forbidden` to anyone else before a handler runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/request.h"
#include "db/db.h"
#include "domains/organizer/announce.h"
#include "domains/organizer/exports.h"
#include "domains/organizer/import.h"
#include "domains/organizer/live_stats.h"
#include "domains/organizer/moderation.h"
#include "domains/organizer/organizer_sql.h"
#include "domains/organizer/setup.h"
#include "domains/organizer/setup_expo.h"

struct organizer {
    struct app *app;
    struct live_stats *live;
};

/* Per minute for the last $1 hours, and per hour since the expo's start, at least the last 24
 * hours and at most 31 days: both read the rollup only, at most 44,640 rows. Times in UTC. */
static struct db_stmt q_history = DB_STMT("stats_history",
    "SELECT"
    " coalesce((SELECT json_agg(json_build_object('t', to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "   'sessions', sessions, 'visitors', visitors_in_booths, 'staff', staff_online, 'chat', chat_messages) ORDER BY minute)"
    "   FROM stats_minute WHERE minute > now() - make_interval(hours => $1)), '[]')::text,"
    " coalesce((SELECT json_agg(json_build_object('t', to_char(h AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "   'sessions', s, 'visitors', v, 'staff', st, 'chat', c) ORDER BY h) FROM ("
    "   SELECT date_trunc('hour', minute) h, max(sessions) s, max(visitors_in_booths) v, max(staff_online) st,"
    "     sum(chat_messages) c FROM stats_minute"
    "   WHERE minute >= greatest(least((SELECT starts_at FROM expo), now() - interval '24 hours'), now() - interval '31 days')"
    "   GROUP BY 1) x), '[]')::text");

/* The post-event report: totals and one row per booth. Reads whole tables, which is why it is
 * on demand (report.html), never per second. */
static struct db_stmt q_report = DB_STMT("stats_report",
    "SELECT json_build_object("
    " 'expo', (SELECT json_build_object('name', json_build_object('en', name_en, 'ko', name_ko),"
    "   'starts_at', starts_at, 'ends_at', ends_at, 'time_zone', time_zone) FROM expo),"
    " 'totals', json_build_object("
    "   'visitors', (SELECT count(*) FROM accounts WHERE role = 'visitor'),"
    "   'exhibitors', (SELECT count(*) FROM accounts WHERE role = 'exhibitor'),"
    "   'booths', (SELECT count(*) FROM booths),"
    "   'visits', (SELECT count(*) FROM visits),"
    "   'unique_booth_visitors', (SELECT count(DISTINCT account_id) FROM visits),"
    "   'avg_dwell_seconds', (SELECT coalesce(round(avg(dwell_seconds)), 0) FROM visits WHERE dwell_seconds IS NOT NULL),"
    "   'chat_messages', (SELECT count(*) FROM chat_messages),"
    "   'meetings_requested', (SELECT count(*) FROM meetings),"
    "   'meetings_accepted', (SELECT count(*) FROM meetings WHERE status = 'accepted'),"
    "   'meetings_declined', (SELECT count(*) FROM meetings WHERE status = 'declined'),"
    "   'leads', (SELECT count(*) FROM leads),"
    "   'peak_sessions', (SELECT coalesce(max(sessions), 0) FROM stats_minute)),"
    " 'booths', (SELECT coalesce(json_agg(json_build_object('booth_id', b.id, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko),"
    "   'tier', b.tier, 'visits', (SELECT count(*) FROM visits v WHERE v.booth_id = b.id),"
    "   'unique_visitors', (SELECT count(DISTINCT v.account_id) FROM visits v WHERE v.booth_id = b.id),"
    "   'avg_dwell_seconds', (SELECT coalesce(round(avg(v.dwell_seconds)), 0) FROM visits v WHERE v.booth_id = b.id),"
    "   'chat_messages', (SELECT s.last_seq FROM booth_chat_seq s WHERE s.booth_id = b.id),"
    "   'meetings', (SELECT count(*) FROM meetings m WHERE m.booth_id = b.id),"
    "   'meetings_accepted', (SELECT count(*) FROM meetings m WHERE m.booth_id = b.id AND m.status = 'accepted'),"
    "   'leads', (SELECT count(*) FROM leads l WHERE l.booth_id = b.id)) ORDER BY b.sort_order, b.id), '[]') FROM booths b)"
    ")::text");

static void on_report(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "report", db_result_value(res, 0, 0));
    request_ok(r, d);
}

/* stats.report {} -> {report: {expo, totals, booths}} */
static void handle_report(struct request *r) { (void)request_query(r, &q_report, 0, NULL, on_report, r); }

/* stats.subscribe {} -> {live: the latest stats.live data or null}; stats.live follows every
 * second until stats.unsubscribe or the session ends. */
static void handle_subscribe(struct request *r)
{
    struct organizer *o = r->self;
    cJSON *last = live_stats_subscribe(o->live, r->s);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddItemToObject(d, "live", last ? last : cJSON_CreateNull());
    request_ok(r, d);
}

static void handle_unsubscribe(struct request *r)
{
    struct organizer *o = r->self;
    live_stats_unsubscribe(o->live, r->s);
    request_ok(r, NULL);
}

static void on_history(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "minutes", db_result_value(res, 0, 0));
    cJSON_AddRawToObject(d, "hours", db_result_value(res, 0, 1));
    request_ok(r, d);
}

/* stats.history {hours?: 1..24, default 3} -> {minutes: [...], hours: [...]} */
static void handle_history(struct request *r)
{
    char err[200];
    int64_t hours = 3;
    if (proto_get_int(r->data, "hours", false, 1, 24, &hours, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char hb[REQUEST_INT_LEN];
    const char *p[] = {request_int(hb, hours)};
    (void)request_query(r, &q_history, 1, p, on_history, r);
}

static void *create(struct app *app)
{
    struct organizer *o = calloc(1, sizeof *o);
    if (!o) abort();
    o->app = app;
    o->live = live_stats_new(app);
    return o;
}

static void start(void *self) { live_stats_start(((struct organizer *)self)->live); }
static void stop(void *self) { live_stats_stop(((struct organizer *)self)->live); }

static void session_gone(void *self, struct session *s)
{
    live_stats_session_gone(((struct organizer *)self)->live, s);
}

static void destroy(void *self)
{
    struct organizer *o = self;
    live_stats_free(o->live);
    free(o);
}

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    (void)own;
    struct organizer *o = self;
    if (!strcmp(channel, ANNOUNCE_CHANNEL)) announce_on_notify(o->app, payload);
    else if (!strcmp(channel, BAN_CHANNEL)) moderation_on_ban_notify(o->app, payload);
    else if (!strcmp(channel, CHAT_HIDE_CHANNEL)) moderation_on_hide_notify(o->app, payload);
    else if (!strcmp(channel, HALL_CHANNEL)) setup_on_hall_notify(o->app, payload);
}

static void http_export(void *self, struct http_reply *h, const char *path, const char *authorization)
{
    exports_download(((struct organizer *)self)->app, h, path, authorization);
}

static const struct http_route http_routes[] = {
    {.mount = "/organizer/export", .fn = http_export},
};

static const struct route routes[] = {
    {"account.ban", moderation_handle_ban, ROLE_ORGANIZER, RATE_DEFAULT},
    {"account.setup", setup_handle, ROLES_ANYONE, RATE_AUTH},
    {"account.unban", moderation_handle_unban, ROLE_ORGANIZER, RATE_DEFAULT},
    {"announcement.history", announce_handle_history, ROLE_ORGANIZER, RATE_DEFAULT},
    {"announcement.list", announce_handle_list, ROLES_ANYONE, RATE_DEFAULT},
    {"announcement.publish", announce_handle_publish, ROLE_ORGANIZER, RATE_DEFAULT},
    {"announcement.retract", announce_handle_retract, ROLE_ORGANIZER, RATE_DEFAULT},
    {"audit.list", moderation_handle_audit, ROLE_ORGANIZER, RATE_DEFAULT},
    {"ban.list", moderation_handle_bans, ROLE_ORGANIZER, RATE_DEFAULT},
    {"booth.archive", setup_handle_archive, ROLE_ORGANIZER, RATE_DEFAULT},
    {"booth.save", setup_handle_booth, ROLE_ORGANIZER, RATE_DEFAULT},
    {"category.save", setup_handle_category, ROLE_ORGANIZER, RATE_DEFAULT},
    {"chat.hide", moderation_handle_hide, ROLE_ORGANIZER | ROLE_EXHIBITOR, RATE_DEFAULT},
    {"company.save", setup_handle_company, ROLE_ORGANIZER, RATE_DEFAULT},
    {"expo.import", import_handle, ROLE_ORGANIZER, RATE_DEFAULT},
    {"setup.list", setup_handle_list, ROLE_ORGANIZER, RATE_DEFAULT},
    {"stats.history", handle_history, ROLE_ORGANIZER, RATE_DEFAULT},
    {"stats.report", handle_report, ROLE_ORGANIZER, RATE_DEFAULT},
    {"stats.subscribe", handle_subscribe, ROLE_ORGANIZER, RATE_DEFAULT},
    {"stats.unsubscribe", handle_unsubscribe, ROLE_ORGANIZER, RATE_DEFAULT},
};

const struct domain organizer_domain = {
    .name = "organizer",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .channels = {ANNOUNCE_CHANNEL, BAN_CHANNEL, CHAT_HIDE_CHANNEL, HALL_CHANNEL},
    .on_notify = on_notify,
    .on_session_gone = session_gone,
    .http_routes = http_routes,
    .n_http_routes = sizeof http_routes / sizeof http_routes[0],
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
};
