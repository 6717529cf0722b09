/*
 * Host tests of venus/ps2kbd/keymap.c: letters, shift (both), caps lock
 * (letters only), ctrl, releases, extended keys and the fake shifts around
 * them, keypad enter, and bytes that are not keys.
 */
#include "tap.h"
#include "keymap.h"

static struct keymap_state s;

/* The character the byte sequence's last event types (or -1: no event). */
static int type(const uint8_t *b, int n)
{
	uint32_t ev = 0;
	int got = 0;

	for (int i = 0; i < n; i++)
		got = keymap_feed(&s, b[i], &ev);
	return got ? (int)(ev & 0xFF) : -1;
}

int main(void)
{
	uint32_t ev;

	plan(20);
	is_int(type((const uint8_t[]){ 0x1E }, 1), 'a', "a");
	is_int(type((const uint8_t[]){ 0x9E }, 1), 0, "a released types nothing");
	keymap_feed(&s, 0x9E, &ev);
	ok((ev & KEY_RELEASED) && ((ev >> 8) & 0xFF) == 0x1E, "the release names the key");
	is_int(type((const uint8_t[]){ 0x2A, 0x1E }, 2), 'A', "left shift a");
	is_int(type((const uint8_t[]){ 0x02 }, 1), '!', "shift 1");
	keymap_feed(&s, 0x02, &ev);
	ok(ev & KEY_SHIFT, "the event says shift is held");
	is_int(type((const uint8_t[]){ 0xAA, 0x1E }, 2), 'a', "shift released");
	is_int(type((const uint8_t[]){ 0x36, 0x0D, 0xB6 }, 2), '+', "right shift =");
	keymap_feed(&s, 0xB6, &ev);
	is_int(type((const uint8_t[]){ 0x3A, 0xBA, 0x1E }, 3), 'A', "caps lock: A");
	is_int(type((const uint8_t[]){ 0x02 }, 1), '1', "caps lock leaves digits alone");
	is_int(type((const uint8_t[]){ 0x2A, 0x1E, 0xAA }, 2), 'a', "caps lock and shift: a");
	keymap_feed(&s, 0xAA, &ev);
	type((const uint8_t[]){ 0x3A, 0xBA }, 2);
	is_int(type((const uint8_t[]){ 0x1D, 0x2E }, 2), 3, "ctrl c is 0x03");
	keymap_feed(&s, 0x9D, &ev);
	is_int(type((const uint8_t[]){ 0x2E }, 1), 'c', "ctrl released: c");
	is_int(type((const uint8_t[]){ 0xE0 }, 1), -1, "0xE0 alone is a prefix");
	keymap_feed(&s, 0x48, &ev);
	ok(((ev >> 8) & 0xFF) == 0xC8 && !(ev & 0xFF), "E0 48 (up arrow) is key 0xC8, no character");
	is_int(type((const uint8_t[]){ 0xE0, 0x2A, 0xE0, 0x48 }, 4), 0, "a fake shift around an extended key is dropped");
	keymap_feed(&s, 0x1E, &ev);
	ok(!(ev & KEY_SHIFT), "and shift was never held");
	is_int(type((const uint8_t[]){ 0xE0, 0x1C }, 2), '\n', "keypad enter");
	is_int(type((const uint8_t[]){ 0xFA }, 1), -1, "an acknowledgement is no key");
	is_int(type((const uint8_t[]){ 0x1C }, 1), '\n', "enter");
	return done_testing();
}
