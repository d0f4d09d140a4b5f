/* ladder.h: the ladder layout of one call, independent of any drawing:
 * columns (endpoints), rows (messages and RTP streams, in time order),
 * labels, right-side notes and '!' notes. Text renderers and the TUI
 * both draw from it; nothing here knows about widths or glyphs. */
#ifndef SL_LADDER_H
#define SL_LADDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "model/model.h"

enum sl_ladder_role {
	SL_ROLE_NONE = 0,
	SL_ROLE_CALLER,		/* the first leg's UAC */
	SL_ROLE_SERVER,		/* receives an initial INVITE and sends one on */
	SL_ROLE_CALLEE,		/* the last leg's UAS */
	SL_ROLE_CLIENT,		/* REGISTER sender */
	SL_ROLE_REGISTRAR,
	SL_ROLE_UAC,		/* other dialogs (OPTIONS, MESSAGE...) */
	SL_ROLE_UAS,
	SL_ROLE_MEDIA,		/* RTP endpoint on a host no SIP column has */
};

/* "caller", "server", ...; "" for SL_ROLE_NONE. */
const char *sl_ladder_role_name(enum sl_ladder_role r);

struct sl_ladder_col {
	struct sl_endpoint ep;		/* media columns: the first RTP endpoint seen */
	enum sl_ladder_role role;
	struct sl_str user;		/* cleaned; may be empty */
	struct sl_str addr;		/* "192.168.1.50:5060" */
	struct sl_str title;		/* "caller u1", "server", "" */
};

enum sl_ladder_kind { SL_LADDER_SIP = 0, SL_LADDER_RTP };

struct sl_ladder_row {
	enum sl_ladder_kind kind;
	int64_t ts_ns;			/* message time or the stream's first packet */
	unsigned from;			/* column index; from == to: self-message */
	unsigned to;
	char leg;			/* 'A', ...; 0 when unknown */
	bool retrans;
	struct sl_str label;		/* cleaned; "INVITE (SDP)", "RTP PCMU 280 pkts 5.59 s" */
	struct sl_str note;		/* cleaned, without the leg letter; may be empty */
	const char *const *anomalies;	/* the message's, static names */
	unsigned n_anomalies;
	const struct sl_msg *msg;	/* SIP rows */
	const struct sl_stream *stream;	/* RTP rows */
};

struct sl_ladder {
	const struct sl_call *call;
	struct sl_ladder_col *cols;
	unsigned n_cols;
	struct sl_ladder_row *rows;
	size_t n_rows;
	struct sl_str *notes;		/* '!' lines: anomalies, then findings; cleaned, no '!' */
	size_t n_notes;
};

/* Lays out call into *l. Columns are SIP endpoints (ip:port) in order of
 * first appearance (source before destination); with_rtp adds one row
 * per stream, between the columns that announced the stream's addresses
 * in SDP, else the first column on the same IP, else a media column
 * added at the right. Rows are in time order (messages in capture order,
 * a stream after the messages of its first packet's time).
 *
 * Everything *l points to is allocated from arena, or borrowed from call
 * (messages, streams, anomaly names): valid while both live. Returns
 * SL_OK, or SL_ENOMEM when the arena cannot allocate (then *l is
 * unusable; reset or free the arena). */
enum sl_err sl_ladder_build(struct sl_ladder *l /* OUT */, const struct sl_call *call,
    bool with_rtp, struct sl_arena *arena);

/* The role word of column c for notes ("server"), or its address when
 * the role is unknown or a media column. */
struct sl_str sl_ladder_col_name(const struct sl_ladder *l, unsigned c);

#endif
