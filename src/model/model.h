/* model.h: the call model: what the correlator builds, the analysis
 * completes (verdict and findings) and every consumer reads (ladders,
 * tables, JSON; later the store, the TUI and check). It holds facts about
 * the call only: how the correlator found them (indexes, transactions,
 * caches, per-packet state) is private to src/correlate/.
 *
 * Ownership: a struct sl_call owns an arena; its legs, messages, streams,
 * registration records and every slice they hold live in that arena and
 * die with sl_call_free(), as does the findings array. Consumers borrow a
 * call read-only. All times are capture timestamps in ns since the epoch;
 * nothing comes from the clock. */
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "dissectors/sip.h"	/* enum sl_sip_method only */

#define SL_MSG_MAX_ANOMALIES 4

/* One SIP message as seen on the wire, copied out of the packet. */
struct sl_msg {
	struct sl_msg *next;		/* call order: capture time, then frame */
	struct sl_leg *leg;
	uint64_t frame;
	int64_t ts_ns;
	struct sl_endpoint src;
	struct sl_endpoint dst;
	uint32_t size;			/* bytes of the SIP message */

	bool is_request;
	enum sl_sip_method method_id;	/* requests: method; responses: CSeq method */
	struct sl_str method;		/* requests: method; responses: CSeq method */
	uint16_t status;		/* responses */
	struct sl_str reason;		/* responses: reason phrase */
	struct sl_str ruri;
	struct sl_str call_id;
	struct sl_str from_user;
	struct sl_str from_tag;
	struct sl_str to_user;
	struct sl_str to_tag;
	struct sl_str from_uri;		/* "sip:u1@host": Wireshark-style comments */
	struct sl_str to_uri;
	uint32_t cseq;
	struct sl_str branch;
	int32_t max_forwards;		/* -1 absent */
	struct sl_str contact;
	int64_t expires;		/* -1 absent */
	struct sl_str reason_hdr;	/* Reason header */
	struct sl_str user_agent;
	struct sl_str xcid;

	bool has_auth;			/* Authorization / Proxy-Authorization */
	bool auth_proxy;		/* it was Proxy-Authorization (RFC 3261 22.3) */
	struct sl_str auth_user;
	struct sl_str auth_realm;
	bool has_challenge;		/* WWW- / Proxy-Authenticate */
	bool chal_proxy;
	struct sl_str chal_realm;
	bool chal_stale;

	bool has_sdp;
	struct sl_str sdp_codec;	/* first codec of the first m=audio */
	struct sl_endpoint sdp_media;	/* c= address + first m= port */

	bool retrans;			/* same transaction, same message seen before */
	uint32_t retrans_count;		/* first copies: how many retransmissions followed */
	int64_t retrans_last_ts;	/* the last of them */
	const char *anomalies[SL_MSG_MAX_ANOMALIES];
	uint8_t n_anomalies;
	struct sl_str raw;		/* whole message bytes */
};

enum sl_leg_kind { SL_LEG_INVITE = 0, SL_LEG_REGISTER, SL_LEG_OTHER };

/* Who did something, seen from the whole call: the caller (leg A's UAC),
 * the callee (the last leg's UAS), or a B2BUA in between on its own. */
enum sl_side { SL_SIDE_NONE = 0, SL_SIDE_CALLER, SL_SIDE_CALLEE, SL_SIDE_SERVER };

/* Why a leg was joined to another leg (bit set). */
enum sl_join_ev {
	SL_JOIN_HEADER = 1u << 0,	/* X-Call-ID / X-CID names the other leg */
	SL_JOIN_TIMING = 1u << 1,	/* B INVITE sent by A's UAS host while A's INVITE pending */
	SL_JOIN_FROM_USER = 1u << 2,	/* same From user */
	SL_JOIN_MAX_FWD = 1u << 3,	/* Max-Forwards decremented by one */
	SL_JOIN_PROGRESS = 1u << 4,	/* B's 18x/2xx relayed to A right after */
	SL_JOIN_MEDIA = 1u << 5,	/* the host relays RTP between both legs */
	SL_JOIN_HANGUP = 1u << 6,	/* BYE on one leg followed by BYE on the other */
};

enum sl_confidence {
	SL_CONF_NONE = 0,
	SL_CONF_LOW,
	SL_CONF_MEDIUM,
	SL_CONF_HIGH,
	SL_CONF_CERTAIN,	/* by header */
};

/* The requests whose authentication is told apart: each has its own
 * round trips (a B2BUA may challenge the BYE of a call whose INVITE it
 * let through). ACK is none of them: it gets no response, so it can be
 * neither challenged nor authorised. */
