/* test_import_rows.c — the organizer's bulk-import file checks (domains/organizer/import_rows.c):
 * every bad row reported with its line, column and reason, good rows turned into JSON, BOM,
 * quoted fields with commas and line breaks, Korean text, header problems, limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/organizer/import_rows.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

#define HEADER "company_en,company_ko,booth_slug,booth_name_en,booth_name_ko,category,tier,sort_order,staff_email,staff_name\r\n"

/* Number of errors on `line` (and, when column is given, in that column). */
static int errors_on(const cJSON *errors, int line, const char *column)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, errors)
        if (cJSON_GetObjectItem(e, "line")->valueint == line &&
            (!column || !strcmp(cJSON_GetObjectItem(e, "column")->valuestring, column)))
            n++;
    return n;
}

static void test_good_rows(void)
{
    const char *f = "\xEF\xBB\xBF" HEADER
                    "\"Nara, Foods\",나라식품,nara-foods,\"Nara \"\"Premium\"\"\",나라,k-food,gold,5,kim@nara.example,김나라\r\n"
                    "Hana,하나,hana-tea,\"Two\nLines\",하나 차,,,,,\r\n";
    cJSON *rows, *errors;
    int n = import_rows_parse(f, strlen(f), &rows, &errors);
    CHECK(n == 2, "rows read %d", n);
    CHECK(cJSON_GetArraySize(errors) == 0, "errors %s", cJSON_PrintUnformatted(errors));
    CHECK(cJSON_GetArraySize(rows) == 2, "good rows %d", cJSON_GetArraySize(rows));
    const cJSON *r0 = cJSON_GetArrayItem(rows, 0), *r1 = cJSON_GetArrayItem(rows, 1);
    CHECK(!strcmp(cJSON_GetObjectItem(r0, "company_en")->valuestring, "Nara, Foods"), "quoted comma");
    CHECK(!strcmp(cJSON_GetObjectItem(r0, "name_en")->valuestring, "Nara \"Premium\""), "doubled quotes");
    CHECK(!strcmp(cJSON_GetObjectItem(r0, "company_ko")->valuestring, "나라식품"), "Korean");
    CHECK(cJSON_GetObjectItem(r0, "sort_order")->valueint == 5, "sort_order");
    CHECK(!strcmp(cJSON_GetObjectItem(r1, "tier")->valuestring, "standard"), "default tier");
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(r1, "email")), "no staff");
    CHECK(cJSON_GetObjectItem(r1, "line")->valueint == 3, "line of the second row %d", cJSON_GetObjectItem(r1, "line")->valueint);
    cJSON_Delete(rows);
    cJSON_Delete(errors);
}

static void test_every_bad_row(void)
{
    const char *f = HEADER
                    "A,가,a-booth,A,가,,,,,\n"                         /* 2 ok */
                    ",가,b-booth,B,나,,,,,\n"                          /* 3 company_en missing */
                    "C,다,Bad Slug,C,다,,diamond,1.5,x@,\n"            /* 4 slug, tier, sort, email, staff_name */
                    "D,라,a-booth,D,라,,,,,Kim\n"                      /* 5 duplicate slug, name without email */
                    "E,마,\"e-booth\"x,E,마,,,,,\n";                   /* 6 CSV syntax */
    cJSON *rows, *errors;
    int n = import_rows_parse(f, strlen(f), &rows, &errors);
    CHECK(n == 5, "rows read %d", n);
    CHECK(cJSON_GetArraySize(rows) == 1, "only line 2 is good");
    CHECK(errors_on(errors, 2, NULL) == 0, "line 2");
    CHECK(errors_on(errors, 3, "company_en") == 1, "line 3");
    CHECK(errors_on(errors, 4, "booth_slug") == 1 && errors_on(errors, 4, "tier") == 1 &&
          errors_on(errors, 4, "sort_order") == 1 && errors_on(errors, 4, "staff_email") == 1 &&
          errors_on(errors, 4, "staff_name") == 1, "line 4: %s", cJSON_PrintUnformatted(errors));
    CHECK(errors_on(errors, 5, "booth_slug") == 1 && errors_on(errors, 5, "staff_email") == 1, "line 5");
    CHECK(errors_on(errors, 6, NULL) == 1, "line 6");
    cJSON_Delete(rows);
    cJSON_Delete(errors);
}

static void test_header(void)
{
    cJSON *rows, *errors;
    const char *f = "company_en,booth_slug,colour\nA,a-b,red\n";
    CHECK(import_rows_parse(f, strlen(f), &rows, &errors) == 0, "no rows read with a bad header");
    CHECK(errors_on(errors, 1, "colour") == 1 && errors_on(errors, 1, "company_ko") == 1 &&
          errors_on(errors, 1, "booth_name_en") == 1, "header: %s", cJSON_PrintUnformatted(errors));
    cJSON_Delete(rows);
    cJSON_Delete(errors);
    CHECK(import_rows_parse("", 0, &rows, &errors) == 0 && cJSON_GetArraySize(errors) == 1, "empty file");
    cJSON_Delete(rows);
    cJSON_Delete(errors);
}

static void test_too_many_rows(void)
{
    size_t cap = 100000, len = 0;
    char *f = malloc(cap);
    len += (size_t)sprintf(f, "%s", HEADER);
    for (int i = 0; i < IMPORT_MAX_ROWS + 5; i++) len += (size_t)sprintf(f + len, "C,다,b%d,B,나,,,,,\n", i);
    cJSON *rows, *errors;
    import_rows_parse(f, len, &rows, &errors);
    CHECK(cJSON_GetArraySize(errors) == 1, "one error for the limit, got %d", cJSON_GetArraySize(errors));
    CHECK(cJSON_GetArraySize(rows) == IMPORT_MAX_ROWS, "rows up to the limit: %d", cJSON_GetArraySize(rows));
    cJSON_Delete(rows);
    cJSON_Delete(errors);
    free(f);
}

int main(void)
{
    test_good_rows();
    test_every_bad_row();
    test_header();
    test_too_many_rows();
    if (failures) { printf("%d failures\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
