/* benchrun.c: runs one command and reports what it cost, for bench.sh.
 *
 *   benchrun OUT COMMAND [ARG...]
 *
 * Runs COMMAND with stdout to OUT and stderr to OUT.err, reaps it with
 * wait4 and prints one line:
 *
 *   wall=<s> user=<s> sys=<s> maxrss_kb=<KiB> rc=<status>
 *
 * wall is CLOCK_MONOTONIC from fork to reap; user, sys and maxrss are the
 * child's own rusage, so other load on the machine is not in them. The
 * kernel carries a process's peak RSS across exec, so the child starts as
 * a fork of this small program rather than of a shell or an interpreter,
 * whose size would otherwise be the floor of every figure. rc is the exit
 * code, 128+N when killed by signal N, 127 when COMMAND could not be run.
 * Exit 0 once the line is printed, 2 on usage or when OUT cannot be made. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: benchrun OUT COMMAND [ARG...]\n");
		return 2;
	}
	size_t n = strlen(argv[1]);
	char *err_path = malloc(n + 5);
	if (err_path == NULL)
		return 2;
	memcpy(err_path, argv[1], n);
	memcpy(err_path + n, ".err", 5);
	int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || err < 0) {
		perror("benchrun: output");
		return 2;
	}
	fflush(stdout);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("benchrun: fork");
		return 2;
	}
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	close(out);
	close(err);
	int status;
	struct rusage ru;
	pid_t r;
	do
		r = wait4(pid, &status, 0, &ru);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		perror("benchrun: wait4");
		return 2;
	}
	double wall = now() - t0;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) :
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
	printf("wall=%.3f user=%.3f sys=%.3f maxrss_kb=%ld rc=%d\n", wall,
	    secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_maxrss, rc);
	free(err_path);
	return 0;
}
