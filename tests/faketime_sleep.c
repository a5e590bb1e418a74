/* Loaded before libfaketime for the served processes of a shifted-clock test run (tests/clock.py).
 *
 * libfaketime 0.9.10 (Debian 12) with FAKETIME_DONT_FAKE_MONOTONIC=1 still shifts the deadline of
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ...), which Python >= 3.11 uses for time.sleep():
 * every sleep fails with EINVAL. Faking the monotonic clock instead hangs Python's timed lock waits
 * (sem_clockwait is not intercepted). So the monotonic clock stays real, and sleeps on it go straight
 * to the kernel; every other clock goes on to libfaketime. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem) {
    static int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
    if (id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME) {
        return syscall(SYS_clock_nanosleep, id, flags, req, rem) == 0 ? 0 : errno;
    }
    if (next == NULL) {
        next = (int (*)(clockid_t, int, const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "clock_nanosleep");
    }
    return next(id, flags, req, rem);
}
