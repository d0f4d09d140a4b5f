/* ladder.c: builds the drawing-free ladder layout of a call (ladder.h):
 * columns and their roles, rows in time order with labels and the notes
 * a human would write beside each arrow, and the '!' notes. */
#include "reports/ladder.h"

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "reports/fmt.h"

#define NO_COL UINT32_MAX
#define SCRATCH_MAX (1u << 20)

struct builder {
	struct sl_ladder *l;
	const struct sl_call *call;
	struct sl_arena *a;
	struct sl_buf tmp;		/* composes one string, then kept in the arena */
	const struct sl_leg **legs;
	unsigned n_legs;
	bool *leg_seen;			/* a message of leg i was laid out */
	unsigned cap_cols;
	size_t n_msgs;
};

const char *
sl_ladder_role_name(enum sl_ladder_role r)
{
	switch (r) {
	case SL_ROLE_NONE: return "";
	case SL_ROLE_CALLER: return "caller";
	case SL_ROLE_SERVER: return "server";
	case SL_ROLE_CALLEE: return "callee";
	case SL_ROLE_CLIENT: return "client";
	case SL_ROLE_REGISTRAR: return "registrar";
	case SL_ROLE_UAC: return "uac";
	case SL_ROLE_UAS: return "uas";
	case SL_ROLE_MEDIA: return "media";
	}
	return "";
}

struct sl_str
sl_ladder_col_name(const struct sl_ladder *l, unsigned c)
{
	if (c >= l->n_cols)
		return SL_STR("?");
	const struct sl_ladder_col *col = &l->cols[c];
	if (col->role == SL_ROLE_NONE || col->role == SL_ROLE_MEDIA)
		return col->addr;
	return sl_str_c(sl_ladder_role_name(col->role));
}

/* ----- strings ----- */

/* Moves the scratch text into the arena as *out and empties scratch. */
static enum sl_err
keep(struct builder *b, struct sl_str *out)
{
	*out = SL_STR_NULL;
	if (b->tmp.len) {
		*out = sl_arena_str(b->a, sl_str_make(b->tmp.p, b->tmp.len));
		if (out->p == NULL)
			return SL_ENOMEM;
	}
	sl_buf_reset(&b->tmp);
	return SL_OK;
}

/* Appends ", " unless scratch is empty: note parts are a list. */
static enum sl_err
sep(struct builder *b)
{
	return b->tmp.len ? sl_buf_adds(&b->tmp, ", ") : SL_OK;
}

static enum sl_err
put(struct builder *b, struct sl_str s)
{
	return sl_fmt_put(&b->tmp, s, SIZE_MAX);
}

/* The text="..." parameter of a Reason header (RFC 3326), else the whole
 * value: "SIP;cause=200;text=\"User hangup\"" -> "User hangup". */
static struct sl_str
reason_text(struct sl_str hdr)
{
	struct sl_str rest = hdr, part;
	while (rest.p != NULL) {
		rest = sl_str_split(rest, ';', &part);
		part = sl_str_trim(part);
		if (!sl_str_istarts(part, SL_STR("text=")))
			continue;
		struct sl_str v = sl_str_make(part.p + 5, part.n - 5);
		if (v.n && v.p[0] == '"') {
			v.p++;
			v.n--;
			long q = sl_str_chr(v, '"');
			if (q >= 0)
				v.n = (size_t)q;
		} else {
			struct sl_str head;
			sl_str_split(v, ',', &head);
			v = head;
		}
		return sl_str_trim(v);
	}
	return sl_str_trim(hdr);
}

/* ----- columns ----- */

static unsigned
find_col(const struct sl_ladder *l, const struct sl_endpoint *ep)
{
	for (unsigned i = 0; i < l->n_cols; i++)
		if (l->cols[i].role != SL_ROLE_MEDIA && sl_ep_eq(&l->cols[i].ep, ep))
			return i;
	return NO_COL;
}

