/* inquiry_fixture.c — see inquiry_fixture.h. */
#include "inquiry_fixture.h"

#include <stdio.h>
#include <string.h>

struct pg_cluster ifx_pg;
struct boothd ifx_na, ifx_nb;

void ifx_up(void)
{
    /* a send rate the kill -9 test's resend at full speed stays under */
    static const char *const args[] = {"--chat-rate", "100", NULL};
    it_demo_up_with(&ifx_pg, &ifx_na, &ifx_nb, 2, args);
}

long long ifx_login(struct expo *c, int port, const char *label, const char *email)
{
    expo_connect(c, port, label);
    cJSON *d = EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(DEMO_PW));
    long long id = JINT(JGET(d, "user"), "id");
    cJSON_Delete(d);
    return id;
}

long long ifx_desk(struct expo *c)
{
    cJSON *d = EXPO_OK(c, "inquiry.desk", "{}");
    const cJSON *booths = JGET(d, "booths");
    ASSERT_GE(cJSON_GetArraySize(booths), 1);
    long long id = JINT(cJSON_GetArrayItem(booths, 0), "id");
    cJSON_Delete(d);
    return id;
}

long long ifx_open(struct expo *c, long long booth)
{
    cJSON *d = EXPO_OK(c, "inquiry.open", "{\"booth_id\":%lld,\"time_zone\":\"America/Chicago\"}", booth);
    ASSERT_STR_EQ(JSTR(d, "side"), "buyer");
    long long id = JINT(JGET(d, "thread"), "id");
    cJSON_Delete(d);
    return id;
}

long long ifx_send(struct expo *c, long long thread, const char *text, const char *cmid)
{
    cJSON *d = EXPO_OK(c, "inquiry.send", "{\"thread_id\":%lld,\"text\":%s,\"client_msg_id\":%s}", thread,
                       json_quote(text), json_quote(cmid));
    const cJSON *m = JGET(d, "message");
    ASSERT_EQ(JINT(m, "thread_id"), thread);
    long long seq = JINT(m, "seq");
    cJSON_Delete(d);
    return seq;
}

void ifx_no_inquiry_events_at(const char *file, int line, struct expo *c, int wait_ms)
{
    static const char *const kinds[] = {"inquiry.message", "inquiry.read", "inquiry.claimed"};
    expo_pump(c, wait_ms);
    /* a connection the server closed hears nothing, which would prove nothing */
    if (c->closed) it_fail(file, line, "%s was closed (code %d) before its silence could be checked", c->label, c->close_code);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        cJSON *e = expo_event(c, kinds[i], 0);
        if (e) it_fail(file, line, "%s got %s it must not see: %s", c->label, kinds[i], json_text(e));
    }
}
