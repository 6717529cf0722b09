/*
 * uart.c: the 16550A's registers and the receive ring. Registers: 0 data
 * (DLL with LCR.DLAB), 1 interrupt enable (DLM with DLAB), 2 FIFO control,
 * 3 line control, 4 modem control, 5 line status, 7 scratch.
 */
#include "uart.h"

enum { DATA = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };

#define LSR_DR		0x01	/* a byte is waiting */
#define LSR_OE		0x02	/* the chip dropped a byte */
#define LSR_THRE	0x20	/* the transmit holding register is empty */
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define MCR_DTR_RTS_OUT2 0x0B	/* OUT2 gates the interrupt line on a PC */
#define IER_RX		0x01
#define FCR_ON		0xC7	/* FIFOs on and cleared, interrupt at 14 bytes */

bool uart_probe(struct uart *u)
{
	u->out(u->ctx, SCR, 0x5A);
	if (u->in(u->ctx, SCR) != 0x5A)
		return false;
	u->out(u->ctx, SCR, 0xA5);
	return u->in(u->ctx, SCR) == 0xA5;
}

int uart_setup(struct uart *u, uint32_t baud)
{
	uint32_t div;

	if (!baud || 115200 % baud)
		return -1;
	div = 115200 / baud;
	u->out(u->ctx, IER, 0);
	u->out(u->ctx, LCR, LCR_DLAB);
	u->out(u->ctx, DATA, (uint8_t)div);
	u->out(u->ctx, IER, (uint8_t)(div >> 8));
	u->out(u->ctx, LCR, LCR_8N1);
	u->out(u->ctx, FCR, FCR_ON);
	u->out(u->ctx, MCR, MCR_DTR_RTS_OUT2);
	u->out(u->ctx, IER, IER_RX);
	return 0;
}

size_t uart_drain(struct uart *u, struct uart_ring *rx)
{
	size_t n = 0;

	for (int i = 0; i < 4096; i++) {	/* bounded: a chip that always says ready cannot hold us */
		uint8_t lsr = u->in(u->ctx, LSR), b;
		if (lsr & LSR_OE)
			u->overruns++;
		if (!(lsr & LSR_DR))
			break;
		b = u->in(u->ctx, DATA);
		if (ring_put(rx, &b, 1))
			n++;
		else
			u->overruns++;
	}
	return n;
}

size_t uart_write(struct uart *u, const uint8_t *p, size_t n)
{
	size_t done = 0;

	for (int spins = 0; done < n && spins < 100000; spins++) {
		if (!(u->in(u->ctx, LSR) & LSR_THRE))
			continue;
		for (int k = 0; k < 16 && done < n; k++)	/* the FIFO takes 16 once empty */
			u->out(u->ctx, DATA, p[done++]);
	}
	return done;
}

size_t ring_put(struct uart_ring *r, const uint8_t *p, size_t n)
{
	size_t k = 0;

	for (; k < n && r->len < UART_RING; k++, r->len++)
		r->buf[(r->head + r->len) % UART_RING] = p[k];
	return k;
}

size_t ring_get(struct uart_ring *r, uint8_t *p, size_t n)
{
	size_t k = 0;

	for (; k < n && r->len; k++, r->len--, r->head = (r->head + 1) % UART_RING)
		p[k] = r->buf[r->head];
	return k;
}
