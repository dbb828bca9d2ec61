/* Debug logging: the -d items and the -D log file. */
#include "log.h"

#include <errno.h>
#include <string.h>

const struct log_item_info log_items[LOG_ITEM_COUNT] = {
#define LOG_ITEM(name, desc) {#name, desc},
#include "log.def"
#undef LOG_ITEM
};

unsigned log_mask;
FILE *log_file;

int log_parse(const char *list, unsigned *mask, char *err, size_t errlen)
{
    unsigned m = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        int found = -1;
        for (int i = 0; i < LOG_ITEM_COUNT; i++)
            if (strlen(log_items[i].name) == n && strncmp(p, log_items[i].name, n) == 0)
                found = i;
        if (found < 0) {
            snprintf(err, errlen, "unknown log item '%.*s' (try -d help)", (int)n, p);
            return -1;
        }
        m |= 1u << found;
        p += n;
        if (*p == ',')
            p++;
    }
    *mask = m;
    return 0;
}

int log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    if (log_file)
        fclose(log_file);
    setvbuf(f, NULL, _IOLBF, 0);
    log_file = f;
    return 0;
}