static enum sl_err
add_col(struct builder *b, const struct sl_endpoint *ep, enum sl_ladder_role role,
    unsigned *idx /* OUT */)
{
	struct sl_ladder *l = b->l;
	if (SL_NEVER(l->n_cols >= b->cap_cols))
		return SL_ENOMEM;
	struct sl_ladder_col *c = &l->cols[l->n_cols];
	char addr[SL_EP_STRLEN];
	memset(c, 0, sizeof *c);
	c->ep = *ep;
	c->role = role;
	enum sl_err e = sl_buf_adds(&b->tmp, sl_ep_str(ep, addr, sizeof addr));
	if (e == SL_OK)
		e = keep(b, &c->addr);
	if (e == SL_OK && role == SL_ROLE_MEDIA)
		c->title = SL_STR("media");
	*idx = l->n_cols++;
	return e;
}

static enum sl_err
col_of(struct builder *b, const struct sl_endpoint *ep, unsigned *idx /* OUT */)
{
	*idx = find_col(b->l, ep);
	return *idx == NO_COL ? add_col(b, ep, SL_ROLE_NONE, idx) : SL_OK;
}

/* The column an RTP endpoint belongs to: the SIP endpoint that announced
 * it in SDP (exact even when every host is 127.0.0.1), else the first
 * column on the same IP, else a media column when add is set (one per
 * host), else NO_COL. */
static enum sl_err
media_col(struct builder *b, const struct sl_endpoint *ep, bool add,
    unsigned *idx /* OUT */)
{
	const struct sl_ladder *l = b->l;
	for (const struct sl_msg *m = b->call->msgs; m; m = m->next) {
		if (m->has_sdp && m->sdp_media.port == ep->port &&
		    sl_ip_eq(&m->sdp_media.ip, &ep->ip)) {
			*idx = find_col(l, &m->src);
			if (*idx != NO_COL)
				return SL_OK;
		}
	}
	for (unsigned i = 0; i < l->n_cols; i++) {
		if (sl_ip_eq(&l->cols[i].ep.ip, &ep->ip)) {
			*idx = i;
			return SL_OK;
		}
	}
	*idx = NO_COL;
	return add ? add_col(b, ep, SL_ROLE_MEDIA, idx) : SL_OK;
}

static void
set_role(struct sl_ladder *l, unsigned c, enum sl_ladder_role role, struct sl_str user)
{
	if (c == NO_COL || l->cols[c].role != SL_ROLE_NONE)
		return;
	l->cols[c].role = role;
	l->cols[c].user = user;
}

/* INVITE calls: the first leg's UAC is the caller; a column that receives
 * an initial INVITE (no To tag) and sends one on is a server (a B2BUA
 * with a new Call-ID, or a proxy keeping it); the last leg's UAS is the
 * callee, or, through a proxy, the last column that only receives initial
 * INVITEs. Re-INVITEs carry a To tag, so a callee that re-INVITEs stays
 * the callee. */
static enum sl_err
assign_invite_roles(struct builder *b, const struct sl_leg *first,
    const struct sl_leg *last)
{
	struct sl_ladder *l = b->l;
	bool *sends = sl_arena_zalloc(b->a, l->n_cols * sizeof *sends + 1);
	const struct sl_msg **recv = sl_arena_zalloc(b->a, l->n_cols * sizeof *recv + 1);
	if (sends == NULL || recv == NULL)
		return SL_ENOMEM;
	for (const struct sl_msg *m = b->call->msgs; m; m = m->next) {
		if (!m->is_request || m->method_id != SL_SIP_METHOD_INVITE || m->to_tag.n)
			continue;
		unsigned s = find_col(l, &m->src), d = find_col(l, &m->dst);
		sends[s] = true;
		if (recv[d] == NULL)
			recv[d] = m;
	}
	unsigned caller = find_col(l, &first->uac);
	set_role(l, caller, SL_ROLE_CALLER, first->from_user);
	for (unsigned c = 0; c < l->n_cols; c++)
		if (c != caller && sends[c] && recv[c])
			set_role(l, c, SL_ROLE_SERVER, SL_STR_NULL);
	unsigned callee = find_col(l, &last->uas);
	if (callee != NO_COL && l->cols[callee].role == SL_ROLE_NONE) {
		set_role(l, callee, SL_ROLE_CALLEE, last->to_user);
		return SL_OK;
	}
	for (unsigned c = l->n_cols; c-- > 0;) {
		if (recv[c] && !sends[c] && l->cols[c].role == SL_ROLE_NONE) {
			set_role(l, c, SL_ROLE_CALLEE, recv[c]->to_user);
			break;
		}
	}
	return SL_OK;
}

