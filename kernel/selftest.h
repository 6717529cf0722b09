/* selftest.h: in-kernel tests chosen on the command line ("selftest", "crash=pf|ud"). */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

/* Runs the boot self-tests, prints TAP on the console and ends the QEMU run. */
__attribute__((noreturn)) void selftest_run(void);
/* Deliberately faults in a named function, to prove the exception dump ("pf" or "ud"). */
void selftest_crash(const char *how);

#endif
