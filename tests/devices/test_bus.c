/* Bus registration, dispatch and access-to-nothing behaviour; phys_ptr(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "devices/physmem.h"
#include "test_devices.h"
#include "util/log.h"

/* A device that records its last access and reads back a pattern. */
struct rec_dev {
    unsigned reads, writes;
    uint64_t offset, value;
    unsigned size;
};

static uint64_t rec_read(void *opaque, uint64_t offset, unsigned size)
{
    struct rec_dev *d = opaque;
    d->reads++;
    d->offset = offset;
    d->size = size;
    return 0x1122334455667788ull + offset; /* bus masks to size */
}

static void rec_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    struct rec_dev *d = opaque;
    d->writes++;
    d->offset = offset;
    d->value = value;
    d->size = size;
}

static const struct bus_ops rec_ops = {.read = rec_read, .write = rec_write};

START_TEST(bus_overlap_refused)
{
    static const struct { uint64_t base, len; int want; } cases[] = {
#include "bus_overlap.inc"
    };
    struct bus bus;
    struct rec_dev d = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x100, 0x10, &rec_ops, &d, "a"), 0);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(bus_register(&bus, BUS_PIO, cases[i].base, cases[i].len, &rec_ops, &d, "b") ==
                          cases[i].want,
                      "case %u [0x%llx +0x%llx)", i, (unsigned long long)cases[i].base,
                      (unsigned long long)cases[i].len);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_spaces_are_separate)
{
    struct bus bus;
    struct rec_dev a = {0}, b = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x3f8, 8, &rec_ops, &a, "pio"), 0);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0x3f8, 8, &rec_ops, &b, "mmio"), 0);
    bus_write(&bus, BUS_MMIO, 0x3f9, 7, 1);
    ck_assert_uint_eq(a.writes, 0);
    ck_assert_uint_eq(b.writes, 1);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_bad_ranges_refused)
{
    struct bus bus;
    struct rec_dev d = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x10, 0, &rec_ops, &d, "zero"), -EINVAL);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xfff0, 0x11, &rec_ops, &d, "past 64K"), -EINVAL);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0xfff0, 0x10, &rec_ops, &d, "to 64K"), 0);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, ~0ull - 3, 5, &rec_ops, &d, "wraps"), -EINVAL);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, ~0ull - 3, 4, &rec_ops, &d, "top"), 0);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0, 1, NULL, &d, "no ops"), -EINVAL);
    ck_assert_int_eq(bus_register(&bus, BUS_SPACE_COUNT, 0, 1, &rec_ops, &d, "space"), -EINVAL);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_dispatch_offsets_and_sizes)
{
    struct bus bus;
    struct rec_dev d = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0xfec00000, 0x1000, &rec_ops, &d, "dev"), 0);
    static const unsigned sizes[] = {1, 2, 4, 8};
    for (unsigned i = 0; i < 4; i++) {
        uint64_t v = bus_read(&bus, BUS_MMIO, 0xfec00010 + i, sizes[i]);
        ck_assert_uint_eq(d.offset, 0x10 + i);
        ck_assert_uint_eq(d.size, sizes[i]);
        ck_assert_uint_eq(v, (0x1122334455667788ull + 0x10 + i) & bus_size_mask(sizes[i]));
        bus_write(&bus, BUS_MMIO, 0xfec00ff8, 0xa1b2c3d4e5f60718ull, sizes[i]);
        ck_assert_uint_eq(d.offset, 0xff8);
        ck_assert_uint_eq(d.value, 0xa1b2c3d4e5f60718ull & bus_size_mask(sizes[i]));
    }
    ck_assert_uint_eq(d.reads, 4);
    ck_assert_uint_eq(d.writes, 4);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_unmapped_read_is_all_ones)
{
    struct bus bus;
    bus_init(&bus);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, 0x80, 1), 0xff);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, 0x80, 2), 0xffff);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, 0x80, 4), 0xffffffffu);
    ck_assert_uint_eq(bus_read(&bus, BUS_MMIO, 0xd0000000, 8), ~0ull);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_unmapped_write_ignored_and_logged)
{
    struct bus bus;
    struct rec_dev d = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x60, 1, &rec_ops, &d, "kbd"), 0);
    test_log_capture_start();
    bus_write(&bus, BUS_PIO, 0x61, 0x5a, 1);
    bus_read(&bus, BUS_MMIO, 0x1234, 4);
    char *log = test_log_capture_stop();
    ck_assert_uint_eq(d.writes, 0);
    ck_assert_msg(strstr(log, "pio write to nothing at 0x61 size 1 value 0x5a"), "log: %s", log);
    ck_assert_msg(strstr(log, "mmio read from nothing at 0x1234 size 4"), "log: %s", log);
    free(log);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_unmapped_silent_without_log_item)
{
    struct bus bus;
    bus_init(&bus);
    test_log_capture_start();
    log_mask = 0;
    bus_write(&bus, BUS_PIO, 0x61, 0x5a, 1);
    char *log = test_log_capture_stop();
    ck_assert_str_eq(log, "");
    free(log);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_straddling_access_is_unmapped)
{
    struct bus bus;
    struct rec_dev a = {0}, b = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x10, 4, &rec_ops, &a, "a"), 0);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x14, 4, &rec_ops, &b, "b"), 0);
    test_log_capture_start();
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, 0x12, 4), 0xffffffffu);
    bus_write(&bus, BUS_PIO, 0x17, 0xffff, 2);
    char *log = test_log_capture_stop();
    ck_assert_uint_eq(a.reads + a.writes + b.reads + b.writes, 0);
    ck_assert_msg(strstr(log, "straddles the end of 'a'"), "log: %s", log);
    ck_assert_msg(strstr(log, "straddles the end of 'b'"), "log: %s", log);
    free(log);
    /* the last bytes of a region are still reachable with a fitting size */
    bus_read(&bus, BUS_PIO, 0x12, 2);
    ck_assert_uint_eq(a.reads, 1);
    ck_assert_uint_eq(a.offset, 2);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_invalid_size_dropped)
{
    struct bus bus;
    struct rec_dev d = {0};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_MMIO, 0, 0x100, &rec_ops, &d, "d"), 0);
    ck_assert_uint_eq(bus_read(&bus, BUS_MMIO, 0, 0), 0);
    ck_assert_uint_eq(bus_read(&bus, BUS_MMIO, 0, 9), 0);
    bus_write(&bus, BUS_MMIO, 0, 1, 16);
    ck_assert_uint_eq(d.reads + d.writes, 0);
    bus_destroy(&bus);
}
END_TEST

