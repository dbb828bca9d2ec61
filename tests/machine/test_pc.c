/* The pc machine itself: RAM regions, size parsing, device wiring, the
 * reported memory map, and pc_load's file handling. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/loader.h"
#include "test_machine.h"

START_TEST(pc_default_ram_one_region)
{
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    ck_assert_uint_eq(pc.ram_size, PC_RAM_DEFAULT);
    ck_assert_uint_eq(pc.mem.count, 1);
    ck_assert_uint_eq(pc.mem.region[0].gpa, 0);
    ck_assert_uint_eq(pc.mem.region[0].size, 128ull << 20);
    ck_assert_ptr_eq(phys_ptr(&pc.mem, 0, 1), pc.ram);
    ck_assert_ptr_null(phys_ptr(&pc.mem, 128ull << 20, 1));
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_large_ram_splits_around_hole)
{
    struct pc_machine pc;
    test_pc_init(&pc, 4ull << 30);
    ck_assert_uint_eq(pc.mem.count, 2);
    ck_assert_uint_eq(pc.mem.region[0].size, PC_HOLE_START);
    ck_assert_uint_eq(pc.mem.region[1].gpa, PC_HIGH_RAM_START);
    ck_assert_uint_eq(pc.mem.region[1].size, (4ull << 30) - PC_HOLE_START);
    ck_assert_ptr_null(phys_ptr(&pc.mem, 0xfffbd000, 1)); /* KVM's TSS pages are free */
    ck_assert_ptr_eq(phys_ptr(&pc.mem, PC_HIGH_RAM_START, 8), (uint8_t *)pc.ram + PC_HOLE_START);
    struct pc_mmap_entry map[PC_MMAP_MAX];
    unsigned n = pc_memory_map(&pc, map, PC_MMAP_MAX);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(map[3].base, PC_HIGH_RAM_START);
    ck_assert_uint_eq(map[3].type, PC_MEM_USABLE);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_memory_map_keeps_legacy_hole_out)
{
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    struct pc_mmap_entry map[PC_MMAP_MAX];
    unsigned n = pc_memory_map(&pc, map, PC_MMAP_MAX);
    ck_assert_uint_eq(n, 3);
    ck_assert(map[0].base == 0 && map[0].len == 0x9fc00 && map[0].type == PC_MEM_USABLE);
    ck_assert(map[1].base == 0x9fc00 && map[1].len == 0x400 && map[1].type == PC_MEM_RESERVED);
    ck_assert(map[2].base == 0x100000 && map[2].len == (127ull << 20) &&
              map[2].type == PC_MEM_USABLE);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_ram_size_parsing)
{
    static const struct { const char *arg; uint64_t bytes; } t[] = {
#include "ram_sizes.inc"
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint64_t got = 0;
        char err[256] = "";
        int r = pc_parse_ram_size(t[i].arg, &got, err, sizeof err);
        if (t[i].bytes) {
            ck_assert_msg(r == 0 && got == t[i].bytes, "-m %s: r=%d got %llu (%s)", t[i].arg, r,
                          (unsigned long long)got, err);
        } else {
            ck_assert_msg(r < 0, "-m %s accepted", t[i].arg);
            ck_assert_msg(strstr(err, "-m '"), "-m %s: message '%s'", t[i].arg, err);
        }
    }
}
END_TEST

START_TEST(pc_init_refuses_bad_sizes_and_serial)
{
    struct pc_machine pc;
    char err[256];
    struct pc_config cfg = {.ram_size = 1 << 20, .serial = "none"};
    ck_assert_int_eq(pc_init(&pc, &cfg, err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, "1 MiB"), "%s", err);
    cfg.ram_size = (128ull << 20) + 1;
    ck_assert_int_eq(pc_init(&pc, &cfg, err, sizeof err), -EINVAL);
    cfg.ram_size = 0;
    cfg.serial = "pty";
    ck_assert_int_eq(pc_init(&pc, &cfg, err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, "unknown -serial 'pty'"), "%s", err);
}
END_TEST

