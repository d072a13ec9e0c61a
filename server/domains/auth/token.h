/* token.h — session tokens: 32 random bytes as base64url (43 chars) for the client; only
 * their SHA-256 (hex, for a bytea parameter '\x...') is stored or logged. */
#ifndef BOOTHD_TOKEN_H
#define BOOTHD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_LEN 43
#define TOKEN_HASH_HEX_LEN 64

/* The one definition of "this token is valid", as an SQL condition on auth_tokens row
 * `t` whose hash is the bytea parameter `param`: not revoked, not expired. (The account
 * must also not be disabled: the queries check that on their accounts row.) */
#define SQL_TOKEN_VALID(t, param) \
    t ".token_hash = " param "::bytea AND " t ".revoked_at IS NULL AND " t ".expires_at > now()"

/* Writes a new token (NUL-terminated, TOKEN_LEN chars) into out[TOKEN_LEN + 1]. */
int token_new(char out[TOKEN_LEN + 1]);
/* True when s looks like a token we issued (length and alphabet). */
bool token_well_formed(const char *s);
/* hex SHA-256 of the token into out[TOKEN_HASH_HEX_LEN + 1]. */
void token_hash_hex(const char *token, char out[TOKEN_HASH_HEX_LEN + 1]);
/* "\x" + hex, the text form of a bytea parameter, into out[TOKEN_HASH_HEX_LEN + 3]. */
void token_hash_bytea(const char *hash_hex, char out[TOKEN_HASH_HEX_LEN + 3]);

#endif