START_TEST(bus_many_regions_found)
{
    /* Registered in scrambled order; every port finds its own region. */
    struct bus bus;
    static struct rec_dev dev[64];
    bus_init(&bus);
    for (unsigned i = 0; i < 64; i++) {
        unsigned k = (i * 37) % 64;
        ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x100 + k * 8, 4, &rec_ops, &dev[k], "d"), 0);
    }
    for (unsigned k = 0; k < 64; k++) {
        const struct bus_region *r = bus_find(&bus, BUS_PIO, 0x100 + k * 8 + 3);
        ck_assert_ptr_nonnull(r);
        ck_assert_ptr_eq(r->opaque, &dev[k]);
        ck_assert_ptr_null(bus_find(&bus, BUS_PIO, 0x100 + k * 8 + 4));
    }
    bus_destroy(&bus);
}
END_TEST

static uint64_t null_read_unused(void *o, uint64_t off, unsigned size)
{
    ck_abort_msg("not called");
    return 0;
}

START_TEST(bus_null_callbacks)
{
    struct bus bus;
    static const struct bus_ops wo = {.read = NULL, .write = NULL};
    static const struct bus_ops ro = {.read = null_read_unused};
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x20, 2, &wo, NULL, "none"), 0);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, 0x30, 2, &ro, NULL, "ro"), 0);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, 0x20, 2), 0xffff);
    bus_write(&bus, BUS_PIO, 0x21, 1, 1);
    bus_write(&bus, BUS_PIO, 0x30, 1, 1);
    bus_destroy(&bus);
}
END_TEST

