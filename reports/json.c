/* json.c: JSON Lines output, one object per call and a closing summary;
 * the schema, key by key, is reports/JSON.md. Keys come in a fixed order,
 * absent values are null, numbers have fixed decimals (seconds 6, ms 3)
 * and are formatted without printf's locale-dependent %f. */
#include <stdio.h>
#include <string.h>

#include "reports/fmt.h"
#include "reports/report.h"

#define SCHEMA 1
#define LABEL_MAX (1u << 16)
#define DEPTH_MAX 8

/* ----- a sticky-error JSON writer: after the first failure every call
 * is a no-op and w->e keeps the error ----- */

struct jw {
	struct sl_buf *b;
	enum sl_err e;
	int depth;
	bool first[DEPTH_MAX];
	int64_t base;
};

/* Inline, so that strlen of the literals most calls pass is folded: a
 * call's object is a few hundred small appends. */
static inline void
j_add(struct jw *w, const char *s, size_t n)
{
	if (w->e == SL_OK)
		w->e = sl_buf_add(w->b, s, n);
}

static inline void
j_put(struct jw *w, const char *s)
{
	j_add(w, s, strlen(s));
}

/* Separator before an array element or an object member. */
static void
j_item(struct jw *w)
{
	if (!w->first[w->depth])
		j_put(w, ",");
	w->first[w->depth] = false;
}

/* Separator, quoted key and colon in one append: keys are most of the
 * appends. Keys are short literals; a long one takes the plain way. */
static inline void
j_key(struct jw *w, const char *k)
{
	char t[64];
	size_t n = strlen(k);
	if (n > sizeof t - 4) {
		j_item(w);
		j_put(w, "\"");
		j_put(w, k);
		j_put(w, "\":");
		return;
	}
	size_t o = 0;
	if (!w->first[w->depth])
		t[o++] = ',';
	w->first[w->depth] = false;
	t[o++] = '"';
	memcpy(t + o, k, n);
	o += n;
	t[o++] = '"';
	t[o++] = ':';
	j_add(w, t, o);
}

static void
j_open(struct jw *w, const char *c)
{
	j_put(w, c);
	if (w->depth + 1 < DEPTH_MAX)
		w->depth++;
	w->first[w->depth] = true;
}

static void
j_close(struct jw *w, const char *c)
{
	j_put(w, c);
	if (w->depth > 0)
		w->depth--;
}

/* Printable ASCII other than quote and backslash is written as is by
 * sl_buf_json_str too: such strings (nearly all) go in one append. */
