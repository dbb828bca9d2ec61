/* The small devices: debug exit, i8042 (reset line), timestamp markers,
 * and machine_status. */
#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "devices/debug_exit.h"
#include "devices/i8042.h"
#include "devices/status.h"
#include "devices/timestamp.h"
#include "test_devices.h"

START_TEST(debug_exit_status_computation)
{
    static const struct { uint64_t value; int status; } t[] = {
#include "debug_exit_vectors.inc"
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_msg(debug_exit_status(t[i].value) == t[i].status, "value 0x%llx: %d, want %d",
                      (unsigned long long)t[i].value, debug_exit_status(t[i].value), t[i].status);
}
END_TEST

START_TEST(debug_exit_write_stops_machine)
{
    struct machine_status st = {0};
    struct debug_exit d;
    struct bus bus;
    debug_exit_init(&d, &st);
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, DEBUG_EXIT_BASE, DEBUG_EXIT_LEN, &debug_exit_ops,
                                  &d, "debug-exit"), 0);
    ck_assert(machine_running(&st));
    bus_write(&bus, BUS_PIO, DEBUG_EXIT_BASE, 0x21, 4);
    ck_assert_int_eq(st.state, MACHINE_exited);
    ck_assert_int_eq(st.exit_code, 0x43);
    ck_assert_uint_eq(st.value, 0x21);
    bus_write(&bus, BUS_PIO, DEBUG_EXIT_BASE, 0x00, 1); /* the first stop wins */
    ck_assert_int_eq(st.exit_code, 0x43);
    bus_destroy(&bus);
}
END_TEST

START_TEST(machine_status_names)
{
    ck_assert_str_eq(machine_state_name(MACHINE_running), "running");
    ck_assert_str_eq(machine_state_name(MACHINE_exited), "exited");
    ck_assert_str_eq(machine_state_name(MACHINE_reset), "reset");
    ck_assert_str_eq(machine_state_name(MACHINE_STATE_COUNT), "?");
    struct machine_status st = {0};
    ck_assert(!machine_stop(&st, MACHINE_running, 5, 0));
    ck_assert(machine_stop(&st, MACHINE_halted, 0, 0));
    ck_assert(!machine_stop(&st, MACHINE_error, 1, 0));
    ck_assert_int_eq(st.state, MACHINE_halted);
}
END_TEST

TCase *test_debug_exit_tcase(void)
{
    TCase *tc = tcase_create("debug_exit");
    tcase_add_test(tc, debug_exit_status_computation);
    tcase_add_test(tc, debug_exit_write_stops_machine);
    tcase_add_test(tc, machine_status_names);
    return tc;
}

/* ---- i8042 ------------------------------------------------------------ */

static struct machine_status kst;
static struct i8042 kbc;

static void kbc_setup(void)
{
    memset(&kst, 0, sizeof kst);
    i8042_init(&kbc, &kst);
}

START_TEST(i8042_reset_command)
{
    struct bus bus;
    bus_init(&bus);
    ck_assert_int_eq(i8042_register(&kbc, &bus), 0);
    bus_write(&bus, BUS_PIO, I8042_CMD_PORT, 0xfe, 1);
    ck_assert_int_eq(kst.state, MACHINE_reset);
    ck_assert_int_eq(kst.exit_code, 0);
    bus_destroy(&bus);
}
END_TEST

START_TEST(i8042_odd_pulse_is_not_reset)
{
    i8042_write(&kbc, I8042_CMD_PORT, 0xff); /* pulse nothing */
    ck_assert(machine_running(&kst));
}
END_TEST

START_TEST(i8042_output_port_reset)
{
    i8042_write(&kbc, I8042_CMD_PORT, 0xd0);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0x03);
    i8042_write(&kbc, I8042_CMD_PORT, 0xd1);
    i8042_write(&kbc, I8042_DATA_PORT, 0x03); /* A20 on, reset line high: nothing */
    ck_assert(machine_running(&kst));
    i8042_write(&kbc, I8042_CMD_PORT, 0xd1);
    i8042_write(&kbc, I8042_DATA_PORT, 0x02); /* bit 0 low: reset */
    ck_assert_int_eq(kst.state, MACHINE_reset);
}
END_TEST

START_TEST(i8042_status_and_self_test)
{
    uint8_t s = i8042_read(&kbc, I8042_CMD_PORT);
    ck_assert_uint_eq(s & I8042_STR_OBF, 0);
    ck_assert_uint_eq(s & I8042_STR_SYS, I8042_STR_SYS);
    i8042_write(&kbc, I8042_CMD_PORT, 0xaa);
    s = i8042_read(&kbc, I8042_CMD_PORT);
    ck_assert_uint_eq(s & (I8042_STR_OBF | I8042_STR_CMD), I8042_STR_OBF | I8042_STR_CMD);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0x55);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_CMD_PORT) & I8042_STR_OBF, 0);
}
END_TEST

