// sched_getaffinity and CPU_COUNT need _GNU_SOURCE, which must not leak into the Swift-visible header
// (it would change fd_set and clash with Glibc's module).
#define _GNU_SOURCE 1
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CSystem.h"

int csystem_affinity_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) { return 0; }
    return CPU_COUNT(&set);
}

int csystem_accept_nonblocking(int fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int csystem_thread_id(void) {
    return (int)syscall(SYS_gettid);
}
