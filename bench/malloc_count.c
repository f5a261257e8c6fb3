/* bench/malloc_count.c — counts heap allocations of a process, for bench/allocations.
 * Loaded with LD_PRELOAD; wraps malloc, calloc, realloc and posix_memalign and, on SIGUSR1, writes
 * "allocations=N bytes=B" to the file named by MALLOC_COUNT_FILE. Not part of the app. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong count, bytes;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_memalign)(void **, size_t, size_t);
/* dlsym itself may call calloc before real_calloc is known: serve it from a static buffer. */
static char early[4096];
static size_t early_used;

static void report(int sig) {
    (void)sig;
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path) return;
    char line[128];
    int n = snprintf(line, sizeof line, "allocations=%lu bytes=%lu\n", atomic_load(&count), atomic_load(&bytes));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { (void)!write(fd, line, n); close(fd); }
}

__attribute__((constructor)) static void start(void) {
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    signal(SIGUSR1, report);
}

void *malloc(size_t size) {
    if (!real_malloc) start();
    atomic_fetch_add(&count, 1); atomic_fetch_add(&bytes, size);
    return real_malloc(size);
}

void *calloc(size_t n, size_t size) {
    if (!real_calloc) {
        void *p = early + early_used; early_used += (n * size + 15) & ~(size_t)15;
        return early_used <= sizeof early ? memset(p, 0, n * size) : NULL;
    }
    atomic_fetch_add(&count, 1); atomic_fetch_add(&bytes, n * size);
    return real_calloc(n, size);
}

void *realloc(void *p, size_t size) {
    if (!real_realloc) start();
    atomic_fetch_add(&count, 1); atomic_fetch_add(&bytes, size);
    return real_realloc(p, size);
}

int posix_memalign(void **p, size_t align, size_t size) {
    if (!real_memalign) start();
    atomic_fetch_add(&count, 1); atomic_fetch_add(&bytes, size);
    return real_memalign(p, align, size);
}

void free(void *p) {
    static void (*real_free)(void *);
    if ((char *)p >= early && (char *)p < early + sizeof early) return;
    if (!real_free) real_free = dlsym(RTLD_NEXT, "free");
    real_free(p);
}