START_TEST(i8042_command_byte_roundtrip)
{
    i8042_write(&kbc, I8042_CMD_PORT, 0x60);
    i8042_write(&kbc, I8042_DATA_PORT, 0x61);
    i8042_write(&kbc, I8042_CMD_PORT, 0x20);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0x61);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_CMD_PORT) & I8042_STR_SYS, 0);
}
END_TEST

START_TEST(i8042_keyboard_answers)
{
    i8042_write(&kbc, I8042_DATA_PORT, 0xff); /* keyboard reset */
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0xfa);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0xaa);
    i8042_write(&kbc, I8042_DATA_PORT, 0xed); /* set LEDs: ack, argument, ack */
    i8042_write(&kbc, I8042_DATA_PORT, 0x07);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0xfa);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0xfa);
    i8042_write(&kbc, I8042_DATA_PORT, 0xee);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0xee);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_CMD_PORT) & I8042_STR_OBF, 0);
    ck_assert(machine_running(&kst));
}
END_TEST

START_TEST(i8042_queue_overflow_drops)
{
    for (unsigned i = 0; i < 2 * I8042_QUEUE; i++)
        i8042_write(&kbc, I8042_CMD_PORT, 0xaa);
    for (unsigned i = 0; i < I8042_QUEUE; i++)
        ck_assert_uint_eq(i8042_read(&kbc, I8042_DATA_PORT), 0x55);
    ck_assert_uint_eq(i8042_read(&kbc, I8042_CMD_PORT) & I8042_STR_OBF, 0);
}
END_TEST

TCase *test_i8042_tcase(void)
{
    TCase *tc = tcase_create("i8042");
    tcase_add_checked_fixture(tc, kbc_setup, NULL);
    tcase_add_test(tc, i8042_reset_command);
    tcase_add_test(tc, i8042_odd_pulse_is_not_reset);
    tcase_add_test(tc, i8042_output_port_reset);
    tcase_add_test(tc, i8042_status_and_self_test);
    tcase_add_test(tc, i8042_command_byte_roundtrip);
    tcase_add_test(tc, i8042_keyboard_answers);
    tcase_add_test(tc, i8042_queue_overflow_drops);
    return tc;
}

/* ---- timestamp -------------------------------------------------------- */

START_TEST(timestamp_records_markers_in_order)
{
    static struct timestamp_dev t;
    struct bus bus;
    timestamp_init(&t);
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, TIMESTAMP_BASE, TIMESTAMP_LEN, &timestamp_ops, &t,
                                  "ts"), 0);
    bus_write(&bus, BUS_PIO, TIMESTAMP_BASE, 7, 1);
    bus_write(&bus, BUS_PIO, TIMESTAMP_BASE, 0x10000, 4);
    bus_write(&bus, BUS_PIO, TIMESTAMP_BASE + 1, 9, 1); /* not the base: ignored */
    ck_assert_uint_eq(t.count, 2);
    ck_assert_uint_eq(t.mark[0].id, 7);
    ck_assert_uint_eq(t.mark[1].id, 0x10000);
    ck_assert_uint_ge(t.mark[0].ns, t.start_ns);
    ck_assert_uint_ge(t.mark[1].ns, t.mark[0].ns);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, TIMESTAMP_BASE, 4), 2);
    bus_destroy(&bus);
}
END_TEST

START_TEST(timestamp_overflow_counts_dropped)
{
    static struct timestamp_dev t;
    timestamp_init(&t);
    for (unsigned i = 0; i < TIMESTAMP_MAX + 5; i++)
        timestamp_record(&t, i);
    ck_assert_uint_eq(t.count, TIMESTAMP_MAX);
    ck_assert_uint_eq(t.dropped, 5);
}
END_TEST

START_TEST(timestamp_print_lists_markers)
{
    static struct timestamp_dev t;
    timestamp_init(&t);
    timestamp_record(&t, 42);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    timestamp_print(&t, f);
    fclose(f);
    ck_assert_msg(strstr(buf, "marker 42"), "%s", buf);
    free(buf);
}
END_TEST

TCase *test_timestamp_tcase(void)
{
    TCase *tc = tcase_create("timestamp");
    tcase_add_test(tc, timestamp_records_markers_in_order);
    tcase_add_test(tc, timestamp_overflow_counts_dropped);
    tcase_add_test(tc, timestamp_print_lists_markers);
    return tc;
}
