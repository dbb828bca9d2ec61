/* A tiny JSON checker for the ferry bench tests: reads one JSON document from
 * stdin, fails (exit 1, with the position) unless it is valid JSON, then checks
 * each argument against it:
 *   PATH=VALUE   the scalar at PATH prints as VALUE (strings without quotes)
 *   PATH#=N      the array or object at PATH has N members
 *   PATH?        PATH exists
 * PATH is dot separated: object keys and array indices ("engines.0.name"). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    char type;      /* o a s n t f z (null) */
    char *key;      /* member name inside an object */
    char *text;     /* scalar as text (strings unescaped) */
    struct node *kid, *next;
    unsigned nkids;
};

static const char *src, *pos;
static char *text;         /* globals: reachable at exit (LeakSanitizer) */
static struct node *root;

static void fail(const char *what)
{
    fprintf(stderr, "json_check: invalid JSON at byte %ld: %s\n", (long)(pos - src), what);
    exit(1);
}

static void ws(void)
{
    while (*pos && isspace((unsigned char)*pos))
        pos++;
}

static char *parse_string(void)
{
    if (*pos != '"')
        fail("expected a string");
    pos++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    for (;;) {
        char c = *pos++;
        if (!c || (unsigned char)c < 32)
            fail("unterminated string or control character");
        if (c == '"')
            break;
        if (c == '\\') {
            c = *pos++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (!isxdigit((unsigned char)*pos++))
                        fail("bad \\u escape");
                c = '?';
            } else if (c == 'n') {
                c = '\n';
            } else if (c == 't') {
                c = '\t';
            } else if (!strchr("\"\\/bfr", c)) {
                fail("bad escape");
            }
        }
        if (n + 2 > cap)
            s = realloc(s, cap *= 2);
        s[n++] = c;
    }
    s[n] = 0;
    return s;
}

static struct node *parse_value(void);

static struct node *parse_container(char close, char type)
{
    struct node *nd = calloc(1, sizeof(*nd)), **tail = &nd->kid;
    nd->type = type;
    pos++;
    ws();
    if (*pos == close) {
        pos++;
        return nd;
    }
    for (;;) {
        ws();
        char *key = NULL;
        if (type == 'o') {
            key = parse_string();
            ws();
            if (*pos++ != ':')
                fail("expected ':'");
        }
        struct node *kid = parse_value();
        kid->key = key;
        *tail = kid;
        tail = &kid->next;
        nd->nkids++;
        ws();
        if (*pos == ',') {
            pos++;
            continue;
        }
        if (*pos++ != close)
            fail("expected ',' or the closing bracket");
        return nd;
    }
}

static struct node *parse_value(void)
{
    ws();
    if (*pos == '{')
        return parse_container('}', 'o');
    if (*pos == '[')
        return parse_container(']', 'a');
    struct node *nd = calloc(1, sizeof(*nd));
    if (*pos == '"') {
        nd->type = 's';
        nd->text = parse_string();
        return nd;
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++)
        if (strncmp(pos, words[i], strlen(words[i])) == 0) {
            nd->type = "tfz"[i];
            nd->text = strdup(words[i]);
            pos += strlen(words[i]);
            return nd;
        }
    const char *start = pos;
    if (*pos == '-')
        pos++;
    if (!isdigit((unsigned char)*pos))
        fail("expected a value");
    while (isdigit((unsigned char)*pos))
        pos++;
    if (*pos == '.') {
        pos++;
        if (!isdigit((unsigned char)*pos))
            fail("bad number");
        while (isdigit((unsigned char)*pos))
            pos++;
    }
    if (*pos == 'e' || *pos == 'E') {
        pos++;
        if (*pos == '+' || *pos == '-')
            pos++;
        if (!isdigit((unsigned char)*pos))
            fail("bad exponent");
        while (isdigit((unsigned char)*pos))
            pos++;
    }
    nd->type = 'n';
    nd->text = strndup(start, (size_t)(pos - start));
    return nd;
}

static const struct node *lookup(const struct node *nd, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *part = strtok(buf, "."); part && nd; part = strtok(NULL, ".")) {
        const struct node *k = nd->kid;
        if (nd->type == 'a') {
            long i = strtol(part, NULL, 10);
            while (k && i-- > 0)
                k = k->next;
        } else if (nd->type == 'o') {
            while (k && strcmp(k->key, part) != 0)
                k = k->next;
        } else {
            k = NULL;
        }
        nd = k;
    }
    return nd;
}

int main(int argc, char **argv)
{
    size_t cap = 1 << 16, n = 0, r;
    text = malloc(cap);
    while ((r = fread(text + n, 1, cap - n - 1, stdin)) > 0)
        if ((n += r) + 1 >= cap)
            text = realloc(text, cap *= 2);
    text[n] = 0;
    src = pos = text;
    root = parse_value();
    ws();
    if (*pos)
        fail("trailing characters after the document");
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        char path[256];
        const char *a = argv[i], *eq = strchr(a, '=');
        size_t plen = eq ? (size_t)(eq - a) : strlen(a);
        bool count = plen && a[plen - 1] == '#', exists = !eq && plen && a[plen - 1] == '?';
        if (count || exists)
            plen--;
        snprintf(path, sizeof(path), "%.*s", (int)plen, a);
        const struct node *nd = lookup(root, path);
        if (!nd) {
            fprintf(stderr, "json_check: %s: no such member\n", path);
            bad = 1;
        } else if (count) {
            if (nd->nkids != strtoul(eq + 1, NULL, 10) || (nd->type != 'a' && nd->type != 'o')) {
                fprintf(stderr, "json_check: %s has %u members, not %s\n", path, nd->nkids, eq + 1);
                bad = 1;
            }
        } else if (eq && (!nd->text || strcmp(nd->text, eq + 1) != 0)) {
            fprintf(stderr, "json_check: %s is %s, not %s\n", path, nd->text ? nd->text : "a container",
                    eq + 1);
            bad = 1;
        }
    }
    if (!bad)
        printf("json_check: valid JSON, %d checks passed\n", argc - 1);
    return bad;
}