static enum sl_err
assign_roles(struct builder *b)
{
	struct sl_ladder *l = b->l;
	if (b->n_legs == 0)
		return SL_OK;
	const struct sl_leg *first = b->legs[0], *last = b->legs[b->n_legs - 1];
	enum sl_err e = SL_OK;
	switch (b->call->kind) {
	case SL_CALL_INVITE:
		e = assign_invite_roles(b, first, last);
		break;
	case SL_CALL_REGISTER:
		set_role(l, find_col(l, &first->uac), SL_ROLE_CLIENT,
		    first->from_user.n ? first->from_user : first->to_user);
		set_role(l, find_col(l, &first->uas), SL_ROLE_REGISTRAR, SL_STR_NULL);
		break;
	case SL_CALL_OTHER:
		set_role(l, find_col(l, &first->uac), SL_ROLE_UAC, first->from_user);
		set_role(l, find_col(l, &first->uas), SL_ROLE_UAS, first->to_user);
		break;
	}
	for (unsigned c = 0; e == SL_OK && c < l->n_cols; c++) {
		struct sl_ladder_col *col = &l->cols[c];
		if (col->role == SL_ROLE_NONE || col->role == SL_ROLE_MEDIA)
			continue;
		e = sl_buf_adds(&b->tmp, sl_ladder_role_name(col->role));
		if (e == SL_OK && col->user.n) {
			e = sl_buf_addc(&b->tmp, ' ');
			if (e == SL_OK)
				e = put(b, col->user);
		}
		if (e == SL_OK)
			e = keep(b, &col->title);
	}
	return e;
}

/* ----- SIP rows ----- */

/* "INVITE (SDP)", "401 Unauthorized", "200 OK (SDP) (retrans)" */
static enum sl_err
msg_label(struct builder *b, const struct sl_msg *m)
{
	enum sl_err e;
	if (m->is_request) {
		e = put(b, m->method.n ? m->method : SL_STR("request"));
	} else {
		e = sl_buf_printf(&b->tmp, "%u", (unsigned)m->status);
		if (e == SL_OK && m->reason.n) {
			e = sl_buf_addc(&b->tmp, ' ');
			if (e == SL_OK)
				e = put(b, m->reason);
		}
	}
	if (e == SL_OK && m->has_sdp)
		e = sl_buf_adds(&b->tmp, " (SDP)");
	if (e == SL_OK && m->retrans)
		e = sl_buf_adds(&b->tmp, " (retrans)");
	return e;
}

static unsigned
leg_index(const struct builder *b, const struct sl_leg *leg)
{
	for (unsigned i = 0; i < b->n_legs; i++)
		if (b->legs[i] == leg)
			return i;
	return NO_COL;
}

/* What a human writes beside the arrow: the transaction's CSeq on its
 * first request, "new Call-ID" where a joined leg starts, credentials,
 * challenges, the hangup reason, REGISTER expiry, anomalies. */