enum sl_auth_req { SL_AUTH_INVITE = 0, SL_AUTH_BYE, SL_AUTH_REGISTER, SL_AUTH_OTHER, SL_AUTH_N };

/* One leg's authentication of one kind of request (RFC 3261 22). A
 * 401/407 is a step, never an outcome by itself: failed means the last
 * final response was a challenge that no request with credentials
 * followed, so the exchange stopped there. Neither authorised nor failed
 * with challenges > 0: the credentials were sent and not answered yet. */
struct sl_auth {
	uint16_t challenges;		/* 401/407 final responses */
	uint16_t status;		/* the first challenge's code: 401 or 407; 0 none */
	uint16_t credentials;		/* requests carrying (Proxy-)Authorization */
	bool authorised;		/* a request with credentials got a final
					 * response other than 401/407 */
	bool failed;
	struct sl_str user;		/* from the latest credentials */
	struct sl_str realm;		/* from the latest challenge */
	const struct sl_msg *last_challenge;	/* NULL: none kept */
};

/* One Call-ID: a dialog set. In a B2BUA call each side is one leg. */
struct sl_leg {
	struct sl_leg *next;		/* in the call, creation order */
	struct sl_call *call;
	char name;			/* 'A', 'B', ... within the call */
	enum sl_leg_kind kind;
	struct sl_str call_id;
	struct sl_str from_user;	/* of the first request */
	struct sl_str to_user;
	struct sl_str ruri;
	struct sl_endpoint uac;		/* sender of the first request */
	struct sl_endpoint uas;		/* its destination */
	int64_t first_ts;
	int64_t last_ts;
	uint32_t n_msgs;
	int32_t first_max_forwards;	/* of the first INVITE; -1 */

	struct sl_auth auth[SL_AUTH_N];	/* by enum sl_auth_req */

	/* INVITE progress, across attempts (auth retries use new CSeqs) */
	uint16_t n_attempts;		/* INVITE transactions */
	int64_t invite_ts;		/* first INVITE */
	int64_t auth_invite_ts;		/* first INVITE with credentials */
	int64_t ring_ts;		/* first 180/183 */
	int64_t answer_ts;		/* first 2xx to INVITE; 0 none */
	uint16_t final_status;		/* last final response to INVITE, but 401/407 */
	uint16_t last_invite_status;	/* last final response to INVITE, 401/407 too */
	struct sl_str final_reason;
	bool cancelled;			/* CANCEL sent */

	/* teardown */
	int64_t bye_ts;			/* first BYE; 0 none */
	enum sl_side bye_by;
	struct sl_str bye_reason;	/* Reason header of the first BYE */
	const struct sl_msg *last_bye;	/* the latest BYE request kept */
	uint16_t bye_status;		/* final response to the last BYE, but
					 * 401/407; 0 none */
	int64_t bye_done_ts;		/* 2xx to BYE */

	/* B2BUA joining */
	struct sl_leg *joined_to;	/* the earlier leg this one continues */
	uint32_t join_ev;		/* enum sl_join_ev bits */
	enum sl_confidence join_conf;
	int64_t join_delay_ns;		/* this INVITE after the parent's last INVITE */
	int32_t join_mf_parent;
	int32_t join_mf_self;
};

/* RTP stream: one SSRC on one flow (src -> dst). Quality figures follow
 * Wireshark's RTP stream analysis (RFC 3550 A.8 jitter, in ms). */
struct sl_stream {
	/* Every packet writes these: they come first, together, so that
	 * with the correlator's own per-packet state just before them they
	 * fill the first two cache lines of a stream (src/correlate). */
	uint32_t ssrc;
	uint32_t clock_rate;		/* Hz; 0 unknown: no jitter */
	struct sl_leg *leg;		/* whose SDP announced it; may be NULL */
	uint64_t packets;
	double jitter_ms;		/* the running estimate after the last packet */
	double max_jitter_ms;
	double mean_jitter_ms;
	double max_delta_ms;
	int64_t first_ts;
	int64_t last_ts;

	struct sl_stream *next;		/* in the call, by first packet */
	struct sl_endpoint src;
	struct sl_endpoint dst;
	uint8_t pt;
	struct sl_str codec;		/* "PCMU", "g711U" style names: see reports */
	uint64_t expected;		/* RFC 3550 A.3 extended range */
	int64_t lost;			/* expected - received; can be < 0 (dups) */
	uint64_t dups;
	uint64_t out_of_order;		/* sequence errors */
	uint64_t pt_changes;
	uint64_t marker;
	uint64_t rtcp_packets;		/* RTCP from this stream's src/ssrc */

