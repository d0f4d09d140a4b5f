/* cli.h: what the command line asked for, and the run that serves it. */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/pipeline.h"
#include "reports/report.h"

#define SL_CLI_MAX_FILES 256
#define SL_CLI_MAX_FILES_STR "256"
#define SL_CLI_MAX_PORTS 64
#define SL_CLI_MAX_SELS 64
#define SL_CLI_MAX_IFACES 16

enum sl_exit {
	SL_EXIT_OK = 0,
	SL_EXIT_FAIL = 1,	/* run failed, or --call matched nothing */
	SL_EXIT_USAGE = 2,
	SL_EXIT_INPUT = 3,	/* a capture could not be opened (the others
				 * are still analysed), or an interface */
};

enum sl_cmd { SL_CMD_LADDER = 0, SL_CMD_CALLS, SL_CMD_RTP, SL_CMD_CAPTURE };

struct sl_cli {
	enum sl_cmd cmd;
	bool json;
	bool quiet;
	/* --call, repeatable, each a comma-separated list: call index,
	 * R<n> registration, or Call-ID of any leg; none: all calls */
	struct sl_str sel[SL_CLI_MAX_SELS];
	bool sel_hit[SL_CLI_MAX_SELS];	/* matched at least one call */
	size_t n_sel;
	const char *files[SL_CLI_MAX_FILES];
	size_t n_files;
	uint16_t rtp_ports[SL_CLI_MAX_PORTS];
	size_t n_rtp_ports;
	struct sl_run_opts run;
	struct sl_report_opts rep;
	/* capture */
	const char *ifaces[SL_CLI_MAX_IFACES];	/* none: "any" */
	size_t n_ifaces;
	const char *filter;		/* NULL: SL_LIVE_FILTER */
	int snaplen;
	bool promisc;
	const char *write;		/* -w FILE */
	uint32_t duration_s;		/* 0: until a signal */
	uint32_t count;			/* packets; 0: no limit */
};

/* Runs the command; returns the exit code. */
int sl_cli_run(struct sl_cli *cli);

/* cli_capture.c: opens the interfaces (-1, or the exit code with the
 * reason printed), and runs the engine on them until a signal, the
 * duration or the count; then finishes the engine. */
int sl_cli_capture_open(struct sl_cli *cli, struct sl_input **in /* OUT */);
enum sl_err sl_cli_capture_run(struct sl_cli *cli, struct sl_input *in,
    struct sl_engine *eng);

#endif