static enum sl_err
msg_note(struct builder *b, const struct sl_msg *m)
{
	enum sl_err e = SL_OK;
	unsigned li = leg_index(b, m->leg);
	bool first_of_leg = li != NO_COL && !b->leg_seen[li];
	if (li != NO_COL)
		b->leg_seen[li] = true;
	bool req = m->is_request;
	if (!m->retrans) {
		/* a request that is not a retransmission opens a transaction;
		 * ACK belongs to its INVITE's */
		if (req && m->method_id != SL_SIP_METHOD_ACK)
			e = sl_buf_printf(&b->tmp, "CSeq %lu", (unsigned long)m->cseq);
		if (e == SL_OK && first_of_leg && m->leg->joined_to) {
			e = sep(b);
			if (e == SL_OK)
				e = sl_buf_adds(&b->tmp, "new Call-ID");
		}
		if (e == SL_OK && req && m->has_auth) {
			e = sep(b);
			if (e == SL_OK)
				e = sl_buf_adds(&b->tmp, m->auth_proxy ? (m->auth_user.n ? "Proxy-Authorization " : "Proxy-Authorization") :
				    (m->auth_user.n ? "Authorization " : "Authorization"));
			if (e == SL_OK)
				e = put(b, m->auth_user);
		}
		if (e == SL_OK && !req && (m->status == 401 || m->status == 407)) {
			if (m->method_id == SL_SIP_METHOD_BYE) {
				e = sep(b);
				if (e == SL_OK)
					e = sl_buf_adds(&b->tmp, "BYE challenged");
			} else if (m->chal_realm.n) {
				e = sep(b);
				if (e == SL_OK)
					e = sl_buf_adds(&b->tmp, "realm \"");
				if (e == SL_OK)
					e = put(b, m->chal_realm);
				if (e == SL_OK)
					e = sl_buf_addc(&b->tmp, '"');
			}
		}
		if (e == SL_OK && req && m->method_id == SL_SIP_METHOD_BYE && m->reason_hdr.n) {
			e = sep(b);
			if (e == SL_OK)
				e = sl_buf_adds(&b->tmp, "Reason: ");
			if (e == SL_OK)
				e = put(b, reason_text(m->reason_hdr));
		}
		if (e == SL_OK && m->method_id == SL_SIP_METHOD_REGISTER && m->expires >= 0 &&
		    (req || (m->status >= 200 && m->status < 300))) {
			e = sep(b);
			if (e == SL_OK)
				e = sl_buf_printf(&b->tmp, "Expires %lld", (long long)m->expires);
		}
	}
	for (unsigned i = 0; e == SL_OK && i < m->n_anomalies && i < SL_MSG_MAX_ANOMALIES; i++) {
		e = sep(b);
		if (e == SL_OK)
			e = sl_buf_adds(&b->tmp, "! ");
		if (e == SL_OK)
			e = sl_buf_adds(&b->tmp, m->anomalies[i] ? m->anomalies[i] : "?");
	}
	return e;
}

static enum sl_err
sip_row(struct builder *b, const struct sl_msg *m, struct sl_ladder_row *r)
{
	memset(r, 0, sizeof *r);
	r->kind = SL_LADDER_SIP;
	r->ts_ns = m->ts_ns;
	r->from = find_col(b->l, &m->src);
	r->to = find_col(b->l, &m->dst);
	r->leg = m->leg ? m->leg->name : 0;
	r->retrans = m->retrans;
	r->anomalies = m->anomalies;
	r->n_anomalies = m->n_anomalies < SL_MSG_MAX_ANOMALIES ? m->n_anomalies : SL_MSG_MAX_ANOMALIES;
	r->msg = m;
	enum sl_err e = msg_label(b, m);
	if (e == SL_OK)
		e = keep(b, &r->label);
	if (e == SL_OK)
		e = msg_note(b, m);
	if (e == SL_OK)
		e = keep(b, &r->note);
	return e;
}

/* ----- RTP rows ----- */

/* "RTP PCMU 280 pkts 5.59 s" */
static enum sl_err
stream_label(struct builder *b, const struct sl_stream *s)
{
	char dur[SL_FMT_NUM];
	enum sl_err e = sl_buf_adds(&b->tmp, "RTP ");
	if (e == SL_OK)
		e = s->codec.n ? put(b, s->codec) : sl_buf_printf(&b->tmp, "PT %u", (unsigned)s->pt);
	if (e == SL_OK)
		e = sl_buf_printf(&b->tmp, " %llu pkts %s s", (unsigned long long)s->packets,
		    sl_fmt_secs(dur, s->last_ts - s->first_ts, 2));
	return e;
}

/* "0 lost, jitter max 1.3 ms"; "6 lost (3.8%), ..." */
static enum sl_err
stream_note(struct builder *b, const struct sl_stream *s)
{
	char num[SL_FMT_NUM];
	enum sl_err e = sl_buf_printf(&b->tmp, "%lld lost", (long long)s->lost);
	if (e == SL_OK && s->lost > 0 && s->expected > 0) {
		/* per mille, rounded, printed with one decimal */
		uint64_t pm = ((uint64_t)s->lost * 1000 + s->expected / 2) / s->expected;
		e = sl_buf_printf(&b->tmp, " (%s%%)", sl_fmt_fixed(num, (int64_t)pm, 1));
	}
	if (e == SL_OK && s->clock_rate && sl_fmt_double(num, s->max_jitter_ms, 1))
		e = sl_buf_printf(&b->tmp, ", jitter max %s ms", num);
	return e;
}

