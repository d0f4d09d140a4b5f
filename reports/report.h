/* report.h: the renderers that turn finished calls into text: ladders
 * (sngrep-like or Wireshark Flow Sequence), JSON Lines, the call table
 * and the RTP stream table. Every function is pure: it reads the model,
 * appends to the caller's buffer and does no I/O. */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "model/model.h"

enum sl_ladder_style {
	SL_LADDER_STYLE_TEXT = 0,	/* sngrep-like, one column per ip:port */
	SL_LADDER_STYLE_WIRESHARK,	/* Flow Sequence export, one column per IP */
};

#define SL_REPORT_WIDTH_DEFAULT 120
#define SL_REPORT_WIDTH_MIN 20	/* narrower requests are widened to this */

struct sl_report_opts {
	int64_t base_ts_ns;	/* time zero: the first packet of the capture */
	unsigned width;		/* text style: columns available; 0 = 120, min 20 */
	bool ascii;		/* text style: only | - > < = for drawing */
	bool delta;		/* ladders: time since the previous row */
	bool rtp;		/* ladders: one row per RTP stream */
	enum sl_ladder_style style;
};

/* Fills o with the defaults: base 0, width 120, UTF-8, absolute times,
 * no RTP rows, text style. */
void sl_report_opts_default(struct sl_report_opts *o /* OUT */);

/* ----- ladders ----- */

/* One call's ladder in opts->style, appended to out; every line ends
 * with '\n' and nothing separates calls (the caller prints a blank line
 * between them). Returns SL_OK, or SL_ENOMEM (buffer cap or allocation):
 * then out has been freed (buf.h). */
enum sl_err sl_report_ladder(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts);

/* The default style: a headline from call->sum, a legend line per leg
 * (Call-ID, roles, authentication story, why a leg was joined), the
 * column header (ip:port and role), one row per message and, with
 * opts->rtp, per stream, then '!' lines (the messages' anomalies, then
 * call->findings). No line is wider than opts->width display columns:
 * gaps shrink to the widest label that fits, labels are cut with '~' only
 * when they cannot fit, long legend and '!' lines wrap, right-side notes
 * are cut. Same error contract as sl_report_ladder. */
enum sl_err sl_report_ladder_text(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts);

/* Wireshark's VoIP "Flow Sequence" text export: one column per IP, two
 * lines per row ("|time |  label |...|comment" and the "(port) ---> (port)"
 * arrow), RTP one row per stream. Labels are never cut: columns widen
 * instead, so opts->width and opts->ascii do not apply (it is ASCII). Same
 * error contract as sl_report_ladder. */
enum sl_err sl_report_ladder_wireshark(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts);

/* ----- JSON Lines (schema: reports/JSON.md) ----- */

/* One line: {"schema":1,"type":"call"|"registration"|"dialog",...}\n with
 * a fixed key order. Times are relative to opts->base_ts_ns. Same error
 * contract as sl_report_ladder. */
enum sl_err sl_report_json_call(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts);

/* A named counter, e.g. a reason packets were skipped. */
struct sl_report_count {
	const char *name;	/* NUL-terminated; escaped on output */
	uint64_t count;
};

/* Totals of a run for the closing summary line. */
struct sl_report_totals {
	uint64_t frames;		/* frames read from the capture */
	uint64_t sip_messages;
	uint64_t rtp_packets;
	uint64_t rtcp_packets;
	uint64_t icmp_packets;		/* ICMP errors read (attributed or not) */
	uint64_t calls;			/* INVITE calls and other dialogs */
	uint64_t registrations;
	const struct sl_report_count *skipped;	/* printed in this order */
	size_t n_skipped;
	uint64_t icmp_unattributed;	/* of icmp_packets: quoting no known flow */
};

/* One line per RTP stream of call (`rtp --json`): {"schema":1,"type":
 * "stream","call":N, then the keys of streams[]}\n. Same error contract. */
enum sl_err sl_report_json_streams(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts);

/* One line: {"schema":1,"type":"summary",...}\n. Same error contract. */
enum sl_err sl_report_json_summary(struct sl_buf *out,
    const struct sl_report_totals *t);

/* ----- tables: rows kept as text as calls arrive, widths at the end ----- */

enum sl_report_table_kind {
	SL_REPORT_TABLE_CALLS = 0,	/* `sipladder calls` */
	SL_REPORT_TABLE_RTP,		/* `sipladder rtp` */
};

/* The `sipladder calls` table: a header and one row per call, in the
 * order added; registrations are marked "R<index>". The `sipladder rtp`
 * table (tshark -z rtp,streams columns, plus the call index): one row per
 * stream of each call, times relative to opts->base_ts_ns. A table keeps
 * only its rows' text, so the call may be freed after the add. */
struct sl_report_table;

/* NULL on out of memory. */
struct sl_report_table *sl_report_table_new(enum sl_report_table_kind kind);
/* SL_OK or SL_ENOMEM (the table then holds nothing, but can be freed). */
enum sl_err sl_report_table_add(struct sl_report_table *t, const struct sl_call *call,
    const struct sl_report_opts *opts);
/* Same error contract as sl_report_ladder. */
enum sl_err sl_report_table_render(struct sl_buf *out, const struct sl_report_table *t);
void sl_report_table_free(struct sl_report_table *t);

/* ----- grids: any rows of text (the database's captures), laid out as
 * the tables above ----- */

struct sl_report_grid;

/* heads and right (n_cols titles, right-aligned columns) must outlive
 * the grid. NULL on out of memory. */
struct sl_report_grid *sl_report_grid_new(size_t n_cols, const char *const *heads,
    const bool *right);
/* One row of n_cols cells (NULL: empty), copied and cleaned for a
 * terminal. SL_OK or SL_ENOMEM (the grid then holds nothing, but can be
 * freed). */
enum sl_err sl_report_grid_row(struct sl_report_grid *g, const char *const *cells);
/* Same error contract as sl_report_ladder. */
enum sl_err sl_report_grid_render(struct sl_buf *out, const struct sl_report_grid *g);
void sl_report_grid_free(struct sl_report_grid *g);

/* A time (ns since 1970) in ISO 8601 UTC with `decimals` digits of the
 * second (at most 9): "2009-06-01T10:00:01.949Z". */
enum sl_err sl_report_utc(struct sl_buf *b, int64_t ns, unsigned decimals);

/* The whole table of n calls at once (tests, fuzzers). */
enum sl_err sl_report_calls_table(struct sl_buf *out,
    const struct sl_call *const *calls, size_t n,
    const struct sl_report_opts *opts);
enum sl_err sl_report_rtp_table(struct sl_buf *out,
    const struct sl_call *const *calls, size_t n,
    const struct sl_report_opts *opts);

#endif
