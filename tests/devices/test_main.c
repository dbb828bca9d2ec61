/* Check suite test_devices: the bus, guest RAM lookup and every device model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_devices.h"
#include "util/log.h"

static FILE *capture;
static FILE *saved_file;
static unsigned saved_mask;

void test_log_capture_start(void)
{
    capture = tmpfile();
    ck_assert_ptr_nonnull(capture);
    saved_file = log_file;
    saved_mask = log_mask;
    log_file = capture;
    log_mask |= 1u << LOG_guest_errors;
}

char *test_log_capture_stop(void)
{
    log_file = saved_file;
    log_mask = saved_mask;
    long n = ftell(capture);
    ck_assert_int_ge(n, 0);
    char *s = calloc(1, (size_t)n + 1);
    rewind(capture);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, capture), (size_t)n);
    fclose(capture);
    capture = NULL;
    return s;
}

int main(void)
{
    Suite *s = suite_create("devices");
    suite_add_tcase(s, test_bus_tcase());
    suite_add_tcase(s, test_physmem_tcase());
    suite_add_tcase(s, test_uart_tcase());
    suite_add_tcase(s, test_uart_host_tcase());
    suite_add_tcase(s, test_debug_exit_tcase());
    suite_add_tcase(s, test_i8042_tcase());
    suite_add_tcase(s, test_timestamp_tcase());
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