static enum sl_err
rtp_row(struct builder *b, const struct sl_stream *s, struct sl_ladder_row *r)
{
	memset(r, 0, sizeof *r);
	r->kind = SL_LADDER_RTP;
	r->ts_ns = s->first_ts;
	r->leg = s->leg ? s->leg->name : 0;
	r->stream = s;
	enum sl_err e = media_col(b, &s->src, true, &r->from);
	if (e == SL_OK)
		e = media_col(b, &s->dst, true, &r->to);
	if (e == SL_OK)
		e = stream_label(b, s);
	if (e == SL_OK)
		e = keep(b, &r->label);
	if (e == SL_OK)
		e = stream_note(b, s);
	if (e == SL_OK)
		e = keep(b, &r->note);
	return e;
}

/* ----- '!' notes: the messages' anomalies, then the call's findings ----- */

static enum sl_err
put_media_end(struct builder *b, const struct sl_endpoint *ep)
{
	unsigned c;
	enum sl_err e = media_col(b, ep, false, &c);
	if (e == SL_OK && c != NO_COL)
		return put(b, sl_ladder_col_name(b->l, c));
	char addr[SL_EP_STRLEN];
	return e ? e : sl_buf_adds(&b->tmp, sl_ep_str(ep, addr, sizeof addr));
}

static enum sl_err
put_sip_end(struct builder *b, const struct sl_endpoint *ep)
{
	unsigned c = find_col(b->l, ep);
	if (c != NO_COL)
		return put(b, sl_ladder_col_name(b->l, c));
	char addr[SL_EP_STRLEN];
	return sl_buf_adds(&b->tmp, sl_ep_str(ep, addr, sizeof addr));
}

/* "caller -> server" */
static enum sl_err
put_sip_ends(struct builder *b, const struct sl_endpoint *src, const struct sl_endpoint *dst)
{
	enum sl_err e = put_sip_end(b, src);
	if (e == SL_OK)
		e = sl_buf_adds(&b->tmp, " -> ");
	return e ? e : put_sip_end(b, dst);
}

/* "media after BYE: server -> caller RTP for 0.21 s, answered by 11 ICMP
 * port unreachable": the seed's tail; "media refused: ..." when only the
 * ICMP says something was wrong. */
static enum sl_err
media_note(struct builder *b, const struct sl_finding *f)
{
	char dur[SL_FMT_NUM];
	const struct sl_stream *s = f->stream;
	bool after = f->kind == SL_FINDING_MEDIA_AFTER_BYE;
	enum sl_err e = sl_buf_adds(&b->tmp, after ? "media after BYE: " : "media refused: ");
	if (e == SL_OK)
		e = put_media_end(b, &s->src);
	if (e == SL_OK)
		e = sl_buf_adds(&b->tmp, " -> ");
	if (e == SL_OK)
		e = put_media_end(b, &s->dst);
	if (e == SL_OK && after)
		e = sl_buf_printf(&b->tmp, " RTP for %s s", sl_fmt_secs(dur,
		    f->last_ts - f->first_ts, 2));
	else if (e == SL_OK)
		e = sl_buf_adds(&b->tmp, " RTP");
	if (e == SL_OK && f->icmp)
		e = sl_buf_printf(&b->tmp, ", answered by %llu ICMP port unreachable",
		    (unsigned long long)f->icmp);
	return e;
}

/* "auth never completed: caller -> server INVITE challenged 401 x2": the
 * request went the other way from its challenge */
static enum sl_err
auth_note(struct builder *b, const struct sl_finding *f)
{
	const struct sl_msg *m = f->msg;
	enum sl_err e = sl_buf_adds(&b->tmp, "auth never completed: ");
	if (e == SL_OK)
		e = m ? put_sip_ends(b, &m->dst, &m->src) :
		    put_sip_ends(b, &f->leg->uac, &f->leg->uas);
	if (e == SL_OK)
		e = sl_buf_addc(&b->tmp, ' ');
	if (e == SL_OK)
		e = m && m->method.n ? put(b, m->method) :
		    sl_buf_adds(&b->tmp, sl_auth_req_name(f->req));
	if (e == SL_OK)
		e = sl_buf_printf(&b->tmp, " challenged %u", (unsigned)f->status);
	if (e == SL_OK && f->count > 1)
		e = sl_buf_printf(&b->tmp, " x%llu", (unsigned long long)f->count);
	return e;
}

