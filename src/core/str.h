/* str.h: length-delimited string slices (Kamailio's str). A slice never
 * owns its bytes and is never NUL-terminated; print it with
 * printf("%.*s", SL_PRI(s)). */
#ifndef SL_STR_H
#define SL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_str {
	const char *p;
	size_t n;
};

#define SL_STR(lit) ((struct sl_str){ (lit), sizeof(lit) - 1 })
#define SL_STR_NULL ((struct sl_str){ NULL, 0 })
#define SL_PRI(s) (int)(s).n, (s).p

static inline struct sl_str
sl_str_make(const char *p, size_t n)
{
	return (struct sl_str){ p, n };
}

/* Slice of a NUL-terminated string; NULL gives an empty slice. */
struct sl_str sl_str_c(const char *s);

bool sl_str_eq(struct sl_str a, struct sl_str b);
/* ASCII case-insensitive equality (SIP header names, methods in compact
 * comparisons); locale never consulted. */
bool sl_str_ieq(struct sl_str a, struct sl_str b);
bool sl_str_istarts(struct sl_str s, struct sl_str prefix);

/* Leading and trailing SP/HTAB/CR/LF removed. */
struct sl_str sl_str_trim(struct sl_str s);

/* Split at the first sep: *head gets the part before it, the return value
 * is the rest after it. Without sep, *head is s and the rest is empty with
 * p == NULL. */
struct sl_str sl_str_split(struct sl_str s, char sep, struct sl_str *head /* OUT */);

/* Index of the first c in s, or -1. */
long sl_str_chr(struct sl_str s, char c);

/* Decimal digits only: no sign, no spaces, at least one digit, value at
 * most max. Replaces atoi. */
bool sl_str_u32(struct sl_str s, uint32_t max, uint32_t *out /* OUT */);
bool sl_str_u64(struct sl_str s, uint64_t max, uint64_t *out /* OUT */);

static inline char
sl_ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

#endif
