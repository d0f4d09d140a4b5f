/* digest.c: RFC 2617 Digest/MD5 for digest.h. The parameter parser walks
 * the value once with explicit bounds; MD5 input is streamed field by field
 * so no length limit or temporary buffer is involved. */
#include "sip/digest.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/md5.h"

#define MAX_PARAMS 32

/* ----- parsing ----- */

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_token(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '!' || c == '%' || c == '*' || c == '+' || c == '`' ||
	    c == '\'' || c == '~';
}

static struct sl_str *
field(struct sl_digest_params *d, struct sl_str key)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "username", offsetof(struct sl_digest_params, username) },
		{ "realm", offsetof(struct sl_digest_params, realm) },
		{ "nonce", offsetof(struct sl_digest_params, nonce) },
		{ "uri", offsetof(struct sl_digest_params, uri) },
		{ "response", offsetof(struct sl_digest_params, response) },
		{ "algorithm", offsetof(struct sl_digest_params, algorithm) },
		{ "cnonce", offsetof(struct sl_digest_params, cnonce) },
		{ "opaque", offsetof(struct sl_digest_params, opaque) },
		{ "qop", offsetof(struct sl_digest_params, qop) },
		{ "nc", offsetof(struct sl_digest_params, nc) },
		{ "domain", offsetof(struct sl_digest_params, domain) },
		{ "stale", offsetof(struct sl_digest_params, stale) },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sl_str_ieq(key, sl_str_c(map[i].name)))
			return (struct sl_str *)((char *)d + map[i].off);
	return NULL;
}

bool
sl_digest_parse(struct sl_str v, struct sl_digest_params *out)
{
	const char *p = v.p, *end = v.p + v.n;

	memset(out, 0, sizeof(*out));
	if (v.p == NULL)
		return false;
	while (p < end && is_ws(*p))
		p++;
	const char *s = p;
	while (p < end && is_token(*p))
		p++;
	out->scheme = sl_str_make(s, (size_t)(p - s));
	if (!sl_str_ieq(out->scheme, SL_STR("Digest")))
		return false;
	for (int n = 0; n < MAX_PARAMS; n++) {
		while (p < end && (is_ws(*p) || *p == ','))
			p++;
		if (p == end)
			return true;
		s = p;
		while (p < end && is_token(*p))
			p++;
		struct sl_str key = sl_str_make(s, (size_t)(p - s));
		while (p < end && is_ws(*p))
			p++;
		if (key.n == 0 || p == end || *p != '=')
			return false;
		p++;
		while (p < end && is_ws(*p))
			p++;
		struct sl_str val;
		if (p < end && *p == '"') {
			s = ++p;
			while (p < end && *p != '"') {
				if (*p == '\\' && end - p > 1)
					p++;	/* quoted-pair: skip the escaped byte */
				p++;
			}
			if (p >= end)
				return false;	/* unterminated quoted-string */
			val = sl_str_make(s, (size_t)(p - s));
			p++;
		} else {
			s = p;
			while (p < end && *p != ',' && !is_ws(*p))
				p++;
			val = sl_str_make(s, (size_t)(p - s));
		}
		struct sl_str *f = field(out, key);
		if (f != NULL)
			*f = val;
	}
	/* more parameters than any real header carries */
	while (p < end && (is_ws(*p) || *p == ','))
		p++;
	return p == end;
}

/* ----- hashing ----- */

static void
md5_add(struct sl_md5 *m, struct sl_str s)
{
	sl_md5_update(m, s.p, s.n);
}

static void
md5_colon(struct sl_md5 *m)
{
	sl_md5_update(m, ":", 1);
}

static void
md5_hexdone(struct sl_md5 *m, char out[33])
{
	uint8_t d[16];

	sl_md5_final(m, d);
	sl_md5_tohex(d, out);
}

void
sl_digest_response(struct sl_str user, struct sl_str realm,
    struct sl_str password, struct sl_str method, struct sl_str uri,
    struct sl_str nonce, struct sl_str nc, struct sl_str cnonce,
    struct sl_str qop, char out[33])
{
	struct sl_md5 m;
	char ha1[33], ha2[33];

