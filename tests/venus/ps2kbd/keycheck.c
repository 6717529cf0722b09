/*
 * keycheck: a client of the PS/2 keyboard driver (svc/keycheck in
 * build/tests/ps2kbd.initrd, tests/qemu/ps2kbd.t, which types through
 * QEMU's monitor). It reads events until Enter and prints what was typed,
 * checks a read that times out, a Ctrl key, and the lights.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>

#include "bus_client.h"
#include "input_client.h"

#define CHECK_PROG "keycheck"
#include "os_check.h"

#define RELEASED (1u << 16)
#define SHIFT (1u << 17)

static hl_cptr_t kbd;

/* Reads events until Enter (or 10 quiet seconds); the typed characters in
 * line, releases counted. */
static unsigned read_line(char *line, unsigned room, unsigned *releases, uint32_t *shifted)
{
	unsigned n = 0;

	*releases = 0, *shifted = 0;
	for (int quiet = 0; quiet < 10 && n < room - 1;) {
		uint32_t ev[32];
		size_t got = 0;
		if (input_read(kbd, 32, 1000, ev, &got) != E_OK)
			break;
		quiet = got ? 0 : quiet + 1;
		for (size_t i = 0; i < got; i++) {
			char c = (char)(ev[i] & 0xFF);
			if (ev[i] & RELEASED)
				(*releases)++;
			else if (ev[i] & SHIFT)
				(*shifted)++;
			if (c == '\n') {
				line[n] = '\0';
				return n;
			}
			if (c && n < room - 1)
				line[n++] = c;
		}
	}
	line[n] = '\0';
	return n;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus");
	char line[64];
	unsigned releases;
	uint32_t shifted, ev[4];
	size_t n = 9;

	(void)argc, (void)argv, (void)envp;
	kbd = proc_slot(0);
	check(bus_wait(bus, "input/kbd", 10000, kbd) == E_OK, "find input/kbd on the bus", 0);
	check(input_read(kbd, 4, 200, ev, &n) == E_OK && n == 0, "a read with no key ends empty at its timeout", (long)n);
	check(input_leds(kbd, true, false, false) == E_OK, "caps lock light on", 0);
	check(input_leds(kbd, false, false, false) == E_OK, "and off", 0);
	printf("keycheck: type now\n");
	read_line(line, sizeof(line), &releases, &shifted);
	printf("keycheck: typed '%s'\n", line);
	check(releases >= 4, "releases are events too", (long)releases);
	check(shifted >= 2, "shifted keys say so", (long)shifted);
	printf("keycheck: ctrl now\n");
	read_line(line, sizeof(line), &releases, &shifted);
	check(line[0] == 3, "ctrl-c types 0x03", (long)line[0]);
	return check_failed;
}
