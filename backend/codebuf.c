/* The code buffer: a memfd mapped twice (RW and RX views), see codebuf.h. */
#define _GNU_SOURCE
#include "codebuf.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int codebuf_init(struct code_buf *cb, size_t size)
{
    memset(cb, 0, sizeof(*cb));
    cb->fd = -1;
    long page = sysconf(_SC_PAGESIZE);
    size = (size + (size_t)page - 1) & ~((size_t)page - 1);
    if (size == 0)
        return -EINVAL;
    int fd = memfd_create("ferry-code", MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) < 0)
        goto fail;
    void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED)
        goto fail;
    void *rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rx == MAP_FAILED) {
        int e = errno;
        munmap(rw, size);
        close(fd);
        return -e;
    }
    cb->rw = rw;
    cb->rx = rx;
    cb->size = size;
    cb->fd = fd;
    return 0;
fail:;
    int e = errno;
    close(fd);
    return -e;
}

void codebuf_fini(struct code_buf *cb)
{
    if (cb->rw)
        munmap(cb->rw, cb->size);
    if (cb->rx)
        munmap((void *)cb->rx, cb->size);
    if (cb->fd >= 0)
        close(cb->fd);
    memset(cb, 0, sizeof(*cb));
    cb->fd = -1;
}

void codebuf_reset(struct code_buf *cb) { cb->used = cb->reserved; }
