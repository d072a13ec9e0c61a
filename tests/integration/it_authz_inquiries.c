/* it_authz_inquiries.c — who may touch an inquiry thread. For one thread between buyer1 and
 * the Haneul Cosmetics booth: another buyer, staff of another booth and a signed-out socket
 * try every inquiry action on it, on both nodes, and get forbidden/unauthorized; nothing is
 * written; and none of them receives any event of the thread while its buyer and staff talk.
 *   it_authz_inquiries <test> <path/to/boothd> */
#include <stdio.h>
#include <string.h>

#include "expo.h"
#include "harness.h"
#include "inquiry_fixture.h"

#define STAFF "staff@haneul-cosmetics.demo.expo"
#define OTHER_STAFF "staff@seorin-lab.demo.expo"

struct outsider {
    struct expo c;
    const char *code;       /* the error every thread action must get */
};

/* Every action on `thread` / `booth` that an outsider must not be able to take. */
static void try_everything(struct outsider *o, long long thread, long long booth)
{
    struct expo *c = &o->c;
    EXPO_ERR(c, o->code, "inquiry.send", "{\"thread_id\":%lld,\"text\":\"hi\",\"client_msg_id\":\"x-%s\"}", thread, c->label);
    EXPO_ERR(c, o->code, "inquiry.history", "{\"thread_id\":%lld}", thread);
    EXPO_ERR(c, o->code, "inquiry.history", "{\"thread_id\":%lld,\"since_seq\":0}", thread);
    EXPO_ERR(c, o->code, "inquiry.read", "{\"thread_id\":%lld,\"seq\":1}", thread);
    EXPO_ERR(c, o->code, "inquiry.claim", "{\"thread_id\":%lld,\"claim\":true}", thread);
    EXPO_ERR(c, o->code, "inquiry.list", "{\"booth_id\":%lld}", booth);
    EXPO_ERR(c, o->code, "inquiry.desk", "{\"booth_ids\":[%lld]}", booth);
    EXPO_ERR(c, o->code, "inquiry.settings", "{\"booth_id\":%lld,\"public_chat\":false}", booth);
    /* a thread id that does not exist answers the same: ids reveal nothing */
    EXPO_ERR(c, o->code, "inquiry.history", "{\"thread_id\":%lld}", thread + 1000);
}

static void test_matrix(void)
{
    ifx_up();
    struct expo staff, buyer;
    ifx_login(&staff, ifx_na.port, "staff@A", STAFF);
    long long booth = ifx_desk(&staff);
    ifx_login(&buyer, ifx_nb.port, "buyer1@B", "buyer1@demo.expo");
    long long thread = ifx_open(&buyer, booth);
    ifx_send(&buyer, thread, "private price question", "p1");

    /* outsiders on both nodes */
    struct outsider out[6];
    const int ports[2] = {ifx_na.port, ifx_nb.port};
    for (int n = 0; n < 2; n++) {
        struct outsider *o = &out[n * 3];
        char label[32];
        snprintf(label, sizeof label, "buyer2@%c", 'A' + n);
        ifx_login(&o[0].c, ports[n], label, "buyer2@demo.expo");
        o[0].code = "forbidden";
        snprintf(label, sizeof label, "seorin@%c", 'A' + n);
        ifx_login(&o[1].c, ports[n], label, OTHER_STAFF);
        o[1].code = "forbidden";
        cJSON_Delete(EXPO_OK(&o[1].c, "inquiry.desk", "{}"));     /* the desk of their own booth */
        snprintf(label, sizeof label, "anon@%c", 'A' + n);
        expo_connect(&o[2].c, ports[n], label);
        o[2].code = "unauthorized";
    }
    /* buyer2 has a thread of their own with the same booth: it does not open buyer1's */
    long long thread2 = ifx_open(&out[0].c, booth);
    ASSERT_NE(thread2, thread);
    cJSON *d = EXPO_OK(&out[0].c, "inquiry.list", "{}");
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "threads")), 1);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(d, "threads"), 0), "id"), thread2);
    cJSON_Delete(d);
    EXPO_ERR(&out[2].c, "unauthorized", "inquiry.open", "{\"booth_id\":%lld}", booth);
    EXPO_ERR(&out[2].c, "unauthorized", "inquiry.list", "{}");
    EXPO_ERR(&out[2].c, "unauthorized", "inquiry.booth", "{\"booth_id\":%lld}", booth);
    /* staff cannot open an inquiry with their own booth */
    EXPO_ERR(&staff, "forbidden", "inquiry.open", "{\"booth_id\":%lld}", booth);

    for (int i = 0; i < 6; i++) try_everything(&out[i], thread, booth);

    /* nothing was written by them */
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages"), 1);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_threads WHERE claimed_by IS NOT NULL"), 0);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM booth_inquiry_settings"), 0);

    /* the thread's own people talk, read and claim on both nodes ... */
    ifx_send(&staff, thread, "staff answer", "s1");
    ifx_send(&buyer, thread, "buyer follow-up", "p2");
    cJSON_Delete(EXPO_OK(&staff, "inquiry.read", "{\"thread_id\":%lld,\"seq\":3}", thread));
    cJSON_Delete(EXPO_OK(&buyer, "inquiry.read", "{\"thread_id\":%lld,\"seq\":3}", thread));
    cJSON_Delete(EXPO_OK(&staff, "inquiry.claim", "{\"thread_id\":%lld,\"claim\":true}", thread));
    /* ... and they themselves get it (so the quiet below means something) */
    int seen = expo_count_events(&buyer, "inquiry.message", it_ms(2000));
    ASSERT_GE(seen, 3);
    ASSERT_GE(expo_count_events(&buyer, "inquiry.read", 0), 1);
    ASSERT_GE(expo_count_events(&staff, "inquiry.claimed", it_ms(1000)), 1);
    /* ... while no outsider on either node hears anything of the thread */
    for (int i = 0; i < 6; i++) IFX_NO_INQUIRY_EVENTS(&out[i].c, i == 0 ? it_ms(1000) : 100);
    /* the buyer does not hear the booth-side claim */
    ASSERT_EQ(expo_count_events(&buyer, "inquiry.claimed", 0), 0);

    /* signing out on a desk stops its events */
    cJSON_Delete(EXPO_OK(&staff, "auth.logout", "{}"));
    expo_discard_events(&staff, NULL);
    ifx_send(&buyer, thread, "after logout", "p3");
    IFX_NO_INQUIRY_EVENTS(&staff, it_ms(1000));

    for (int i = 0; i < 6; i++) expo_close(&out[i].c);
    expo_close(&staff);
    expo_close(&buyer);
    ASSERT_EQ(boothd_stop(&ifx_na), 0);
    ASSERT_EQ(boothd_stop(&ifx_nb), 0);
}