	/* media after the hangup of its leg (the seed's tail) */
	uint64_t after_bye_packets;
	int64_t after_bye_first_ts;
	int64_t after_bye_last_ts;
	uint32_t icmp_unreachable;	/* ICMP errors quoting this flow */
	int64_t icmp_first_ts;
	int64_t icmp_last_ts;
};

/* A REGISTER exchange: one registration or unregistration, with any
 * challenge round trip folded in. */
struct sl_reg {
	struct sl_reg *next;
	struct sl_str user;		/* To user */
	struct sl_str contact;
	int64_t expires_req;		/* asked; -1 */
	int64_t expires;		/* granted (200's Contact;expires or Expires); -1 */
	bool unregister;		/* Expires 0 */
	uint16_t challenges;		/* 401/407 in this exchange */
	uint16_t result;		/* final status, 0 pending */
	struct sl_str auth_user;
	int64_t start_ts;
	int64_t end_ts;
	uint32_t n_msgs;
};

enum sl_call_kind { SL_CALL_INVITE = 0, SL_CALL_REGISTER, SL_CALL_OTHER };

enum sl_call_state {
	SL_STATE_SETUP = 0,	/* INVITE sent, no final answer yet */
	SL_STATE_RINGING,
	SL_STATE_ANSWERED,	/* 2xx, no BYE seen */
	SL_STATE_COMPLETED,	/* BYE answered with 2xx */
	SL_STATE_BYE_UNANSWERED,
	SL_STATE_CANCELLED,
	SL_STATE_REJECTED,	/* final >= 300 other than an auth challenge */
	SL_STATE_AUTH_FAILED,	/* leg A's INVITE challenged, never got past it */
	SL_STATE_REGISTERED,	/* REGISTER calls */
	SL_STATE_UNREGISTERED,
	SL_STATE_REG_FAILED,
	SL_STATE_OTHER,		/* non-INVITE dialogs (OPTIONS, MESSAGE...) */
};

/* Derived by sl_call_analyze() once the call is complete. */
struct sl_call_summary {
	enum sl_call_state state;
	uint16_t status;		/* deciding final status */
	enum sl_side hangup_by;
	struct sl_str from_user;	/* caller, leg A From */
	struct sl_str to_user;		/* dialled, leg A To / R-URI user */
	struct sl_str callee_user;	/* last leg's To user when joined */
	struct sl_str reason;		/* Reason header of the BYE, or final reason */
	int64_t setup_ns;		/* first INVITE -> answer; -1 */
	int64_t talk_ns;		/* answer -> first BYE (or last packet); -1 */
	int64_t duration_ns;		/* first -> last packet of the call */

	/* authentication over every leg and request (struct sl_auth) */
	uint16_t invite_challenges;	/* to INVITE; REGISTER calls: to REGISTER */
	uint16_t bye_challenges;
	uint16_t challenges;		/* to any request */
	uint16_t challenge_status;	/* the call's first 401/407; 0 none */
	bool credentials;		/* some request carried credentials */
	bool authorised;		/* some of them was authorised */
	bool auth_failed;		/* some leg's request never got past its challenge */
	bool auth_pending;		/* some challenged request's credentials went unanswered */

	uint64_t rtp_packets;
	int64_t rtp_lost;
	uint64_t after_bye_packets;
	uint32_t icmp_unreachable;
};

/* A fact about the call worth a person's attention, decided once by the
 * analysis so that every consumer tells the same story. The names
 * (sl_finding_name) are stable ids for JSON and scripts. */
enum sl_finding_kind {
	SL_FINDING_AUTH_FAILED = 0,	/* a request was challenged and never got past it */
	SL_FINDING_BYE_UNANSWERED,	/* a leg's BYE got no 2xx */
	SL_FINDING_RETRANSMISSIONS,	/* one message sent SL_FINDING_RETRANS_MIN+ more times */
	SL_FINDING_MEDIA_AFTER_BYE,	/* RTP went on after its leg's BYE */
	SL_FINDING_MEDIA_REFUSED,	/* ICMP port unreachable answered a stream */
};

/* Retransmissions of one message that make a finding: the sender waited
 * 3.5 s (T1 = 500 ms doubling: 0.5 + 1 + 2) without the answer it wanted,
 * which a lossy link alone rarely explains; one or two are routine. */
#define SL_FINDING_RETRANS_MIN 3

