/*
 * serialcheck: a client of the COM2 driver (svc/serialcheck in
 * build/tests/uart.initrd, tests/qemu/uart.t, whose other end is the host's
 * socket on COM2). It writes, reads what the host sends, waits for input
 * that does not come, switches echo on, and tries modes the driver refuses.
 * One "serialcheck: ok|not ok" line per check on the console (COM1).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "chardev_client.h"

#define CHECK_PROG "serialcheck"
#include "os_check.h"

static hl_cptr_t com2;

static int say(const char *s)
{
	uint32_t n = 0;

	return chardev_write(com2, (const uint8_t *)s, strlen(s), &n) == E_OK && n == strlen(s);
}

/* Reads until a newline (or 5 tries of 5 s); the line in buf. */
static size_t read_line(char *buf, size_t room)
{
	size_t got = 0;

	for (int tries = 0; tries < 5 && got < room - 1 && !memchr(buf, '\n', got); tries++) {
		size_t n = 0;
		if (chardev_read(com2, (uint32_t)(room - 1 - got), 5000, (uint8_t *)buf + got, &n) != E_OK)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus");
	char line[300];
	size_t n;
	uint32_t pending, room;

	(void)argc, (void)argv, (void)envp;
	com2 = proc_slot(0);
	check(bus_wait(bus, "char/com2", 10000, com2) == E_OK, "find char/com2 on the bus", 0);
	check(say("hello from ares\n"), "write a line", 0);
	n = read_line(line, sizeof(line));
	check(n == 5 && !strcmp(line, "ping\n"), "read the host's line", (long)n);
	n = 99;
	check(chardev_read(com2, 100, 300, (uint8_t *)line, &n) == E_OK && n == 0,
	      "a read with nothing to read ends empty at its timeout", (long)n);
	check(chardev_read(com2, 100, 0, (uint8_t *)line, &n) == E_OK && n == 0, "a read with timeout 0 does not wait",
	      (long)n);
	check(chardev_set_mode(com2, 115200, 1 | 2) == E_OK, "raw mode with echo", 0);
	check(say("echo on\n"), "tell the host", 0);
	n = read_line(line, sizeof(line));
	check(n == 4 && !strcmp(line, "xyz\n"), "read what the host typed (it sees the echo)", (long)n);
	check(chardev_set_mode(com2, 115200, 1) == E_OK, "echo off again", 0);
	check(chardev_set_mode(com2, 7, 1) == E_INVAL, "baud 7: E_INVAL", 0);
	check(chardev_set_mode(com2, 115200, 0) == E_INVAL, "cooked mode: E_INVAL", 0);
	check(chardev_set_mode(com2, 115200, 9) == E_INVAL, "unknown flags: E_INVAL", 0);
	check(chardev_set_mode(com2, 9600, 1) == E_OK && chardev_set_mode(com2, 115200, 1) == E_OK,
	      "9600 baud and back", 0);
	check(chardev_status(com2, &pending, &room) == E_OK && pending == 0, "status: nothing pending", (long)pending);
	check(say("bye\n"), "last line", 0);
	return check_failed;
}
