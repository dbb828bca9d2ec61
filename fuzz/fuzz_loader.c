/* Fuzz target for the pc loaders.  The first input byte picks a valid base
 * image (ELF64 with 1-3 segments, or Multiboot ELF32) and the entry ring; the
 * rest is a list of patches (2-byte offset, 1-byte length, bytes) applied to
 * it, then an optional truncation.  pc_load_image must refuse with a message
 * or return a sane state; crashes and broken invariants abort. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/pc.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_IMAGE 0x5000

static void fl_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_loader: invariant broken: %s\n", what);
        abort();
    }
}

static void fl_put(uint8_t *img, size_t off, uint64_t v, unsigned width)
{
    memcpy(img + off, &v, width); /* little-endian host */
}

/* Segments at 1 MiB + i * 1 MiB, file bytes at 0x1000 * (i + 1). */
static size_t fl_build(uint8_t *img, bool multiboot, unsigned nseg)
{
    memset(img, 0, FUZZ_IMAGE);
    memcpy(img, ELFMAG, SELFMAG);
    img[EI_CLASS] = multiboot ? ELFCLASS32 : ELFCLASS64;
    img[EI_DATA] = ELFDATA2LSB;
    img[EI_VERSION] = EV_CURRENT;
    size_t eh = multiboot ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    size_t phs = multiboot ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
    fl_put(img, 16, ET_EXEC, 2);
    fl_put(img, 18, multiboot ? EM_386 : EM_X86_64, 2);
    fl_put(img, 20, EV_CURRENT, 4);
    if (multiboot) {
        fl_put(img, 24, 0x100000, 4); /* e_entry */
        fl_put(img, 28, eh, 4);       /* e_phoff */
        fl_put(img, 40, eh, 2);       /* e_ehsize */
        fl_put(img, 42, phs, 2);
        fl_put(img, 44, nseg, 2);
    } else {
        fl_put(img, 24, 0x100000, 8);
        fl_put(img, 32, eh, 8);
        fl_put(img, 52, eh, 2);
        fl_put(img, 54, phs, 2);
        fl_put(img, 56, nseg, 2);
    }
    for (unsigned i = 0; i < nseg; i++) {
        uint8_t *p = img + eh + i * phs;
        uint64_t off = 0x1000 * (i + 1), addr = 0x100000 * (i + 1), filesz = 0x800,
                 memsz = 0x2000;
        fl_put(p, 0, PT_LOAD, 4);
        if (multiboot) {
            fl_put(p, 4, off, 4);
            fl_put(p, 8, addr, 4);
            fl_put(p, 12, addr, 4);
            fl_put(p, 16, filesz, 4);
            fl_put(p, 20, memsz, 4);
        } else {
            fl_put(p, 8, off, 8);
            fl_put(p, 16, addr, 8);
            fl_put(p, 24, addr, 8);
            fl_put(p, 32, filesz, 8);
            fl_put(p, 40, memsz, 8);
        }
        memset(img + off, 0x90 + i, filesz);
    }
    if (multiboot) {
        size_t h = (eh + nseg * phs + 3) & ~(size_t)3;
        fl_put(img, h, 0x1badb002u, 4);
        fl_put(img, h + 4, 3, 4);
        fl_put(img, h + 8, (uint32_t)(0u - 0x1badb002u - 3u), 4);
    }
    return 0x1000 * (nseg + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pc_machine pc;
    static bool ready;
    static uint8_t img[FUZZ_IMAGE];
    if (!ready) {
        char err[256];
        struct pc_config cfg = {.ram_size = 16 << 20, .serial = "none"};
        if (pc_init(&pc, &cfg, err, sizeof err)) {
            fprintf(stderr, "fuzz_loader: %s\n", err);
            abort();
        }
        ready = true;
    }
    log_mask = 0;
    if (size == 0)
        return 0;
    uint8_t sel = data[0];
    bool multiboot = sel & 1;
    size_t n = fl_build(img, multiboot, 1 + (sel >> 1) % 3);
    size_t i = 1;
    while (i + 3 <= size) {
        size_t off = (data[i] | (size_t)data[i + 1] << 8) % n;
        size_t len = data[i + 2] % 9;
        i += 3;
        for (size_t k = 0; k < len && i < size && off + k < n; k++)
            img[off + k] = data[i++];
    }
    if (sel & 0x80) /* truncate by the last byte's share */
        n = n * data[size - 1] / 255;
    struct pc_boot_options opt = {.entry_ring = (sel & 0x40) ? 3 : 0, .cmdline = "fuzz"};
    struct x86_boot_state st;
    char err[512] = "";
    int r = pc_load_image(&pc, img, n, "img", &opt, &st, err, sizeof err);
    if (r < 0) {
        fl_check(strncmp(err, "img: ", 5) == 0 && err[5] != '\0', "error without a message");
        return 0;
    }
    fl_check(r == 0, "positive result");
    fl_check(st.rip >= PC_IMAGE_MIN && phys_ptr(&pc.mem, st.rip, 1) != NULL, "entry in RAM");
    fl_check(st.cs.present && st.ss.present && st.tr.present, "segments present");
    fl_check(st.long_mode ? st.cr3 == PC_PT_ADDR : st.rax == 0x2badb002, "protocol registers");
    return 0;
}
