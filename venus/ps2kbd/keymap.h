/*
 * venus/ps2kbd/keymap.h: turning PC scancode set 1 (what the i8042 gives
 * with translation on) into input.ipc events (portable, host-tested).
 */
#ifndef VENUS_PS2_KEYMAP_H
#define VENUS_PS2_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#define KEY_RELEASED	(1u << 16)
#define KEY_SHIFT	(1u << 17)
#define KEY_CTRL	(1u << 18)
#define KEY_ALT		(1u << 19)

struct keymap_state {
	bool extended;		/* the last byte was 0xE0 */
	bool shift_l, shift_r, ctrl, alt, caps;
};

/* Feeds one byte from the keyboard; returns 1 with *event set when it
 * completes a key event, 0 when it was a prefix or is ignored. */
int keymap_feed(struct keymap_state *s, uint8_t byte, uint32_t *event);

#endif