static bool
json_plain(struct sl_str s)
{
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static void
j_str(struct jw *w, struct sl_str s)
{
	if (w->e != SL_OK)
		return;
	if (!json_plain(s)) {
		w->e = sl_buf_json_str(w->b, s);
		return;
	}
	j_add(w, "\"", 1);
	j_add(w, s.p, s.n);
	j_add(w, "\"", 1);
}

/* Empty strings are absent values. */
static void
j_nstr(struct jw *w, struct sl_str s)
{
	if (s.n)
		j_str(w, s);
	else
		j_put(w, "null");
}

/* Decimal digits of v, right-aligned in t[24]; returns the first. */
static char *
digits(char t[24], uint64_t v)
{
	char *p = t + 24;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static void
j_u64(struct jw *w, uint64_t v)
{
	char t[24];
	char *p = digits(t, v);
	j_add(w, p, (size_t)(t + 24 - p));
}

static void
j_i64(struct jw *w, int64_t v)
{
	if (v < 0) {
		j_add(w, "-", 1);
		/* through unsigned: -INT64_MIN overflows */
		j_u64(w, 0 - (uint64_t)v);
	} else {
		j_u64(w, (uint64_t)v);
	}
}

/* Non-negative or null: the model's "-1 absent" fields. */
static void
j_opt(struct jw *w, int64_t v)
{
	if (v < 0)
		j_put(w, "null");
	else
		j_i64(w, v);
}

static void
j_bool(struct jw *w, bool v)
{
	j_put(w, v ? "true" : "false");
}

/* ns as seconds, 6 decimals */
static void
j_secs(struct jw *w, int64_t ns)
{
	char t[SL_FMT_NUM];
	j_put(w, sl_fmt_secs(t, ns, 6));
}

/* ns as milliseconds, 3 decimals (rounded to the microsecond) */
static void
j_ms(struct jw *w, int64_t ns)
{
	char t[SL_FMT_NUM];
	int64_t us = (ns + (ns < 0 ? -500 : 500)) / 1000;
	j_put(w, sl_fmt_fixed(t, us, 3));
}

static void
j_double(struct jw *w, double v, bool present)
{
	char t[SL_FMT_NUM];
	j_put(w, present && sl_fmt_double(t, v, 3) ? t : "null");
}

/* sl_ep_str's "a.b.c.d:port" for IPv4 (inet_ntop's form) without
 * inet_ntop and snprintf; other families through it. */
static void
j_ep(struct jw *w, const struct sl_endpoint *ep)
{
	char addr[SL_EP_STRLEN];
	if (ep->ip.family != SL_AF_INET4) {
		j_str(w, sl_str_c(sl_ep_str(ep, addr, sizeof addr)));
		return;
	}
	char t[24];
	size_t n = 0;
	addr[n++] = '"';
	for (int i = 0; i < 4; i++) {
		char *d = digits(t, ep->ip.a[i]);
		size_t k = (size_t)(t + 24 - d);
		memcpy(addr + n, d, k);
		n += k;
		addr[n++] = i < 3 ? '.' : ':';
	}
	char *d = digits(t, ep->port);
	size_t k = (size_t)(t + 24 - d);
	memcpy(addr + n, d, k);
	n += k;
	addr[n++] = '"';
	j_add(w, addr, n);
}

static void
j_char(struct jw *w, char c)
{
	if (c)
		j_str(w, sl_str_make(&c, 1));
	else
		j_put(w, "null");
}

static void
j_name(struct jw *w, const char *s)
{
	j_nstr(w, sl_str_c(s));
}

/* ----- the call ----- */

static const char *
call_type(enum sl_call_kind k)
{
	switch (k) {
	case SL_CALL_INVITE: return "call";
	case SL_CALL_REGISTER: return "registration";
	case SL_CALL_OTHER: return "dialog";
	}
	return "dialog";
}

/* One kind of request's authentication on a leg; null when it saw none. */
static void
j_leg_auth(struct jw *w, const struct sl_auth *a)
{
	if (a->challenges == 0 && a->credentials == 0) {
		j_put(w, "null");
		return;
	}
	j_open(w, "{");
	j_key(w, "challenges");
	j_u64(w, a->challenges);
	j_key(w, "status");
	j_opt(w, a->status ? a->status : -1);
	j_key(w, "credentials");
	j_u64(w, a->credentials);
	j_key(w, "authorised");
	j_bool(w, a->authorised);
	j_key(w, "failed");
	j_bool(w, a->failed);
	j_key(w, "user");
	j_nstr(w, a->user);
	j_key(w, "realm");
	j_nstr(w, a->realm);
	j_close(w, "}");
}

/* How the leg ended, and its authentication per kind of request (keys
 * added after the joining ones, schema 1). */
static void
j_leg_end(struct jw *w, const struct sl_leg *g)
{
	bool invite = g->kind == SL_LEG_INVITE;
	j_key(w, "answered");
	j_bool(w, g->answer_ts != 0);
	j_key(w, "final_status");
	j_opt(w, invite && g->final_status ? g->final_status : -1);
	j_key(w, "cancelled");
	j_bool(w, g->cancelled);
	j_key(w, "bye_by");
	if (g->bye_ts)
		j_name(w, sl_side_name(g->bye_by));
	else
		j_put(w, "null");
	j_key(w, "bye_answered");
	j_bool(w, g->bye_done_ts != 0);
	j_key(w, "bye_status");
	j_opt(w, g->bye_status ? g->bye_status : -1);
	j_key(w, "auth");
	j_open(w, "{");
	for (int r = 0; r < SL_AUTH_N; r++) {
		j_key(w, sl_auth_req_name((enum sl_auth_req)r));
		j_leg_auth(w, &g->auth[r]);
	}
	j_close(w, "}");
}

static void
j_leg(struct jw *w, const struct sl_leg *g)
{
	j_item(w);
	j_open(w, "{");
	j_key(w, "name");
	j_char(w, g->name);
	j_key(w, "call_id");
	j_str(w, g->call_id);
	j_key(w, "from");
	j_nstr(w, g->from_user);
	j_key(w, "to");
	j_nstr(w, g->to_user);
	j_key(w, "uac");
	j_ep(w, &g->uac);
	j_key(w, "uas");
	j_ep(w, &g->uas);
	bool joined = g->joined_to != NULL;
	j_key(w, "joined_to");
	j_char(w, joined ? g->joined_to->name : 0);
	j_key(w, "evidence");
	j_open(w, "[");
	for (unsigned i = 0; joined && i < 32 && sl_join_ev_names[i]; i++) {
		if (g->join_ev & (1u << i)) {
			j_item(w);
			j_name(w, sl_join_ev_names[i]);
		}
	}
	j_close(w, "]");
	j_key(w, "confidence");
	j_put(w, joined ? "" : "null");
	if (joined)
		j_name(w, sl_confidence_name(g->join_conf));
	j_key(w, "delay_ms");
	if (joined)
		j_ms(w, g->join_delay_ns);
	else
		j_put(w, "null");
	j_key(w, "max_forwards");
	if (joined) {
		j_open(w, "[");
		j_item(w);
		j_opt(w, g->join_mf_parent);
		j_item(w);
		j_opt(w, g->join_mf_self);
		j_close(w, "]");
	} else {
		j_put(w, "null");
	}
	j_leg_end(w, g);
	j_close(w, "}");
}

/* The ladder's label without its retransmission mark. */
static void
j_label(struct jw *w, const struct sl_msg *m)
{
	/* "200 OK (SDP)": short enough for the stack nearly always */
	char small[256];
	char num[24];
	struct sl_str parts[4] = { SL_STR_NULL, SL_STR_NULL, SL_STR_NULL, SL_STR_NULL };
	if (m->is_request) {
		parts[0] = m->method;
	} else {
		char *d = digits(num, (unsigned)m->status);
		parts[0] = sl_str_make(d, (size_t)(num + 24 - d));
		if (m->reason.n) {
			parts[1] = SL_STR(" ");
			parts[2] = m->reason;
		}
	}
	if (m->has_sdp)
		parts[3] = SL_STR(" (SDP)");
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		n += parts[i].n;
	if (n <= sizeof small) {
		n = 0;
		for (int i = 0; i < 4; i++) {
			if (parts[i].n)
				memcpy(small + n, parts[i].p, parts[i].n);
			n += parts[i].n;
		}
		j_str(w, sl_str_make(small, n));
		return;
	}
	struct sl_buf t;
	sl_buf_init(&t, LABEL_MAX);
	enum sl_err e;
	if (m->is_request) {
		e = sl_buf_addstr(&t, m->method);
	} else {
		e = sl_buf_printf(&t, "%u", (unsigned)m->status);
		if (e == SL_OK && m->reason.n)
			e = sl_buf_addc(&t, ' ');
		if (e == SL_OK)
			e = sl_buf_addstr(&t, m->reason);
	}
	if (e == SL_OK && m->has_sdp)
		e = sl_buf_adds(&t, " (SDP)");
	if (e == SL_OK)
		j_str(w, sl_str_make(t.p, t.len));
	else if (w->e == SL_OK)
		w->e = e;
	sl_buf_free(&t);
}

static void
j_msg(struct jw *w, const struct sl_msg *m)
{
	j_item(w);
	j_open(w, "{");
	j_key(w, "frame");
	j_u64(w, m->frame);
	j_key(w, "time");
	j_secs(w, m->ts_ns - w->base);
	j_key(w, "src");
	j_ep(w, &m->src);
	j_key(w, "dst");
	j_ep(w, &m->dst);
	j_key(w, "leg");
	j_char(w, m->leg ? m->leg->name : 0);
	j_key(w, "label");
	j_label(w, m);
	/* every key on every message, null where it does not apply, so a
	 * consumer never has to test for presence */
	j_key(w, "method");
	if (m->is_request)
		j_str(w, m->method);
	else
		j_put(w, "null");
	j_key(w, "status");
	if (m->is_request)
		j_put(w, "null");
	else
		j_u64(w, m->status);
	j_key(w, "reason");
	if (m->is_request)
		j_put(w, "null");
	else
		j_str(w, m->reason);
	j_key(w, "call_id");
	j_str(w, m->call_id);
	j_key(w, "cseq");
	j_u64(w, m->cseq);
	j_key(w, "cseq_method");
	j_str(w, m->method);
	j_key(w, "retransmission");
	j_bool(w, m->retrans);
	j_key(w, "anomalies");
	j_open(w, "[");
	for (unsigned i = 0; i < m->n_anomalies && i < SL_MSG_MAX_ANOMALIES; i++) {
		j_item(w);
		j_name(w, m->anomalies[i]);
	}
	j_close(w, "]");
	j_close(w, "}");
}

/* A stream's keys, inside an object the caller opened: the same in a
 * call's streams[] and in the rows of `rtp --json` */
static void
j_stream_keys(struct jw *w, const struct sl_stream *s)
{
	char ssrc[16];
	snprintf(ssrc, sizeof ssrc, "0x%08X", (unsigned)s->ssrc);
	bool jit = s->clock_rate != 0;
	j_key(w, "ssrc");
	j_str(w, sl_str_c(ssrc));
	j_key(w, "src");
	j_ep(w, &s->src);
	j_key(w, "dst");
	j_ep(w, &s->dst);
	j_key(w, "leg");
	j_char(w, s->leg ? s->leg->name : 0);
	j_key(w, "payload_type");
	j_u64(w, s->pt);
	j_key(w, "codec");
	j_nstr(w, s->codec);
	j_key(w, "packets");
	j_u64(w, s->packets);
	j_key(w, "lost");
	j_i64(w, s->lost);
	j_key(w, "expected");
	j_u64(w, s->expected);
	j_key(w, "dups");
	j_u64(w, s->dups);
	j_key(w, "out_of_order");
	j_u64(w, s->out_of_order);
	j_key(w, "max_delta_ms");
	j_double(w, s->max_delta_ms, true);
	j_key(w, "max_jitter_ms");
	j_double(w, s->max_jitter_ms, jit);
	j_key(w, "mean_jitter_ms");
	j_double(w, s->mean_jitter_ms, jit);
	j_key(w, "start");
	j_secs(w, s->first_ts - w->base);
	j_key(w, "end");
	j_secs(w, s->last_ts - w->base);
	j_key(w, "rtcp_packets");
	j_u64(w, s->rtcp_packets);
	j_key(w, "after_bye");
	j_open(w, "{");
	j_key(w, "packets");
	j_u64(w, s->after_bye_packets);
	j_key(w, "duration");
	j_secs(w, s->after_bye_packets ? s->after_bye_last_ts - s->after_bye_first_ts : 0);
	j_key(w, "icmp_unreachable");
	j_u64(w, s->icmp_unreachable);
	j_close(w, "}");
}

static void
j_stream(struct jw *w, const struct sl_stream *s)
{
	j_item(w);
	j_open(w, "{");
	j_stream_keys(w, s);
	j_close(w, "}");
}

static void
j_reg(struct jw *w, const struct sl_reg *r)
{
	j_item(w);
	j_open(w, "{");
	j_key(w, "user");
	j_nstr(w, r->user);
	j_key(w, "contact");
	j_nstr(w, r->contact);
	j_key(w, "expires_requested");
	j_opt(w, r->expires_req);
	j_key(w, "expires");
	j_opt(w, r->expires);
	j_key(w, "unregister");
	j_bool(w, r->unregister);
	j_key(w, "challenged");
	j_u64(w, r->challenges);
	j_key(w, "result");
	j_opt(w, r->result ? r->result : -1);
	j_key(w, "auth_user");
	j_nstr(w, r->auth_user);
	j_key(w, "start");
	j_secs(w, r->start_ts - w->base);
	j_key(w, "end");
	j_secs(w, r->end_ts - w->base);
	j_close(w, "}");
}

/* Position of s in the call's streams[], or -1. */
static int64_t
stream_index(const struct sl_call *call, const struct sl_stream *s)
{
	int64_t i = 0;
	for (const struct sl_stream *t = call->streams; t; t = t->next, i++)
		if (t == s)
			return i;
	return -1;
}

static void
j_finding(struct jw *w, const struct sl_call *call, const struct sl_finding *f)
{
	const struct sl_msg *m = f->msg;
	j_item(w);
	j_open(w, "{");
	j_key(w, "kind");
	j_name(w, sl_finding_name(f->kind));
	j_key(w, "leg");
	j_char(w, f->leg ? f->leg->name : 0);
	j_key(w, "start");
	j_secs(w, f->first_ts - w->base);
	j_key(w, "end");
	j_secs(w, f->last_ts - w->base);
	j_key(w, "count");
	j_u64(w, f->count);
	j_key(w, "method");
	if (m && m->method.n)
		j_str(w, m->method);
	else if (f->kind == SL_FINDING_BYE_UNANSWERED)
		j_put(w, "\"BYE\"");
	else
		j_put(w, "null");
	j_key(w, "status");
	j_opt(w, f->status ? f->status : -1);
	j_key(w, "frame");
	if (m)
		j_u64(w, m->frame);
	else
		j_put(w, "null");
	j_key(w, "stream");
	j_opt(w, f->stream ? stream_index(call, f->stream) : -1);
	j_key(w, "icmp_unreachable");
	j_u64(w, f->icmp);
	j_close(w, "}");
}

static void
j_call(struct jw *w, const struct sl_call *call)
{
	const struct sl_call_summary *s = &call->sum;
	j_open(w, "{");
	j_key(w, "schema");
	j_u64(w, SCHEMA);
	j_key(w, "type");
	j_name(w, call_type(call->kind));
	j_key(w, "index");
	j_u64(w, call->index);
	j_key(w, "call_id");
	j_open(w, "[");
	for (const struct sl_leg *g = call->legs; g; g = g->next) {
		j_item(w);
		j_str(w, g->call_id);
	}
	j_close(w, "]");
	j_key(w, "state");
	j_name(w, sl_call_state_name(s->state));
	j_key(w, "status");
	j_opt(w, s->status ? s->status : -1);
	j_key(w, "hangup_by");
	j_put(w, s->hangup_by == SL_SIDE_NONE ? "null" : "");
	if (s->hangup_by != SL_SIDE_NONE)
		j_name(w, sl_side_name(s->hangup_by));
	j_key(w, "from");
	j_nstr(w, s->from_user);
	j_key(w, "to");
	j_nstr(w, s->to_user);
	j_key(w, "callee");
	j_nstr(w, s->callee_user);
	j_key(w, "reason");
	j_nstr(w, s->reason);
	j_key(w, "start");
	j_secs(w, call->first_ts - w->base);
	j_key(w, "start_epoch");
	j_put(w, "\"");
	if (w->e == SL_OK)
		w->e = sl_fmt_utc(w->b, call->first_ts, true, 6);
	j_put(w, "\"");
	j_key(w, "duration");
	j_secs(w, s->duration_ns);
	j_key(w, "setup_ms");
	if (s->setup_ns >= 0)
		j_ms(w, s->setup_ns);
	else
		j_put(w, "null");
	j_key(w, "talk_ms");
	if (s->talk_ns >= 0)
		j_ms(w, s->talk_ns);
	else
		j_put(w, "null");
	j_key(w, "auth");
	j_open(w, "{");
	j_key(w, "invite_challenges");
	j_u64(w, s->invite_challenges);
	j_key(w, "bye_challenges");
	j_u64(w, s->bye_challenges);
	j_key(w, "authorised");
	j_bool(w, s->authorised);
	j_key(w, "challenges");
	j_u64(w, s->challenges);
	j_key(w, "credentials_sent");
	j_bool(w, s->credentials);
	j_key(w, "failed");
	j_bool(w, s->auth_failed);
	j_close(w, "}");
	j_key(w, "legs");
	j_open(w, "[");
	for (const struct sl_leg *g = call->legs; g; g = g->next)
		j_leg(w, g);
	j_close(w, "]");
	j_key(w, "messages");
	j_open(w, "[");
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		j_msg(w, m);
	j_close(w, "]");
	j_key(w, "messages_dropped");
	j_u64(w, call->msgs_dropped);
	j_key(w, "streams");
	j_open(w, "[");
	for (const struct sl_stream *st = call->streams; st; st = st->next)
		j_stream(w, st);
	j_close(w, "]");
	j_key(w, "registrations");
	j_open(w, "[");
	for (const struct sl_reg *r = call->regs; r; r = r->next)
		j_reg(w, r);
	j_close(w, "]");
	j_key(w, "findings");
	j_open(w, "[");
	for (unsigned i = 0; i < call->n_findings; i++)
		j_finding(w, call, &call->findings[i]);
	j_close(w, "]");
	j_close(w, "}");
	j_put(w, "\n");
}

enum sl_err
sl_report_json_call(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	struct jw w;
	memset(&w, 0, sizeof w);
	w.b = out;
	w.base = opts->base_ts_ns;
	w.first[0] = true;
	j_call(&w, call);
	if (w.e != SL_OK)
		sl_buf_free(out);
	return w.e;
}

enum sl_err
sl_report_json_streams(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	struct jw w;
	memset(&w, 0, sizeof w);
	w.b = out;
	w.base = opts->base_ts_ns;
	for (const struct sl_stream *st = call->streams; st && w.e == SL_OK; st = st->next) {
		w.depth = 0;
		w.first[0] = true;
		j_open(&w, "{");
		j_key(&w, "schema");
		j_u64(&w, SCHEMA);
		j_key(&w, "type");
		j_put(&w, "\"stream\"");
		j_key(&w, "call");
		j_u64(&w, call->index);
		j_stream_keys(&w, st);
		j_close(&w, "}");
		j_put(&w, "\n");
	}
	if (w.e != SL_OK)
		sl_buf_free(out);
	return w.e;
}

enum sl_err
sl_report_json_summary(struct sl_buf *out, const struct sl_report_totals *t)
{
	struct jw w;
	memset(&w, 0, sizeof w);
	w.b = out;
	w.first[0] = true;
	j_open(&w, "{");
	j_key(&w, "schema");
	j_u64(&w, SCHEMA);
	j_key(&w, "type");
	j_put(&w, "\"summary\"");
	j_key(&w, "frames");
	j_u64(&w, t->frames);
	j_key(&w, "sip_messages");
	j_u64(&w, t->sip_messages);
	j_key(&w, "rtp_packets");
	j_u64(&w, t->rtp_packets);
	j_key(&w, "rtcp_packets");
	j_u64(&w, t->rtcp_packets);
	j_key(&w, "icmp_packets");
	j_u64(&w, t->icmp_packets);
	j_key(&w, "calls");
	j_u64(&w, t->calls);
	j_key(&w, "registrations");
	j_u64(&w, t->registrations);
	j_key(&w, "skipped");
	j_open(&w, "{");
	for (size_t i = 0; i < t->n_skipped; i++) {
		j_item(&w);
		j_str(&w, sl_str_c(t->skipped[i].name));
		j_put(&w, ":");
		j_u64(&w, t->skipped[i].count);
	}
	j_close(&w, "}");
	j_key(&w, "icmp_unattributed");
	j_u64(&w, t->icmp_unattributed);
	j_close(&w, "}");
	j_put(&w, "\n");
	if (w.e != SL_OK)
		sl_buf_free(out);
	return w.e;
}