TCase *test_bus_tcase(void)
{
    TCase *tc = tcase_create("bus");
    tcase_add_test(tc, bus_overlap_refused);
    tcase_add_test(tc, bus_spaces_are_separate);
    tcase_add_test(tc, bus_bad_ranges_refused);
    tcase_add_test(tc, bus_dispatch_offsets_and_sizes);
    tcase_add_test(tc, bus_unmapped_read_is_all_ones);
    tcase_add_test(tc, bus_unmapped_write_ignored_and_logged);
    tcase_add_test(tc, bus_unmapped_silent_without_log_item);
    tcase_add_test(tc, bus_straddling_access_is_unmapped);
    tcase_add_test(tc, bus_invalid_size_dropped);
    tcase_add_test(tc, bus_many_regions_found);
    tcase_add_test(tc, bus_null_callbacks);
    return tc;
}

/* ---- physmem ---------------------------------------------------------- */

static uint8_t ram_lo[0x10000], ram_hi[0x8000];

static void two_regions(struct physmem *m)
{
    physmem_init(m);
    ck_assert_int_eq(physmem_add(m, 0x100000000ull, sizeof ram_hi, ram_hi), 0);
    ck_assert_int_eq(physmem_add(m, 0, sizeof ram_lo, ram_lo), 0);
}

START_TEST(phys_ptr_inside_regions)
{
    struct physmem m;
    two_regions(&m);
    ck_assert_ptr_eq(phys_ptr(&m, 0, 1), ram_lo);
    ck_assert_ptr_eq(phys_ptr(&m, 0x1234, 16), ram_lo + 0x1234);
    ck_assert_ptr_eq(phys_ptr(&m, 0, sizeof ram_lo), ram_lo);
    ck_assert_ptr_eq(phys_ptr(&m, 0xffff, 1), ram_lo + 0xffff);
    ck_assert_ptr_eq(phys_ptr(&m, 0x100000000ull + 0x7ff8, 8), ram_hi + 0x7ff8);
    ck_assert_uint_eq(physmem_total(&m), sizeof ram_lo + sizeof ram_hi);
}
END_TEST

START_TEST(phys_ptr_refuses_outside)
{
    static const struct { uint64_t gpa, len; } bad[] = {
#include "phys_ptr_bad.inc"
    };
    struct physmem m;
    two_regions(&m);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(phys_ptr(&m, bad[i].gpa, bad[i].len) == NULL, "case %u gpa 0x%llx len 0x%llx",
                      i, (unsigned long long)bad[i].gpa, (unsigned long long)bad[i].len);
}
END_TEST

START_TEST(phys_ptr_spanning_adjacent_regions_refused)
{
    /* Two regions back to back: a range over the seam is still refused. */
    struct physmem m;
    physmem_init(&m);
    ck_assert_int_eq(physmem_add(&m, 0, 0x1000, ram_lo), 0);
    ck_assert_int_eq(physmem_add(&m, 0x1000, 0x1000, ram_hi), 0);
    ck_assert_ptr_null(phys_ptr(&m, 0xff8, 16));
    ck_assert_ptr_eq(phys_ptr(&m, 0x1000, 16), ram_hi);
}
END_TEST

START_TEST(physmem_add_checks)
{
    struct physmem m;
    physmem_init(&m);
    ck_assert_int_eq(physmem_add(&m, 0x1000, 0x1000, ram_lo), 0);
    ck_assert_int_eq(physmem_add(&m, 0x1fff, 1, ram_lo), -EEXIST);
    ck_assert_int_eq(physmem_add(&m, 0x0, 0x1001, ram_lo), -EEXIST);
    ck_assert_int_eq(physmem_add(&m, 0x0, 0, ram_lo), -EINVAL);
    ck_assert_int_eq(physmem_add(&m, ~0ull, 2, ram_lo), -EINVAL);
    ck_assert_int_eq(physmem_add(&m, 0x5000, 1, NULL), -EINVAL);
    for (unsigned i = 1; i < PHYSMEM_MAX_REGIONS; i++)
        ck_assert_int_eq(physmem_add(&m, 0x10000 * (i + 1), 0x100, ram_lo), 0);
    ck_assert_int_eq(physmem_add(&m, 0x900000, 0x100, ram_lo), -ENOSPC);
}
END_TEST

TCase *test_physmem_tcase(void)
{
    TCase *tc = tcase_create("physmem");
    tcase_add_test(tc, phys_ptr_inside_regions);
    tcase_add_test(tc, phys_ptr_refuses_outside);
    tcase_add_test(tc, phys_ptr_spanning_adjacent_regions_refused);
    tcase_add_test(tc, physmem_add_checks);
    return tc;
}