struct sl_finding {
	enum sl_finding_kind kind;
	const struct sl_leg *leg;	/* NULL: no leg known */
	/* auth_failed: the last challenge; bye_unanswered: the leg's last
	 * BYE; retransmissions: the first copy. NULL for media or when the
	 * message was not kept (per-call memory cap) */
	const struct sl_msg *msg;
	const struct sl_stream *stream;	/* media findings */
	enum sl_auth_req req;		/* auth_failed */
	uint16_t status;		/* auth_failed: 401/407; bye_unanswered: the
					 * final response, 0 none */
	int64_t first_ts;
	int64_t last_ts;
	/* auth_failed: challenges; bye_unanswered: times the BYE was sent;
	 * retransmissions: copies after the first; media_after_bye:
	 * packets; media_refused: ICMP errors */
	uint64_t count;
	uint64_t icmp;			/* media findings: ICMP port unreachable */
};

struct sl_call {
	uint32_t index;			/* 1-based, in start order */
	enum sl_call_kind kind;
	struct sl_arena arena;

	struct sl_leg *legs;
	unsigned n_legs;
	struct sl_msg *msgs;
	struct sl_msg *msgs_tail;
	uint32_t n_msgs;
	uint32_t msgs_dropped;		/* per-call cap hit: counted, not kept */
	struct sl_stream *streams;
	unsigned n_streams;
	struct sl_reg *regs;
	unsigned n_regs;
	int64_t first_ts;
	int64_t last_ts;
	uint64_t first_frame;

	struct sl_call_summary sum;
	/* in time order (first_ts), ties in kind order; outside the arena,
	 * so the per-call memory cap never costs a finding */
	struct sl_finding *findings;
	unsigned n_findings;
};

/* Static names for JSON and tables ("completed", "high", ...). */
const char *sl_call_state_name(enum sl_call_state s);
const char *sl_confidence_name(enum sl_confidence c);
const char *sl_side_name(enum sl_side s);
const char *sl_finding_name(enum sl_finding_kind k);
/* "invite", "bye", "register", "other" */
const char *sl_auth_req_name(enum sl_auth_req r);
/* Names of the evidence bits, in bit order, NULL-terminated; index i
 * names bit 1 << i. */
extern const char *const sl_join_ev_names[];

/* Which struct sl_auth a request of method m (or a response to one)
 * counts in; SL_AUTH_N for ACK, which has none. */
enum sl_auth_req sl_auth_req_of(enum sl_sip_method m);

/* Fills call->sum and call->findings from legs, messages and streams,
 * replacing what they held. SL_ENOMEM when the findings could not be
 * allocated (then there are none). */
enum sl_err sl_call_analyze(struct sl_call *call);

/* Appends a copy of f to call->findings, as the analysis does; the
 * store's loader and tests build calls with it. SL_OK or SL_ENOMEM. */
enum sl_err sl_call_add_finding(struct sl_call *call, const struct sl_finding *f);

/* Media problems (stream.c). Sequence problems are tshark's "Problems?"
 * mark: loss, sequence errors, duplicates. A stream's problems add media
 * after the BYE and ICMP errors quoting it; a call has media problems
 * when one of its streams has. */
bool sl_stream_seq_problems(const struct sl_stream *s);
bool sl_stream_problems(const struct sl_stream *s);
bool sl_call_media_problems(const struct sl_call *call);

/* Frees the call, everything in its arena and its findings. The call
 * must start a block from malloc/calloc (the correlator's own state may
 * follow it in that block). NULL is fine. */
void sl_call_free(struct sl_call *call);

/* ----- building a call without the correlator (build.c): the store's
 * loader and hand-made test calls ----- */

/* An empty call: no parts, no verdict (setup and talk time -1); its
 * arena holds at most mem_cap bytes (0: no cap). NULL on out of memory.
 * Free with sl_call_free. */
struct sl_call *sl_call_new(enum sl_call_kind kind, uint32_t index, size_t mem_cap);

/* Each appends a zeroed part to its list in the call and counts it
 * (n_legs, n_msgs, n_streams, n_regs); NULL on out of memory (or the
 * arena's cap). The "absent" fields start as the correlator starts them:
 * Max-Forwards, join Max-Forwards and Expires -1. A leg is named 'A',
 * 'B', ... by position; leg->n_msgs is the caller's to set. */
struct sl_leg *sl_call_new_leg(struct sl_call *call);
/* The same for a zeroed leg the caller allocated in the call's arena
 * (the correlator embeds legs in its own bookkeeping). */
void sl_call_add_leg(struct sl_call *call, struct sl_leg *leg);
struct sl_msg *sl_call_new_msg(struct sl_call *call, struct sl_leg *leg);
struct sl_stream *sl_call_new_stream(struct sl_call *call, struct sl_leg *leg);
struct sl_reg *sl_call_new_reg(struct sl_call *call);

#endif