/* Bad input is refused per field and changes nothing. */
static void test_bad_input(void)
{
    ifx_up();
    struct expo staff, buyer;
    ifx_login(&staff, ifx_na.port, "staff", STAFF);
    long long booth = ifx_desk(&staff);
    ifx_login(&buyer, ifx_na.port, "buyer", "buyer1@demo.expo");
    long long thread = ifx_open(&buyer, booth);
    EXPO_ERR(&buyer, "bad_request", "inquiry.open", "{\"booth_id\":%lld,\"time_zone\":\"Mars/Olympus\"}", booth);
    EXPO_ERR(&buyer, "not_found", "inquiry.open", "{\"booth_id\":999999}");
    EXPO_ERR(&buyer, "bad_request", "inquiry.open", "{\"booth_id\":\"x\"}");
    EXPO_ERR(&buyer, "bad_request", "inquiry.send", "{\"thread_id\":%lld,\"text\":\"  \",\"client_msg_id\":\"a\"}", thread);
    EXPO_ERR(&buyer, "bad_request", "inquiry.send", "{\"thread_id\":%lld,\"text\":\"x\"}", thread);
    EXPO_ERR(&buyer, "bad_request", "inquiry.send", "{\"thread_id\":%lld,\"text\":\"x\",\"client_msg_id\":7}", thread);
    EXPO_ERR(&buyer, "bad_request", "inquiry.history", "{\"thread_id\":%lld,\"since_seq\":1,\"before_seq\":5}", thread);
    EXPO_ERR(&buyer, "bad_request", "inquiry.history", "{\"thread_id\":%lld,\"limit\":1000}", thread);
    EXPO_ERR(&staff, "bad_request", "inquiry.desk", "{\"booth_ids\":[]}");
    EXPO_ERR(&staff, "bad_request", "inquiry.desk", "{\"booth_ids\":[1.5]}");
    EXPO_ERR(&staff, "forbidden", "inquiry.desk", "{\"booth_ids\":[%lld,%lld]}", booth, booth + 1);
    ASSERT_EQ(psql_long(ifx_pg.url, "SELECT count(*) FROM inquiry_messages"), 0);
    expo_close(&staff);
    expo_close(&buyer);
}

static const struct it_test tests[] = {
    {"matrix", test_matrix, 120},
    {"bad_input", test_bad_input, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
