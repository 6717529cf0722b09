/*
 * tapdev.h: the host back end of the interop test: a Linux tap device
 * (TUNSETIFF) with an address, frames in and out, and child processes
 * (socat, ping, dnsmasq) that the test starts and reaps.
 */
#ifndef NET_TEST_TAPDEV_H
#define NET_TEST_TAPDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opens tap device name; returns its fd or -1 with why set. */
int tap_open(const char *name, char *why, size_t whylen);
/* Gives the interface addr/24 (dotted) and brings it up; 0 or -1. */
int tap_configure(const char *name, const char *cidr);
uint64_t host_now(void);
/* Starts argv[0] (searched in PATH) with stdout and stderr to logfile. */
pid_t host_spawn(char *const argv[], const char *logfile);
/* 1 and the exit status if pid ended, 0 if still running. */
int host_reaped(pid_t pid, int *status);
void host_kill(pid_t pid);

#endif