START_TEST(pc_devices_wired)
{
    static const struct { uint64_t port; const char *name; } t[] = {
        {0x3f8, "com1"}, {0x3ff, "com1"}, {0x60, "i8042-data"}, {0x64, "i8042-cmd"},
        {0xe0, "timestamp"}, {0xf4, "debug-exit"}, {0xf7, "debug-exit"},
    };
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        const struct bus_region *r = bus_find(&pc.bus, BUS_PIO, t[i].port);
        ck_assert_msg(r && strcmp(r->name, t[i].name) == 0, "port 0x%llx", (unsigned long long)t[i].port);
    }
    ck_assert_ptr_null(bus_find(&pc.bus, BUS_PIO, 0x80));
    bus_write(&pc.bus, BUS_PIO, 0xf4, 0x10, 1);
    ck_assert_int_eq(pc.status.state, MACHINE_exited);
    ck_assert_int_eq(pc.status.exit_code, 0x21);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_i8042_reset_stops_machine)
{
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    bus_write(&pc.bus, BUS_PIO, 0x64, 0xfe, 1);
    ck_assert_int_eq(pc.status.state, MACHINE_reset);
    ck_assert_int_eq(pc.status.exit_code, 0);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_load_file_errors)
{
    struct pc_machine pc;
    struct x86_boot_state st;
    char err[512];
    test_pc_init(&pc, 16ull << 20);
    ck_assert_int_eq(pc_load(&pc, "/nonexistent/guest.elf", NULL, &st, err, sizeof err), -ENOENT);
    ck_assert_msg(strstr(err, "/nonexistent/guest.elf: No such file"), "%s", err);
    ck_assert_int_eq(pc_load(&pc, "/tmp", NULL, &st, err, sizeof err), -EISDIR);
    /* a file larger than RAM */
    char path[] = "/tmp/ferry-big-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 17 << 20), 0);
    close(fd);
    ck_assert_int_eq(pc_load(&pc, path, NULL, &st, err, sizeof err), -EFBIG);
    ck_assert_msg(strstr(err, "larger than the 16 MiB of RAM"), "%s", err);
    unlink(path);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_load_reads_file)
{
    static uint8_t img[TEST_IMAGE_MAX];
    const struct test_seg seg[] = {{.paddr = 0x100000, .filesz = 0x100, .memsz = 0x100, .seed = 9}};
    size_t n = test_build_elf64(img, 0x100000, seg, 1);
    char path[] = "/tmp/ferry-elf-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, img, n), (ssize_t)n);
    close(fd);
    struct pc_machine pc;
    struct x86_boot_state st;
    char err[512];
    test_pc_init(&pc, 0);
    ck_assert_msg(pc_load(&pc, path, NULL, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(st.rip, 0x100000);
    ck_assert_uint_eq(*(uint8_t *)phys_ptr(&pc.mem, 0x100001, 1), 10);
    unlink(path);
    pc_destroy(&pc);
}
END_TEST

START_TEST(pc_detects_protocol)
{
    static uint8_t img[TEST_IMAGE_MAX];
    const struct test_seg seg[] = {{.paddr = 0x100000, .filesz = 0x10, .memsz = 0x10}};
    size_t n = test_build_elf64(img, 0x100000, seg, 1);
    ck_assert_int_eq(pc_detect_protocol(img, n), PC_BOOT_ELF64);
    n = test_build_multiboot(img, 0x100000, seg, 1, 0x3);
    ck_assert_int_eq(pc_detect_protocol(img, n), PC_BOOT_MULTIBOOT);
    memset(img, 0x90, 64);
    ck_assert_int_eq(pc_detect_protocol(img, 64), PC_BOOT_NONE);
    ck_assert_int_eq(pc_detect_protocol(img, 0), PC_BOOT_NONE);
}
END_TEST

START_TEST(pc_format_sizes)
{
    char b[32];
    pc_format_size(128ull << 20, b, sizeof b);
    ck_assert_str_eq(b, "128 MiB");
    pc_format_size(3ull << 29, b, sizeof b);
    ck_assert_str_eq(b, "1.5 GiB");
    pc_format_size(100, b, sizeof b);
    ck_assert_str_eq(b, "100 bytes");
}
END_TEST

TCase *test_pc_tcase(void)
{
    TCase *tc = tcase_create("pc");
    tcase_add_test(tc, pc_default_ram_one_region);
    tcase_add_test(tc, pc_large_ram_splits_around_hole);
    tcase_add_test(tc, pc_memory_map_keeps_legacy_hole_out);
    tcase_add_test(tc, pc_ram_size_parsing);
    tcase_add_test(tc, pc_init_refuses_bad_sizes_and_serial);
    tcase_add_test(tc, pc_devices_wired);
    tcase_add_test(tc, pc_i8042_reset_stops_machine);
    tcase_add_test(tc, pc_load_file_errors);
    tcase_add_test(tc, pc_load_reads_file);
    tcase_add_test(tc, pc_detects_protocol);
    tcase_add_test(tc, pc_format_sizes);
    return tc;
}