	/* HA1 = MD5(username ":" realm ":" password) */
	sl_md5_init(&m);
	md5_add(&m, user);
	md5_colon(&m);
	md5_add(&m, realm);
	md5_colon(&m);
	md5_add(&m, password);
	md5_hexdone(&m, ha1);
	/* HA2 = MD5(method ":" digest-uri) for qop=auth or none */
	sl_md5_init(&m);
	md5_add(&m, method);
	md5_colon(&m);
	md5_add(&m, uri);
	md5_hexdone(&m, ha2);
	/* RFC 2617 3.2.2.1 */
	sl_md5_init(&m);
	sl_md5_update(&m, ha1, 32);
	md5_colon(&m);
	md5_add(&m, nonce);
	md5_colon(&m);
	if (qop.n > 0) {
		md5_add(&m, nc);
		md5_colon(&m);
		md5_add(&m, cnonce);
		md5_colon(&m);
		md5_add(&m, qop);
		md5_colon(&m);
	}
	sl_md5_update(&m, ha2, 32);
	md5_hexdone(&m, out);
}

/* ----- server ----- */

/* One tracked nonce. nc_max only grows; once is set by an RFC 2069
 * (no-qop) response, after which the nonce is spent for both forms. */
struct sl_digest_slot {
	uint64_t seq;		/* nonce in this slot; 0: none yet */
	uint32_t nc_max;	/* highest nc accepted, 0: none */
	bool once;
};

enum sl_err
sl_digest_server_init(struct sl_digest_server *s, const char *realm,
    const char *secret, uint32_t nonce_ttl_s, size_t n_slots)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->realm, sizeof(s->realm), "%s", realm ? realm : "Yate");
	snprintf(s->secret, sizeof(s->secret), "%s", secret ? secret : "");
	s->nonce_ttl_s = nonce_ttl_s;
	s->next_seq = 1;
	if (n_slots == 0 || n_slots > SL_DIGEST_MAX_SLOTS)
		return SL_EUSAGE;
	s->slots = calloc(n_slots, sizeof(*s->slots));
	if (s->slots == NULL)
		return SL_ENOMEM;
	s->n_slots = n_slots;
	return SL_OK;
}

void
sl_digest_server_free(struct sl_digest_server *s)
{
	free(s->slots);
	s->slots = NULL;
	s->n_slots = 0;
}

/* Secret on both sides so that no suffix or prefix extension of a known
 * MD5 state forges a mac; ':' cannot occur in the digit fields. */
static void
nonce_mac(const struct sl_digest_server *s, struct sl_str t, struct sl_str seq,
    char out[33])
{
	struct sl_md5 m;

	sl_md5_init(&m);
	sl_md5_update(&m, s->secret, strlen(s->secret));
	md5_colon(&m);
	md5_add(&m, t);
	md5_colon(&m);
	md5_add(&m, seq);
	md5_colon(&m);
	sl_md5_update(&m, s->secret, strlen(s->secret));
	md5_hexdone(&m, out);
}

/* Equal bytes, in time independent of where they differ; with fold, the
 * letters of got are compared in lower case (a response's hex digits may
 * come in upper case; our nonce must come back exactly as issued). */
static bool
ct_eq(const char *want, const char *got, size_t n, bool fold)
{
	unsigned diff = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)got[i];
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + ('a' - 'A'));
		diff |= (unsigned char)want[i] ^ c;
	}
	return diff == 0;
}

char *
sl_digest_nonce(struct sl_digest_server *s, uint64_t now_s,
    char out[SL_DIGEST_NONCE_LEN])
{
	char t[21], q[21], mac[33];	/* 20 digits: any uint64_t */
	uint64_t seq = s->next_seq++;

	if (s->n_slots > 0)
		s->slots[seq % s->n_slots] = (struct sl_digest_slot){ .seq = seq };
	snprintf(t, sizeof(t), "%llu", (unsigned long long)now_s);
	snprintf(q, sizeof(q), "%llu", (unsigned long long)seq);
	nonce_mac(s, sl_str_c(t), sl_str_c(q), mac);
	snprintf(out, SL_DIGEST_NONCE_LEN, "%s.%s.%s", mac, t, q);
	return out;
}

