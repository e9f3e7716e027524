// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The parallel runner (see cli_par.h).
 *
 * Workers take the next item index under a mutex and store each result in
 * its slot; the calling thread emits slot after slot in index order as they
 * fill, so output order never depends on the number of threads or on
 * timing. Workers stay at most WINDOW items per thread ahead of the last
 * emitted one, which bounds the results held in memory. A worker wakes the
 * calling thread only when half a window of results is waiting (or the last
 * item is done): a wake-up per item cost two futex calls and two context
 * switches per module, more than reading the module (measured in
 * docs/design.md); the emitting thread otherwise sleeps, so on 2 CPUs the
 * workers have them to themselves. Signals are blocked
 * in the workers; the calling thread's handler only sets a flag, which it
 * checks at least every TICK_MS while it waits: then no new item starts,
 * items in progress finish (or see the flag), and the run returns -EINTR.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_par.h"

#define WINDOW 64
#define TICK_MS 100
#define MAX_JOBS 1024

volatile int cli_par_stopped;

struct state {
	const struct cli_par *p;
	pthread_mutex_t mu;
	pthread_cond_t done_cv;  /* an item finished */
	pthread_cond_t room_cv;  /* the window moved, or stop */
	size_t next, emitted, finished, window;
	void **res;
	bool *ready;
	bool stop;
};

static void on_signal(int sig)
{
	(void)sig;
	cli_par_stopped = 1;
}

int cli_parse_jobs(const char *s, unsigned *jobs)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > MAX_JOBS)
		return -1;
	*jobs = (unsigned)v;
	return 0;
}

static void *worker(void *arg)
{
	struct state *st = arg;
	const struct cli_par *p = st->p;

	pthread_mutex_lock(&st->mu);
	for (;;) {
		size_t i;
		void *r;

		while (!st->stop && st->next < p->n && st->next >= st->emitted + st->window)
			pthread_cond_wait(&st->room_cv, &st->mu);
		if (st->stop || st->next >= p->n)
			break;
		i = st->next++;
		pthread_mutex_unlock(&st->mu);
		r = p->work(p->ctx, i);
		pthread_mutex_lock(&st->mu);
		st->res[i] = r;
		st->ready[i] = true;
		st->finished++;
		/* wake the driver for a batch, not for every item (see the top) */
		if (st->finished - st->emitted >= st->window / 2 || st->finished == p->n)
			pthread_cond_signal(&st->done_cv);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "\r  1234/4022 modules  512.3/s  ETA 0:05" (erasing the rest of the line). */
static void draw(const struct cli_par *p, size_t done, double t0)
{
	double el = now_s() - t0, rate = el > 0 ? (double)done / el : 0;
	long eta = rate > 0 ? (long)((double)(p->n - done) / rate + 0.5) : -1;
	int pct = p->n ? (int)(100 * done / p->n) : 100;

	fprintf(stderr, "\r%3d%% %zu/%zu %s  %.1f/s", pct, done, p->n, p->what ? p->what : "items", rate);
	if (eta >= 0)
		fprintf(stderr, "  ETA %ld:%02ld", eta / 60, eta % 60);
	fputs("\033[K", stderr);
	fflush(stderr);
}

/* Emit ready items in order, wait for the next; stop on a signal. */
static void drive(struct state *st, bool bar)
{
	const struct cli_par *p = st->p;
	double t0 = now_s(), last = 0;

	pthread_mutex_lock(&st->mu);
	while (st->emitted < p->n) {
		struct timespec until;

		if (st->ready[st->emitted]) {
			size_t i = st->emitted;
			void *r = st->res[i];

			st->res[i] = NULL;
			st->ready[i] = false;
			pthread_mutex_unlock(&st->mu);
			p->emit(p->ctx, i, r);
			pthread_mutex_lock(&st->mu);
			st->emitted++;
			pthread_cond_broadcast(&st->room_cv);
			continue;
		}
		if (cli_par_stopped)
			break;
		if (bar && now_s() - last >= TICK_MS / 1000.0) {
			size_t done = st->finished;

			pthread_mutex_unlock(&st->mu);
			draw(p, done, t0);
			last = now_s();
			pthread_mutex_lock(&st->mu);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&st->done_cv, &st->mu, &until);
	}
	st->stop = true;
	pthread_cond_broadcast(&st->room_cv);
	pthread_mutex_unlock(&st->mu);
	if (bar) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

int cli_par_run(const struct cli_par *p)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	struct state st = { .p = p };
	sigset_t block, prev;
	pthread_t *tids;
	unsigned jobs = p->jobs;
	size_t started = 0;
	int err = 0;

	if (!jobs) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = c > 0 ? (unsigned)(c < MAX_JOBS ? c : MAX_JOBS) : 1;
	}
	if (jobs > p->n)
		jobs = p->n ? (unsigned)p->n : 1;
	st.window = (size_t)WINDOW * jobs;
	st.res = calloc(p->n ? p->n : 1, sizeof(*st.res));
	st.ready = calloc(p->n ? p->n : 1, sizeof(*st.ready));
	tids = calloc(jobs, sizeof(*tids));
	if (!st.res || !st.ready || !tids) {
		err = -ENOMEM;
		goto out;
	}
	pthread_mutex_init(&st.mu, NULL);
	pthread_cond_init(&st.done_cv, NULL);
	pthread_cond_init(&st.room_cv, NULL);

	cli_par_stopped = 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	/* workers start with the signals blocked: only this thread takes them */
	sigemptyset(&block);
	for (int i = 0; i < 3; i++)
		sigaddset(&block, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &block, &prev);
	for (; started < jobs; started++) {
		if ((err = -pthread_create(&tids[started], NULL, worker, &st)))
			break;
	}
	pthread_sigmask(SIG_SETMASK, &prev, NULL);
	if (!started) {
		err = err ? err : -EAGAIN;
	} else {
		err = 0;
		drive(&st, p->progress && isatty(STDERR_FILENO));
	}
	pthread_mutex_lock(&st.mu);
	st.stop = true;
	pthread_cond_broadcast(&st.room_cv);
	pthread_mutex_unlock(&st.mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	for (size_t i = 0; i < p->n; i++)
		if (st.ready[i] && p->drop)
			p->drop(p->ctx, i, st.res[i]);
	if (!err && cli_par_stopped && st.emitted < p->n)
		err = -EINTR;
	pthread_cond_destroy(&st.room_cv);
	pthread_cond_destroy(&st.done_cv);
	pthread_mutex_destroy(&st.mu);
out:
	free(tids);
	free(st.res);
	free(st.ready);
	return err;
}
