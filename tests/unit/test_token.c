/* Unit tests for domains/auth/token.c: what is stored of a token is its SHA-256 in lowercase
 * hex, the same text PostgreSQL's encode(sha256(...), 'hex') gives (tests create tokens in
 * SQL that way), and the shape checks of a token. */
#include <string.h>

#include "check.h"
#include "domains/auth/token.h"

static void test_hash_hex(void)
{
    char out[TOKEN_HASH_HEX_LEN + 1];
    token_hash_hex("abc", out);     /* FIPS 180-2's example */
    CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    token_hash_hex("", out);
    CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_bytea(out, bytea);
    CHECK_STR(bytea, "\\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_new_and_shape(void)
{
    char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
    CHECK_INT(token_new(a), 0);
    CHECK_INT(token_new(b), 0);
    CHECK_INT(strlen(a), TOKEN_LEN);
    CHECK(strcmp(a, b) != 0);
    CHECK(token_well_formed(a));
    CHECK(!token_well_formed(""));
    char bad[TOKEN_LEN + 1];
    memcpy(bad, a, sizeof bad);
    bad[5] = '+';                   /* not base64url */
    CHECK(!token_well_formed(bad));
    bad[TOKEN_LEN - 1] = '\0';      /* too short */
    CHECK(!token_well_formed(bad));
}

int main(void)
{
    test_hash_hex();
    test_new_and_shape();
    return check_report("test_token");
}