/* The slot of a genuine nonce (NULL when it is not one), and whether it
 * is stale. */
static struct sl_digest_slot *
nonce_slot(const struct sl_digest_server *s, struct sl_str nonce, uint64_t now_s,
    bool *stale)
{
	char mac[33];
	uint64_t t, seq;

	*stale = false;
	if (nonce.n < 36 || nonce.n >= SL_DIGEST_NONCE_LEN || nonce.p[32] != '.' ||
	    s->n_slots == 0)
		return NULL;
	struct sl_str ts, qs, rest = sl_str_make(nonce.p + 33, nonce.n - 33);
	rest = sl_str_split(rest, '.', &ts);
	if (rest.p == NULL)
		return NULL;
	qs = rest;
	if (!sl_str_u64(ts, UINT64_MAX / 2, &t) || !sl_str_u64(qs, UINT64_MAX, &seq))
		return NULL;
	nonce_mac(s, ts, qs, mac);
	/* a genuine mac over (t, seq) means we issued exactly this text */
	if (!ct_eq(mac, nonce.p, 32, false))
		return NULL;
	/* from the future, or from an earlier run with the same secret */
	if (t > now_s || seq == 0 || seq >= s->next_seq)
		return NULL;
	struct sl_digest_slot *sl = &s->slots[seq % s->n_slots];
	*stale = now_s - t > s->nonce_ttl_s || sl->seq != seq;
	return sl;
}

enum sl_digest_result
sl_digest_nonce_check(const struct sl_digest_server *s, struct sl_str nonce,
    uint64_t now_s)
{
	bool stale;

	if (nonce_slot(s, nonce, now_s, &stale) == NULL)
		return SL_DIGEST_BAD_NONCE;
	return stale ? SL_DIGEST_STALE : SL_DIGEST_OK;
}

enum sl_err
sl_digest_challenge(struct sl_digest_server *s, uint64_t now_s,
    bool stale, const char *domain, bool qop, struct sl_buf *out)
{
	char nonce[SL_DIGEST_NONCE_LEN];
	enum sl_err e;

	sl_digest_nonce(s, now_s, nonce);
	e = sl_buf_printf(out, "Digest realm=\"%s\"", s->realm);
	if (!e && domain)
		e = sl_buf_printf(out, ", domain=\"%s\"", domain);
	if (!e)
		e = sl_buf_printf(out, ", nonce=\"%s\", stale=%s, algorithm=MD5",
		    nonce, stale ? "TRUE" : "FALSE");
	if (!e && qop)
		e = sl_buf_adds(out, ", qop=\"auth\"");
	return e;
}

