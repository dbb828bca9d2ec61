/* The code buffer: one memfd mapped twice, a writable view (rw) and an
 * executable view (rx) of the same bytes, so no page of the process is ever
 * writable and executable at once.  Backends write through rw and run rx. */
#ifndef FERRY_CODEBUF_H
#define FERRY_CODEBUF_H

#include <stddef.h>
#include <stdint.h>

struct code_buf {
    uint8_t *rw;       /* writable view */
    const uint8_t *rx; /* executable view */
    size_t size;
    size_t used;       /* bytes handed out so far */
    size_t reserved;   /* bytes at the start kept across flushes (prologue) */
    int fd;
};

/* size is rounded up to pages.  Returns 0, or -errno with nothing allocated. */
int codebuf_init(struct code_buf *cb, size_t size);
void codebuf_fini(struct code_buf *cb);
/* Forget every block: used = reserved. */
void codebuf_reset(struct code_buf *cb);
static inline uint8_t *codebuf_rw_of(const struct code_buf *cb, const uint8_t *rx)
{
    return cb->rw + (rx - cb->rx);
}
static inline size_t codebuf_free(const struct code_buf *cb) { return cb->size - cb->used; }

#endif
