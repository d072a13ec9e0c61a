/* it_inquiry_desk.c — who gets a booth's inquiry events, on two nodes:
 *   removed_staff   staff removed from the team (on the other node) stop getting the booth's
 *                   desk events at once, and every inquiry action of theirs on it is forbidden;
 *   resync_targets  after a LISTEN reconnect, inquiry.resync goes to desks and buyers with
 *                   threads only, not to every signed-in session;
 *   organizer_desk  the organizers' desk of every booth (inquiry.desk {all}) and list
 *                   (inquiry.list {all, unread_only}); refused to staff and buyers.
 *   it_inquiry_desk <test> <path/to/boothd> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "harness.h"
#include "inquiry_fixture.h"

#define STAFF "staff@haneul-cosmetics.demo.expo"
#define ORGANIZER "organizer@demo.expo"

/* Waits for the next inquiry.message on c and checks its thread and text. */
static void expect_message_at(const char *file, int line, struct expo *c, long long thread, const char *text)
{
    cJSON *e = expo_event(c, "inquiry.message", it_ms(5000));
    if (!e) it_fail(file, line, "%s: no inquiry.message (thread %lld, %s)", c->label, thread, text);
    const cJSON *m = JGET(e, "message");
    if (JINT(m, "thread_id") != thread || strcmp(JSTR(m, "text"), text))
        it_fail(file, line, "%s: expected thread %lld %s, got %s", c->label, thread, text, json_text(m));
    cJSON_Delete(e);
}
#define EXPECT_MESSAGE(c, t, x) expect_message_at(__FILE__, __LINE__, (c), (t), (x))

static long desk_rows(void)
{
    return psql_long(ifx_pg.url, "SELECT count(*) FROM presence WHERE session_id LIKE '%:desk'");
}

static void test_removed_staff(void)
{
    ifx_up();
    struct expo staff, org_desk, org, buyer, buyer2;
    long long staff_id = ifx_login(&staff, ifx_na.port, "staff@A", STAFF);
    long long booth = ifx_desk(&staff);
    ASSERT_EQ(desk_rows(), 1);
    /* a control on node A: an organizer's desk of every booth, which keeps hearing the booth */
    ifx_login(&org_desk, ifx_na.port, "org-desk@A", ORGANIZER);
    cJSON_Delete(EXPO_OK(&org_desk, "inquiry.desk", "{\"all\":true}"));
    ifx_login(&org, ifx_nb.port, "org@B", ORGANIZER);
    ifx_login(&buyer, ifx_nb.port, "buyer1@B", "buyer1@demo.expo");
    ifx_login(&buyer2, ifx_nb.port, "buyer2@B", "buyer2@demo.expo");

    long long thread = ifx_open(&buyer, booth);
    ifx_send(&buyer, thread, "before the removal", "b1");
    EXPECT_MESSAGE(&staff, thread, "before the removal");
    EXPECT_MESSAGE(&org_desk, thread, "before the removal");

    /* the organizer on node B removes the staff member (the booth's last: organizers may) */
    cJSON_Delete(EXPO_OK(&org, "team.remove", "{\"booth_id\":%lld,\"account_id\":%lld}", booth, staff_id));
    cJSON *gone = expo_event(&staff, "team.removed", it_ms(5000));
    ASSERT_TRUE(gone != NULL);
    ASSERT_EQ(JINT(gone, "booth_id"), booth);
    cJSON_Delete(gone);
    expo_discard_events(&staff, NULL);

    /* a new message in the old thread, a new inquiry in the booth, a read mark: none reaches
     * the removed staff member; the organizer's desk on the same node hears all of it */
    ifx_send(&buyer, thread, "after the removal", "b2");
    long long thread2 = ifx_open(&buyer2, booth);
    ifx_send(&buyer2, thread2, "a new inquiry", "n1");
    cJSON_Delete(EXPO_OK(&buyer, "inquiry.read", "{\"thread_id\":%lld,\"seq\":2}", thread));
    EXPECT_MESSAGE(&org_desk, thread, "after the removal");
    EXPECT_MESSAGE(&org_desk, thread2, "a new inquiry");
    IFX_NO_INQUIRY_EVENTS(&staff, it_ms(1500));

    /* every inquiry action of theirs on the booth is refused, and nothing is written */
    EXPO_ERR(&staff, "forbidden", "inquiry.send", "{\"thread_id\":%lld,\"text\":\"still here?\",\"client_msg_id\":\"s1\"}", thread);
    EXPO_ERR(&staff, "forbidden", "inquiry.history", "{\"thread_id\":%lld}", thread2);
    EXPO_ERR(&staff, "forbidden", "inquiry.read", "{\"thread_id\":%lld,\"seq\":1}", thread);
    EXPO_ERR(&staff, "forbidden", "inquiry.claim", "{\"thread_id\":%lld,\"claim\":true}", thread);
    EXPO_ERR(&staff, "forbidden", "inquiry.list", "{\"booth_id\":%lld}", booth);
    EXPO_ERR(&staff, "forbidden", "inquiry.settings", "{\"booth_id\":%lld,\"public_chat\":false}", booth);
    EXPO_ERR(&staff, "forbidden", "inquiry.desk", "{\"booth_ids\":[%lld]}", booth);
    EXPO_ERR(&staff, "forbidden", "inquiry.list", "{\"all\":true}");
    EXPO_ERR(&staff, "forbidden", "inquiry.desk", "{\"all\":true}");
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages WHERE author_id = (SELECT id FROM accounts"
                                    " WHERE email = '" STAFF "')"), 0);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_threads WHERE claimed_by IS NOT NULL"), 0);

    /* the desk no longer counts as staff online, and the refresh does not write it back */
    ASSERT_EQ(desk_rows(), 0);
    it_sleep_ms(it_ms(5500));
    ASSERT_EQ(desk_rows(), 0);
    cJSON *info = EXPO_OK(&buyer, "inquiry.booth", "{\"booth_id\":%lld}", booth);
    ASSERT_EQ(JINT(info, "staff_online"), 0);
    cJSON_Delete(info);
    IFX_NO_INQUIRY_EVENTS(&staff, 100);

    expo_close(&staff);
    expo_close(&org_desk);
    expo_close(&org);
    expo_close(&buyer);
    expo_close(&buyer2);
}