/* nc-value = 8LHEX (RFC 2617 3.2.2); counting starts at 1 */
static bool
parse_nc(struct sl_str s, uint32_t *out)
{
	uint32_t v = 0;

	if (s.n != 8)
		return false;
	for (size_t i = 0; i < 8; i++) {
		char c = sl_ascii_lower(s.p[i]);
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return v != 0;
}

static bool
qop_list_has_auth(struct sl_str list)
{
	/* qop-options is a quoted comma list: "auth,auth-int" */
	for (int i = 0; i < 8 && list.n > 0; i++) {
		struct sl_str item;
		list = sl_str_split(list, ',', &item);
		if (sl_str_ieq(sl_str_trim(item), SL_STR("auth")))
			return true;
		if (list.p == NULL)
			break;
	}
	return false;
}

enum sl_digest_result
sl_digest_verify(struct sl_digest_server *s,
    const struct sl_digest_params *c, struct sl_str method, uint64_t now_s,
    sl_digest_pw_fn pw, void *pw_arg)
{
	char want[33];
	uint32_t nc = 0;
	bool stale;

	if (!sl_str_ieq(c->scheme, SL_STR("Digest")) || c->username.n == 0 ||
	    c->nonce.n == 0 || c->uri.n == 0 || c->response.n != 32)
		return SL_DIGEST_MALFORMED;
	if (c->algorithm.n > 0 && !sl_str_ieq(c->algorithm, SL_STR("MD5")))
		return SL_DIGEST_MALFORMED;
	bool qop = c->qop.n > 0;
	if (qop && (!sl_str_ieq(c->qop, SL_STR("auth")) ||
	    !parse_nc(c->nc, &nc) || c->cnonce.n == 0))
		return SL_DIGEST_MALFORMED;
	if (!sl_str_eq(c->realm, sl_str_c(s->realm)))
		return SL_DIGEST_MISMATCH;
	struct sl_digest_slot *sl = nonce_slot(s, c->nonce, now_s, &stale);
	if (sl == NULL)
		return SL_DIGEST_BAD_NONCE;
	const char *password = pw(pw_arg, c->username, c->realm);
	if (password == NULL)
		return SL_DIGEST_UNKNOWN_USER;
	sl_digest_response(c->username, c->realm, sl_str_c(password), method,
	    c->uri, c->nonce, c->nc, c->cnonce, c->qop, want);
	if (!ct_eq(want, c->response.p, 32, true))
		return SL_DIGEST_MISMATCH;
	/* only a verified response may touch the slot: a guess must not
	 * spend the nonce of the client that owns it */
	if (stale)
		return SL_DIGEST_STALE;
	if (sl->once || (qop ? nc <= sl->nc_max : sl->nc_max != 0))
		return SL_DIGEST_REPLAY;
	if (qop)
		sl->nc_max = nc;
	else
		sl->once = true;
	return SL_DIGEST_OK;
}

const char *
sl_digest_result_str(enum sl_digest_result r)
{
	switch (r) {
	case SL_DIGEST_OK: return "ok";
	case SL_DIGEST_STALE: return "stale nonce";
	case SL_DIGEST_BAD_NONCE: return "unknown nonce";
	case SL_DIGEST_MISMATCH: return "wrong credentials";
	case SL_DIGEST_UNKNOWN_USER: return "unknown user";
	case SL_DIGEST_MALFORMED: return "malformed credentials";
	case SL_DIGEST_REPLAY: return "replayed credentials";
	}
	return "?";
}

/* ----- client ----- */

static bool
has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '"' || *s == 0x7f)
			return true;
	return false;
}

enum sl_err
sl_digest_authorization(const struct sl_digest_params *ch, const char *user,
    const char *password, const char *method, const char *uri, uint32_t nc,
    const char *cnonce, struct sl_buf *out)
{
	char resp[33], ncs[9];
	bool qop = ch->qop.n > 0;
	enum sl_err e;

	if (ch->algorithm.n > 0 && !sl_str_ieq(ch->algorithm, SL_STR("MD5")))
		return SL_EUSAGE;
	if (qop && !qop_list_has_auth(ch->qop))
		return SL_EUSAGE;
	if (qop && (cnonce == NULL || cnonce[0] == '\0'))
		return SL_EUSAGE;
	/* these go inside quoted-strings of a header we build */
	if (has_ctl(user) || has_ctl(uri) || has_ctl(method) ||
	    (cnonce && has_ctl(cnonce)) || sl_str_chr(ch->realm, '\r') >= 0 ||
	    sl_str_chr(ch->nonce, '\r') >= 0 || sl_str_chr(ch->opaque, '\r') >= 0)
		return SL_EUSAGE;
	snprintf(ncs, sizeof(ncs), "%08x", nc);
	sl_digest_response(sl_str_c(user), ch->realm, sl_str_c(password),
	    sl_str_c(method), sl_str_c(uri), ch->nonce, sl_str_c(ncs),
	    sl_str_c(cnonce), qop ? SL_STR("auth") : SL_STR_NULL, resp);
	e = sl_buf_printf(out, "Digest username=\"%s\", realm=\"%.*s\", "
	    "nonce=\"%.*s\", uri=\"%s\", response=\"%s\", algorithm=MD5",
	    user, SL_PRI(ch->realm), SL_PRI(ch->nonce), uri, resp);
	if (!e && qop)
		e = sl_buf_printf(out, ", cnonce=\"%s\", nc=%s, qop=auth", cnonce, ncs);
	if (!e && ch->opaque.n > 0)
		e = sl_buf_printf(out, ", opaque=\"%.*s\"", SL_PRI(ch->opaque));
	return e;
}
