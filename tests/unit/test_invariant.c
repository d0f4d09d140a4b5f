/* test_invariant.c: SL_ALWAYS/SL_NEVER (core/err.h) pass true invariants
 * through in every build, and a broken one stops a debug build at once
 * (SIGABRT, with the place on stderr) while a release build (NDEBUG)
 * takes the graceful path. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

/* Status of a child that evaluates a broken SL_NEVER. */
static int
broken_never(void)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* stderr off: the expected report is noise here */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		volatile int bad = 1;
		_exit(SL_NEVER(bad) ? 2 : 0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

int
main(void)
{
	volatile int yes = 1, no = 0;

	SL_CHECK(&ts, SL_ALWAYS(yes) == 1);
	SL_CHECK(&ts, SL_NEVER(no) == 0);
	int st = broken_never();
#ifdef NDEBUG
	SL_CHECK_MSG(&ts, WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %d", st);
#else
	SL_CHECK_MSG(&ts, WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "status %d", st);
#endif
	return sl_test_report(&ts, "test_invariant");
}
