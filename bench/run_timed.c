/*
 * run_timed: runs one command and prints its wall time and peak memory.
 *
 * Usage: run_timed COMMAND [ARG...]
 *
 * Prints one line, "MILLISECONDS MAX_RSS_KIB", to stdout, and exits with the
 * command's exit status (128 + signal number if a signal ended it). The
 * command's own stdout and stderr go to /dev/null. The time covers fork,
 * exec, the whole run and the final wait, measured with CLOCK_MONOTONIC; the
 * peak resident set size comes from wait4's rusage for that one child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double elapsed_ms(const struct timespec *start, const struct timespec *end)
{
    return (double)(end->tv_sec - start->tv_sec) * 1e3 +
           (double)(end->tv_nsec - start->tv_nsec) / 1e6;
}

static void redirect_to_null(void)
{
    int null_fd = open("/dev/null", O_WRONLY);

    if (null_fd < 0)
        _exit(126);
    if (dup2(null_fd, STDOUT_FILENO) < 0 || dup2(null_fd, STDERR_FILENO) < 0)
        _exit(126);
    close(null_fd);
}

int main(int argc, char **argv)
{
    struct timespec start, end;
    struct rusage usage;
    int status;
    pid_t child;

    if (argc < 2) {
        fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &start);
    child = fork();
    if (child < 0) {
        fprintf(stderr, "run_timed: fork failed: %s\n", strerror(errno));
        return 2;
    }
    if (child == 0) {
        redirect_to_null();
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "run_timed: wait4 failed: %s\n", strerror(errno));
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);

    printf("%.3f %ld\n", elapsed_ms(&start, &end), usage.ru_maxrss);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