/* Cuts node A's LISTEN connection: the node reconnects by itself. */
static void cut_listen_of_node_a(void)
{
    long n = psql_long(ifx_pg.url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                   " WHERE application_name = 'boothd node-a' AND query LIKE 'LISTEN%'");
    ASSERT_EQ(n, 1);
}

static void test_resync_targets(void)
{
    ifx_up();
    struct expo desk, org_desk, with_thread, with_thread2, no_thread, staff_no_desk, anon, on_b;
    ifx_login(&desk, ifx_na.port, "desk@A", STAFF);
    long long booth = ifx_desk(&desk);
    ifx_login(&org_desk, ifx_na.port, "org-desk@A", ORGANIZER);
    cJSON_Delete(EXPO_OK(&org_desk, "inquiry.desk", "{\"all\":true}"));
    ifx_login(&with_thread, ifx_na.port, "buyer1@A", "buyer1@demo.expo");
    ifx_login(&with_thread2, ifx_na.port, "buyer1-tab2@A", "buyer1@demo.expo");
    ifx_login(&no_thread, ifx_na.port, "buyer2@A", "buyer2@demo.expo");
    ifx_login(&staff_no_desk, ifx_na.port, "staff-hall@A", "staff@bada-gim.demo.expo");
    expo_connect(&anon, ifx_na.port, "anon@A");
    ifx_login(&on_b, ifx_nb.port, "buyer1@B", "buyer1@demo.expo");
    long long thread = ifx_open(&with_thread, booth);
    ifx_send(&with_thread, thread, "hello", "h1");
    EXPECT_MESSAGE(&desk, thread, "hello");

    cut_listen_of_node_a();

    /* desks and the buyer's sessions on node A are told, each once */
    struct expo *told[] = {&desk, &org_desk, &with_thread, &with_thread2};
    for (size_t i = 0; i < sizeof told / sizeof told[0]; i++) {
        cJSON *e = expo_event(told[i], "inquiry.resync", it_ms(15000));
        if (!e) it_fail(__FILE__, __LINE__, "%s got no inquiry.resync", told[i]->label);
        cJSON_Delete(e);
    }
    /* the others hear nothing: a buyer without threads, staff without a desk, a signed-out
     * socket, and node B, whose connection never broke */
    struct expo *quiet[] = {&no_thread, &staff_no_desk, &anon, &on_b};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        ASSERT_EQ(expo_count_events(quiet[i], "inquiry.resync", i == 0 ? it_ms(1500) : 100), 0);
    for (size_t i = 0; i < sizeof told / sizeof told[0]; i++)
        ASSERT_EQ(expo_count_events(told[i], "inquiry.resync", 0), 0);

    /* and delivery goes on after the reconnect */
    ifx_send(&with_thread, thread, "after the reconnect", "h2");
    EXPECT_MESSAGE(&desk, thread, "after the reconnect");

    struct expo *all[] = {&desk, &org_desk, &with_thread, &with_thread2, &no_thread, &staff_no_desk, &anon, &on_b};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) expo_close(all[i]);
}

