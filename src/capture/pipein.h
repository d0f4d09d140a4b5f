/* pipein.h: a capture arriving on a pipe, FIFO, socket or terminal (not
 * a regular file), read without ever blocking the analysis loop (internal
 * to src/capture).
 *
 * The readers (libpcap for classic pcap, ours for pcapng) read a FILE and
 * block until the bytes they ask for arrive. So the bytes are first read
 * into a buffer whenever poll says the descriptor is readable, and a
 * framer follows the format's record lengths as they arrive: the input
 * calls a reader only when a whole frame is buffered, and the reader's
 * FILE (fopencookie) is served from the buffer. Should a reader ever want
 * more than is buffered (a frame the framer did not foresee), the FILE
 * falls back to a blocking read: correct, merely not prompt. */
#ifndef SL_PIPEIN_H
#define SL_PIPEIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sl_pipein;

/* NULL on out of memory. close_fd: the descriptor is closed with it. */
struct sl_pipein *sl_pipein_new(int fd, bool close_fd);
/* Only before sl_pipein_fopen; afterwards fclose frees it. */
void sl_pipein_free(struct sl_pipein *p);

int sl_pipein_fd(const struct sl_pipein *p);

/* Reads what the descriptor has now, without blocking (bounded). */
void sl_pipein_pump(struct sl_pipein *p);

/* The descriptor reached end of file or failed, or the framer met bytes
 * that are not a capture: a reader may go ahead and read to the end. */
bool sl_pipein_ended(const struct sl_pipein *p);
/* The file header is buffered: the reader can be opened. */
bool sl_pipein_header_ready(const struct sl_pipein *p);
/* The first four bytes (the magic), once header_ready. */
uint32_t sl_pipein_magic(const struct sl_pipein *p);
/* Packet records wholly buffered since the start. */
uint64_t sl_pipein_frames(const struct sl_pipein *p);

/* A FILE reading the stream from its first byte; owns p from now on
 * (fclose frees it). NULL on out of memory (p is freed). */
FILE *sl_pipein_fopen(struct sl_pipein *p);

#endif
