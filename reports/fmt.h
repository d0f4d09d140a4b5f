/* fmt.h: formatting helpers shared by the report renderers (internal to
 * reports/). Numbers are formatted from integers, never with %f, so the
 * output does not change with the C locale (a TUI may call setlocale).
 * Text from the wire is cleaned before it reaches a terminal. */
#ifndef SL_REPORT_FMT_H
#define SL_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

/* Room for any number these helpers write, NUL included. */
#define SL_FMT_NUM 48	/* "-" + 20 digits + "." + 20: what gcc -O2 proves for %0*llu */

/* scaled / 10^decimals with exactly `decimals` digits after the point
 * ("-1.050" for -1050, 3). decimals at most 9. Returns out. */
char *sl_fmt_fixed(char out[SL_FMT_NUM], int64_t scaled, unsigned decimals);

/* ns as seconds with `decimals` digits (at most 9), rounded half away
 * from zero. Returns out. */
char *sl_fmt_secs(char out[SL_FMT_NUM], int64_t ns, unsigned decimals);

/* v with `decimals` digits (at most 6), rounded. false (and out "") when
 * v is not finite or too large for 64-bit scaling. */
bool sl_fmt_double(char out[SL_FMT_NUM], double v, unsigned decimals);

/* Appends a capture timestamp in UTC: "2009-06-01T10:00:01.949123Z" with
 * date, else "10:00:01.949" with time_only; digits after the point are
 * truncated, as clocks are read. */
enum sl_err sl_fmt_utc(struct sl_buf *b, int64_t ns, bool with_date, unsigned decimals);

/* Display columns of s once cleaned: one per code point, one per byte
 * that is not valid UTF-8. Wide glyphs count 1 (terminals vary). */
size_t sl_fmt_width(struct sl_str s);

/* Appends s cleaned for a terminal (control characters, C1 controls,
 * bidirectional overrides and invalid UTF-8 each become '?'), at most
 * `cols` display columns: if s is wider it is cut to cols - 1 columns and
 * '~' marks the cut. SIZE_MAX means no limit. */
enum sl_err sl_fmt_put(struct sl_buf *b, struct sl_str s, size_t cols);

/* Wireshark's name for a codec ("g711U" for PCMU); SDP names it does not
 * map are returned as they are, a missing name comes from the static
 * payload type. tmp holds the text when it is built; the result is valid
 * as long as codec and tmp are. */
struct sl_str sl_fmt_ws_codec(struct sl_str codec, uint8_t pt, char tmp[SL_FMT_NUM]);

/* Length in bytes of the UTF-8 sequence at p (1..4), for text that went
 * through sl_fmt_put already. */
size_t sl_fmt_cplen(const char *p, size_t n);

#endif
