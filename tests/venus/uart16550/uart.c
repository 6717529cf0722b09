/*
 * Host tests of venus/uart16550/uart.c against a simulated 16550: probing
 * (a chip, and a floating bus), the divisor and line settings, draining the
 * receive FIFO into the ring (and counting what is lost: chip overruns, a
 * full ring), writing as the transmitter takes bytes, the ring's wrap.
 */
#include <string.h>
#include "tap.h"
#include "uart.h"

static uint8_t regs[8], dll, dlm, lcr;
static uint8_t fifo[64];
static unsigned fifo_len, tx_count, tx_busy, present = 1, overrun;
static uint8_t tx[8192];

static uint8_t in(void *ctx, unsigned r)
{
	(void)ctx;
	if (!present)
		return 0xFF;
	if (r == 5) {
		uint8_t lsr = (fifo_len ? 1 : 0) | (overrun ? 2 : 0) | (tx_busy ? 0 : 0x20);
		overrun = 0;
		if (tx_busy)
			tx_busy--;
		return lsr;
	}
	if (r == 0 && !(lcr & 0x80)) {
		uint8_t b = fifo_len ? fifo[0] : 0;
		if (fifo_len)
			memmove(fifo, fifo + 1, --fifo_len);
		return b;
	}
	return r == 0 ? dll : r == 1 && (lcr & 0x80) ? dlm : r == 3 ? lcr : regs[r];
}

static void out(void *ctx, unsigned r, uint8_t v)
{
	(void)ctx;
	if (r == 3)
		lcr = v;
	else if (r == 0 && (lcr & 0x80))
		dll = v;
	else if (r == 1 && (lcr & 0x80))
		dlm = v;
	else if (r == 0)
		tx[tx_count++ % sizeof(tx)] = v;
	else
		regs[r] = v;
}

int main(void)
{
	struct uart u = { in, out, NULL, 0 };
	struct uart_ring rx = { .head = 0 };
	uint8_t big[UART_RING + 10], got[UART_RING + 10];
	size_t n;

	plan(19);
	ok(uart_probe(&u), "a chip answers through its scratch register");
	present = 0;
	ok(!uart_probe(&u), "a floating bus is no chip");
	present = 1;
	is_int(uart_setup(&u, 115200), 0, "115200 baud");
	ok(dll == 1 && dlm == 0 && lcr == 0x03, "divisor 1, 8N1, DLAB off");
	ok(regs[1] == 1 && regs[4] == 0x0B && regs[2] == 0xC7, "RX interrupt, OUT2, FIFOs on");
	is_int(uart_setup(&u, 9600), 0, "9600 baud");
	is_int(dll, 12, "divisor 12");
	is_int(uart_setup(&u, 7), -1, "7 baud: refused");
	is_int(uart_setup(&u, 0), -1, "0 baud: refused");

	memcpy(fifo, "hello", 5), fifo_len = 5;
	is_int(uart_drain(&u, &rx), 5, "drain 5 bytes");
	n = ring_get(&rx, got, sizeof(got));
	ok(n == 5 && !memcmp(got, "hello", 5), "the ring holds them in order");
	memcpy(fifo, "ab", 2), fifo_len = 2, overrun = 1;
	uart_drain(&u, &rx);
	is_int((int64_t)u.overruns, 1, "a chip overrun is counted");
	ring_get(&rx, got, sizeof(got));
	memset(big, 'x', sizeof(big));
	is_int(ring_put(&rx, big, sizeof(big)), UART_RING, "the ring takes 4096 and no more");
	fifo[0] = 'y', fifo_len = 1;
	uart_drain(&u, &rx);
	is_int((int64_t)u.overruns, 2, "a byte with no room in the ring is counted lost");
	is_int(ring_get(&rx, got, 10), 10, "take 10");
	is_int(ring_put(&rx, (const uint8_t *)"0123456789", 10), 10, "put 10 more: the ring wraps");
	n = ring_get(&rx, got, sizeof(got));
	ok(n == UART_RING && !memcmp(got + UART_RING - 10, "0123456789", 10), "and gives them back in order");

	tx_count = 0, tx_busy = 3;
	is_int(uart_write(&u, (const uint8_t *)"0123456789abcdefXYZ", 19), 19, "write 19 bytes as the chip takes them");
	ok(!memcmp(tx, "0123456789abcdefXYZ", 19), "in order");
	return done_testing();
}
