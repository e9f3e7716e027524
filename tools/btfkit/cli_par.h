/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CLI's parallel runner (cli_par.c) for commands that work on many
 * files (module trees): N worker threads take items in turn, and their
 * results are handed back to the calling thread strictly in item order, so
 * the output is the same whatever the number of threads. A progress bar on
 * stderr (done/total, rate, ETA) when asked for and stderr is a terminal;
 * Ctrl-C (SIGINT, also SIGTERM, SIGHUP) stops the run promptly.
 */
#ifndef BTFKIT_CLI_PAR_H
#define BTFKIT_CLI_PAR_H

#include <stdbool.h>
#include <stddef.h>

struct cli_par {
	size_t n;          /* items 0..n-1 */
	unsigned jobs;     /* worker threads; 0: one per online CPU */
	/*
	 * In a worker thread: do item i, return its result (any pointer,
	 * NULL included). Must be safe to run concurrently with itself.
	 */
	void *(*work)(void *ctx, size_t i);
	/* In the calling thread, in item order: consume (and free) the result. */
	void (*emit)(void *ctx, size_t i, void *result);
	/* In the calling thread: free a result never emitted (after a stop). */
	void (*drop)(void *ctx, size_t i, void *result);
	void *ctx;
	bool progress;     /* show the progress bar when stderr is a terminal */
	const char *what;  /* what the items are, for the bar ("modules") */
};

/*
 * Run every item. Returns 0, or -EINTR when a signal stopped the run (the
 * items emitted so far were emitted in order; the caller removes partial
 * output and exits 130), or -errno when threads could not be started.
 */
int cli_par_run(const struct cli_par *p);

/* Parse a -j argument: a count from 1 to 1024; 0 on success, -1 if bad. */
int cli_parse_jobs(const char *s, unsigned *jobs);

/* Set when a SIGINT/SIGTERM/SIGHUP arrived during cli_par_run. */
extern volatile int cli_par_stopped;

#endif
