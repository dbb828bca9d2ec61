/* Shared pieces of the test_devices suite (tests/devices): the test-case
 * constructors of each file and small helpers. */
#ifndef FERRY_TEST_DEVICES_H
#define FERRY_TEST_DEVICES_H

#include <check.h>

TCase *test_bus_tcase(void);
TCase *test_physmem_tcase(void);
TCase *test_uart_tcase(void);
TCase *test_uart_host_tcase(void);
TCase *test_debug_exit_tcase(void);
TCase *test_i8042_tcase(void);
TCase *test_timestamp_tcase(void);

/* Capture -d guest_errors output: start redirects log_file to a temp file
 * with the item enabled; stop restores and returns the text (malloc'd). */
void test_log_capture_start(void);
char *test_log_capture_stop(void);

#endif
