/* export.h: one pcap with every frame of chosen calls, in capture order:
 * their SIP messages, RTP, RTCP and the ICMP errors quoting their media
 * (pcapsipdump and voipmonitor style), several calls into one file.
 *
 * Two passes over the same captures. A call knows its SIP messages'
 * frame numbers and its streams' flows, not their bytes, and it is
 * complete only when the engine emits it, after its frames went by:
 *  1. an engine run, whose sink gives each chosen call to
 *     sl_export_plan_add: it keeps the frame numbers of the call's SIP
 *     messages (struct sl_msg.frame, the engine's count over the merged
 *     input) and, per RTP stream, its flow, when it was seen and when
 *     ICMP errors quoted it;
 *  2. sl_export_run, which reads the same captures again in the same
 *     merged order, decodes each frame as the engine did
 *     (engine/framedec.h: same numbers, same reassembly, same --dedup)
 *     and writes the frames that belong to the plan:
 *     - a SIP message's frame, with the earlier fragments of its
 *       datagram (they are held back until the datagram is decided, so
 *       the output stays in capture order);
 *     - UDP on a stream's flow within the stream's first and last packet
 *       widened by SL_EXPORT_MEDIA_SLACK_NS;
 *     - RTCP: UDP between the ports one above a stream's (RFC 3550 11, as
 *       the correlator pairs them), either way, within the stream's time
 *       widened by SL_EXPORT_RTCP_SLACK_NS;
 *     - an ICMP error quoting a stream's flow, within the time ICMP was
 *       seen quoting it widened by the media slack, or quoting its RTCP
 *       flows within RTCP's window.
 * Frames keep their bytes and capture times (nanosecond pcap). A pcap
 * file has one link type: when the frames written have several, the
 * export is done again (a third read) writing each frame from its
 * network header as raw IP, and the result says so.
 *
 * Per-call pcaps of a live capture (later): one plan per finished call,
 * run over the ring-buffer files that hold its frames, with first_frame
 * the engine's number of their first frame. */
#ifndef SL_EXPORT_H
#define SL_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "engine/engine.h"
#include "model/model.h"

/* Media packets of a stream's flow just outside its first and last
 * packet: reordering within a file, and packets before the SDP that
 * announced the flow was seen (not attributed by the engine, but the
 * call's all the same). Far below any port reuse by another call. */
#define SL_EXPORT_MEDIA_SLACK_NS (1000LL * 1000000LL)
/* RTCP reports come at least 5 s apart (RFC 3550 6.2), so a call's last
 * report or BYE may follow its last RTP packet by that much. */
#define SL_EXPORT_RTCP_SLACK_NS (5000LL * 1000000LL)

struct sl_export_plan;

/* NULL on out of memory. */
struct sl_export_plan *sl_export_plan_new(void);
void sl_export_plan_free(struct sl_export_plan *p);

/* Adds what identifies call's frames; call is only borrowed (an engine
 * sink's call()). SL_OK or SL_ENOMEM (the plan is then unchanged). */
enum sl_err sl_export_plan_add(struct sl_export_plan *p, const struct sl_call *call);

/* Calls added; SIP messages of theirs that the per-call memory cap kept
 * out of the model, so that their frames are unknown and not written. */
size_t sl_export_plan_calls(const struct sl_export_plan *p);
uint64_t sl_export_plan_unknown_msgs(const struct sl_export_plan *p);

struct sl_export_opts {
	/* pass 1's options: the reassembly, --dedup and --rtp-port it ran
	 * with decide the frames and their numbers */
	const struct sl_run_opts *run;
	uint64_t first_frame;	/* pass 1's number of the captures' first frame; 0: 1 */
	/* pass 1's frame count, 0 unknown: another count means the captures
	 * changed between the passes (SL_EIO) */
	uint64_t frames;
};

struct sl_export_result {
	uint64_t frames_read;
	uint64_t frames_written;
	bool raw_ip;		/* several link types: written as raw IP */
};

/* Pass 2: reads paths (the list pass 1 read, in its order; captures it
 * could not open are skipped as then), and writes the plan's frames to
 * out (created or truncated; removed again on failure). SL_EUSAGE when
 * out is one of the captures or a capture is a pipe (read once only),
 * SL_EIO when a capture cannot be read again or out cannot be written or
 * the captures changed, SL_ENOMEM; the reason in errbuf. */
enum sl_err sl_export_run(struct sl_export_plan *p, const struct sl_export_opts *o,
    const char *const *paths, size_t n, const char *out, struct sl_export_result *res /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);

#endif