/* "BYE unanswered: server -> callee, no final response"; "BYE failed:
 * caller -> server, answered 481". How often it was sent is the
 * retransmissions finding's to say. */
static enum sl_err
bye_note(struct builder *b, const struct sl_finding *f)
{
	const struct sl_msg *m = f->msg;
	enum sl_err e = sl_buf_adds(&b->tmp, f->status ? "BYE failed: " : "BYE unanswered: ");
	if (e == SL_OK && m)
		e = put_sip_ends(b, &m->src, &m->dst);
	if (e == SL_OK && m)
		e = sl_buf_adds(&b->tmp, ", ");
	if (e != SL_OK)
		return e;
	return f->status ? sl_buf_printf(&b->tmp, "answered %u", (unsigned)f->status) :
	    sl_buf_adds(&b->tmp, "no final response");
}

/* "retransmissions: server -> callee BYE sent 7 times over 31.50 s" */
static enum sl_err
retrans_note(struct builder *b, const struct sl_finding *f)
{
	char dur[SL_FMT_NUM];
	const struct sl_msg *m = f->msg;
	enum sl_err e = sl_buf_adds(&b->tmp, "retransmissions: ");
	if (e == SL_OK)
		e = put_sip_ends(b, &m->src, &m->dst);
	if (e == SL_OK)
		e = sl_buf_addc(&b->tmp, ' ');
	if (e == SL_OK)
		e = msg_label(b, m);
	if (e == SL_OK)
		e = sl_buf_printf(&b->tmp, " sent %llu times over %s s",
		    (unsigned long long)f->count + 1, sl_fmt_secs(dur, f->last_ts - f->first_ts, 2));
	return e;
}

static enum sl_err
finding_note(struct builder *b, const struct sl_finding *f)
{
	switch (f->kind) {
	case SL_FINDING_AUTH_FAILED:
		return f->msg || f->leg ? auth_note(b, f) : SL_OK;
	case SL_FINDING_BYE_UNANSWERED:
		return bye_note(b, f);
	case SL_FINDING_RETRANSMISSIONS:
		return f->msg ? retrans_note(b, f) : SL_OK;
	case SL_FINDING_MEDIA_AFTER_BYE:
	case SL_FINDING_MEDIA_REFUSED:
		return f->stream ? media_note(b, f) : SL_OK;
	}
	return SL_OK;
}

static enum sl_err
add_note(struct builder *b)
{
	return keep(b, &b->l->notes[b->l->n_notes++]);
}

static enum sl_err
build_notes(struct builder *b)
{
	struct sl_ladder *l = b->l;
	const struct sl_call *call = b->call;
	enum sl_err e = SL_OK;
	size_t n = (size_t)call->n_findings + 1;
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		n += m->n_anomalies ? 1 : 0;
	l->notes = sl_arena_zalloc(b->a, n * sizeof *l->notes);
	if (l->notes == NULL)
		return SL_ENOMEM;
	for (const struct sl_msg *m = call->msgs; e == SL_OK && m; m = m->next) {
		if (m->n_anomalies == 0)
			continue;
		e = sl_buf_printf(&b->tmp, "frame %llu ", (unsigned long long)m->frame);
		if (e == SL_OK)
			e = msg_label(b, m);
		if (e == SL_OK)
			e = sl_buf_adds(&b->tmp, ":");
		for (unsigned i = 0; e == SL_OK && i < m->n_anomalies && i < SL_MSG_MAX_ANOMALIES; i++)
			e = sl_buf_printf(&b->tmp, "%s %s", i ? "," : "",
			    m->anomalies[i] ? m->anomalies[i] : "?");
		if (e == SL_OK)
			e = add_note(b);
	}
	for (unsigned i = 0; e == SL_OK && i < call->n_findings; i++) {
		e = finding_note(b, &call->findings[i]);
		if (e == SL_OK && b->tmp.len)
			e = add_note(b);
	}
	if (e == SL_OK && call->msgs_dropped) {
		e = sl_buf_printf(&b->tmp, "%lu more messages not kept (per-call memory cap)",
		    (unsigned long)call->msgs_dropped);
		if (e == SL_OK)
			e = add_note(b);
	}
	return e;
}

