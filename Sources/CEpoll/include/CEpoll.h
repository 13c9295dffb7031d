// Linux system headers that Swift's Glibc module map does not expose.
#ifndef CEPOLL_H
#define CEPOLL_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Number of CPUs this process may run on (respects taskset), or 0 when unknown.
int cepoll_affinity_cpu_count(void);

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); glibc only declares it with _GNU_SOURCE.
int cepoll_accept_nonblocking(int fd);

/// The calling thread's kernel id (gettid), for scheduling calls aimed at one thread.
int cepoll_thread_id(void);

#endif