static void test_organizer_desk(void)
{
    ifx_up();
    struct expo org, staff, staff2, buyer, buyer2;
    ifx_login(&org, ifx_nb.port, "org@B", ORGANIZER);
    ifx_login(&staff, ifx_na.port, "staff@A", STAFF);
    long long booth = ifx_desk(&staff);
    ifx_login(&staff2, ifx_na.port, "staff2@A", "staff@bada-gim.demo.expo");
    long long booth2 = ifx_desk(&staff2);
    ASSERT_NE(booth, booth2);
    ifx_login(&buyer, ifx_na.port, "buyer1@A", "buyer1@demo.expo");
    ifx_login(&buyer2, ifx_na.port, "buyer2@A", "buyer2@demo.expo");

    /* nothing asked yet: no booth listed */
    cJSON *d = EXPO_OK(&org, "inquiry.desk", "{\"all\":true}");
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "booths")), 0);
    cJSON_Delete(d);

    /* questions to two booths reach the organizer's one desk live, on the other node */
    long long t1 = ifx_open(&buyer, booth);
    ifx_send(&buyer, t1, "question one", "q1");
    long long t2 = ifx_open(&buyer2, booth2);
    ifx_send(&buyer2, t2, "question two", "q2");
    EXPECT_MESSAGE(&org, t1, "question one");
    EXPECT_MESSAGE(&org, t2, "question two");

    d = EXPO_OK(&org, "inquiry.desk", "{\"all\":true}");
    const cJSON *booths = JGET(d, "booths");
    ASSERT_EQ(cJSON_GetArraySize(booths), 2);
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(JINT(cJSON_GetArrayItem(booths, i), "threads"), 1);
        ASSERT_EQ(JINT(cJSON_GetArrayItem(booths, i), "unread"), 1);
    }
    cJSON_Delete(d);

    /* the list of every booth, newest first; unread is the booth side's */
    d = EXPO_OK(&org, "inquiry.list", "{\"all\":true}");
    const cJSON *threads = JGET(d, "threads");
    ASSERT_EQ(cJSON_GetArraySize(threads), 2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(threads, 0), "id"), t2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(threads, 0), "unread"), 1);
    cJSON_Delete(d);

    /* an organizer who is not on the booth's team may send inquiry.read, but the booth side's
     * mark is the team's: it does not move (the buyer would see "Seen" that no one on the team
     * earned), and the reply says where it stands */
    d = EXPO_OK(&org, "inquiry.read", "{\"thread_id\":%lld,\"seq\":1}", t1);
    ASSERT_STR_EQ(JSTR(d, "side"), "booth");
    ASSERT_EQ(JINT(d, "seq"), 0);
    cJSON_Delete(d);
    char q[128];
    snprintf(q, sizeof q, "SELECT booth_read_seq FROM inquiry_threads WHERE id = %lld", t1);
    ASSERT_EQ(psql_long(ifx_pg.url, q), 0);

    /* staff read theirs: unread_only keeps only the other booth's thread */
    cJSON_Delete(EXPO_OK(&staff, "inquiry.read", "{\"thread_id\":%lld,\"seq\":1}", t1));
    d = EXPO_OK(&org, "inquiry.list", "{\"all\":true,\"unread_only\":true}");
    threads = JGET(d, "threads");
    ASSERT_EQ(cJSON_GetArraySize(threads), 1);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(threads, 0), "id"), t2);
    cJSON_Delete(d);

    /* the organizer answers; the buyer and the booth's desk get it labelled organizer */
    EXPECT_MESSAGE(&buyer2, t2, "question two");
    EXPECT_MESSAGE(&staff2, t2, "question two");
    cJSON *r = EXPO_OK(&org, "inquiry.send", "{\"thread_id\":%lld,\"text\":\"The organizers will help\",\"client_msg_id\":\"o1\"}", t2);
    ASSERT_STR_EQ(JSTR(JGET(JGET(r, "message"), "author"), "role"), "organizer");
    cJSON_Delete(r);
    cJSON *e = expo_event(&buyer2, "inquiry.message", it_ms(5000));
    ASSERT_TRUE(e != NULL);
    ASSERT_STR_EQ(JSTR(JGET(JGET(e, "message"), "author"), "role"), "organizer");
    cJSON_Delete(e);
    EXPECT_MESSAGE(&staff2, t2, "The organizers will help");

    /* staff and buyers may not use the every-booth forms; bad combinations are refused */
    EXPO_ERR(&staff, "forbidden", "inquiry.desk", "{\"all\":true}");
    EXPO_ERR(&staff, "forbidden", "inquiry.list", "{\"all\":true}");
    EXPO_ERR(&buyer, "forbidden", "inquiry.list", "{\"all\":true}");
    EXPO_ERR(&buyer, "forbidden", "inquiry.desk", "{\"all\":true}");
    EXPO_ERR(&org, "bad_request", "inquiry.desk", "{\"all\":true,\"booth_ids\":[%lld]}", booth);
    EXPO_ERR(&org, "bad_request", "inquiry.list", "{\"all\":true,\"booth_id\":%lld}", booth);
    EXPO_ERR(&org, "bad_request", "inquiry.list", "{\"unread_only\":true}");
    EXPO_ERR(&org, "bad_request", "inquiry.list", "{\"all\":1}");
    /* an organizer's desk writes no presence: organizers are not the booth's staff online */
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM presence p JOIN accounts a ON a.id = p.account_id"
                                    " WHERE a.role = 'organizer'"), 0);

    expo_close(&org);
    expo_close(&staff);
    expo_close(&staff2);
    expo_close(&buyer);
    expo_close(&buyer2);
}

static const struct it_test tests[] = {
    {"removed_staff", test_removed_staff, 120},
    {"resync_targets", test_resync_targets, 120},
    {"organizer_desk", test_organizer_desk, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
