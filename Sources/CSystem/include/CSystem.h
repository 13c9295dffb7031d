// Linux system headers and calls that Swift's Glibc module map does not expose (epoll, eventfd, accept4, CPU affinity, gettid).
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Number of CPUs this process may run on (respects taskset), or 0 when unknown.
int csystem_affinity_cpu_count(void);

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); glibc only declares it with _GNU_SOURCE.
int csystem_accept_nonblocking(int fd);

/// The calling thread's kernel id (gettid), for scheduling calls aimed at one thread.
int csystem_thread_id(void);

#endif