/* ----- the whole layout ----- */

/* Streams by first packet, stable: the list should already be in that
 * order, but the layout must not depend on it. Insertion sort: calls
 * carry a handful of streams. */
static const struct sl_stream **
sorted_streams(struct builder *b, size_t *n /* OUT */)
{
	*n = 0;
	for (const struct sl_stream *s = b->call->streams; s; s = s->next)
		(*n)++;
	const struct sl_stream **v = sl_arena_alloc(b->a, (*n + 1) * sizeof *v);
	if (v == NULL)
		return NULL;
	size_t k = 0;
	for (const struct sl_stream *s = b->call->streams; s; s = s->next) {
		size_t j = k++;
		while (j > 0 && v[j - 1]->first_ts > s->first_ts) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = s;
	}
	return v;
}

static enum sl_err
build(struct builder *b, bool with_rtp)
{
	struct sl_ladder *l = b->l;
	const struct sl_call *call = b->call;
	for (const struct sl_leg *g = call->legs; g; g = g->next)
		b->n_legs++;
	b->legs = sl_arena_alloc(b->a, (b->n_legs + 1) * sizeof *b->legs);
	b->leg_seen = sl_arena_zalloc(b->a, b->n_legs + 1);
	if (b->legs == NULL || b->leg_seen == NULL)
		return SL_ENOMEM;
	unsigned i = 0;
	for (const struct sl_leg *g = call->legs; g; g = g->next)
		b->legs[i++] = g;

	size_t n_streams;
	const struct sl_stream **streams = sorted_streams(b, &n_streams);
	if (streams == NULL)
		return SL_ENOMEM;
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		b->n_msgs++;
	/* every message adds at most two columns, every stream two */
	size_t cap = 2 * b->n_msgs + 2 * n_streams + 1;
	if (cap > UINT32_MAX / 2)
		return SL_ENOMEM;
	b->cap_cols = (unsigned)cap;
	l->cols = sl_arena_alloc(b->a, cap * sizeof *l->cols);
	size_t n_rows = b->n_msgs + (with_rtp ? n_streams : 0);
	l->rows = sl_arena_alloc(b->a, (n_rows + 1) * sizeof *l->rows);
	if (l->cols == NULL || l->rows == NULL)
		return SL_ENOMEM;

	enum sl_err e = SL_OK;
	unsigned c;
	for (const struct sl_msg *m = call->msgs; e == SL_OK && m; m = m->next) {
		e = col_of(b, &m->src, &c);
		if (e == SL_OK)
			e = col_of(b, &m->dst, &c);
	}
	if (e == SL_OK)
		e = assign_roles(b);

	/* merge: a stream goes after the messages up to its first packet */
	const struct sl_msg *m = call->msgs;
	size_t si = 0;
	while (e == SL_OK && (m || (with_rtp && si < n_streams))) {
		bool take_stream = with_rtp && si < n_streams &&
		    (m == NULL || streams[si]->first_ts < m->ts_ns);
		struct sl_ladder_row *r = &l->rows[l->n_rows++];
		if (take_stream) {
			e = rtp_row(b, streams[si++], r);
		} else {
			e = sip_row(b, m, r);
			m = m->next;
		}
	}
	if (e == SL_OK)
		e = build_notes(b);
	return e;
}

enum sl_err
sl_ladder_build(struct sl_ladder *l, const struct sl_call *call, bool with_rtp,
    struct sl_arena *arena)
{
	memset(l, 0, sizeof *l);
	l->call = call;
	struct builder b;
	memset(&b, 0, sizeof b);
	b.l = l;
	b.call = call;
	b.a = arena;
	sl_buf_init(&b.tmp, SCRATCH_MAX);
	enum sl_err e = build(&b, with_rtp);
	sl_buf_free(&b.tmp);
	return e;
}
