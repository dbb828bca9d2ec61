/* Debug logging: the -d items (util/log.def) and the -D log file. */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_item {
#define LOG_ITEM(name, desc) LOG_##name,
#include "log.def"
#undef LOG_ITEM
    LOG_ITEM_COUNT
};

struct log_item_info {
    const char *name;
    const char *desc;
};
extern const struct log_item_info log_items[LOG_ITEM_COUNT];

extern unsigned log_mask; /* bit i = LOG item i enabled */
extern FILE *log_file;    /* NULL means stderr */

static inline bool log_enabled(enum log_item i) { return (log_mask >> i) & 1; }
static inline FILE *log_out(void) { return log_file ? log_file : stderr; }

/* Parse "in_asm,ir,out_asm" (or "help").  Returns 0, or -1 with a message
 * naming the unknown item written to err. */
int log_parse(const char *list, unsigned *mask, char *err, size_t errlen);
/* Open the -D file; returns 0 or -errno. */
int log_set_file(const char *path);

#endif
