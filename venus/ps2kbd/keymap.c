/*
 * keymap.c: scancode set 1 to events, US layout. A make code is the key,
 * the same code | 0x80 its release; 0xE0 starts an extended key (arrows,
 * right ctrl/alt, keypad enter ...), which we report as 0x80 | code.
 */
#include "keymap.h"

static const char plain[0x3A] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[0x3A] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

enum { LCTRL = 0x1D, LSHIFT = 0x2A, RSHIFT = 0x36, LALT = 0x38, CAPS = 0x3A };

static bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

int keymap_feed(struct keymap_state *s, uint8_t byte, uint32_t *event)
{
	bool released = byte & 0x80, ext = s->extended;
	uint8_t code = byte & 0x7F;
	uint32_t ch = 0, key;

	if (byte == 0xE0) {
		s->extended = true;
		return 0;
	}
	s->extended = false;
	if (byte == 0xE1 || byte == 0x00 || byte == 0xFF || byte == 0xFA || byte == 0xFE)
		return 0;	/* pause prefix, errors, acknowledgements: not keys */
	if (ext && (code == LSHIFT || code == RSHIFT))
		return 0;	/* fake shifts around extended keys */
	if (!ext) {
		if (code == LSHIFT)
			s->shift_l = !released;
		else if (code == RSHIFT)
			s->shift_r = !released;
		else if (code == CAPS && !released)
			s->caps = !s->caps;
	}
	if (code == LCTRL)
		s->ctrl = !released;	/* left, or right (E0 1D) */
	if (code == LALT)
		s->alt = !released;
	bool shift = s->shift_l || s->shift_r;
	if (!ext && code < sizeof(plain)) {
		char c = plain[code];
		bool upper = shift ^ (s->caps && is_letter(c));
		ch = (uint8_t)(upper ? shifted[code] : c);
		if (s->ctrl && is_letter(c))
			ch = (uint32_t)(c - 'a' + 1);	/* ^A .. ^Z */
	} else if (ext && code == 0x1C) {
		ch = '\n';	/* keypad enter */
	} else if (ext && code == 0x35) {
		ch = '/';	/* keypad slash */
	}
	key = ext ? 0x80u | code : code;
	*event = (released ? 0 : ch) | key << 8 | (released ? KEY_RELEASED : 0) |
		 (shift ? KEY_SHIFT : 0) | (s->ctrl ? KEY_CTRL : 0) | (s->alt ? KEY_ALT : 0);
	return 1;
}
