/*
 * venus/uart16550/uart.h: a 16550A UART (portable: register access goes
 * through the two functions given, so the driver's logic is host-tested
 * against a simulated chip) and the byte rings between it and clients.
 */
#ifndef VENUS_UART_H
#define VENUS_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uart {
	uint8_t (*in)(void *ctx, unsigned reg);
	void (*out)(void *ctx, unsigned reg, uint8_t v);
	void *ctx;
	uint64_t overruns;	/* bytes the chip lost (LSR OE) or the ring had no room for */
};

#define UART_RING 4096

struct uart_ring {
	uint8_t buf[UART_RING];
	size_t head, len;
};

/* True when a 16550 answers at the ports (the scratch register holds a value). */
bool uart_probe(struct uart *u);
/* Sets baud (115200 / divisor) and 8N1, FIFOs on, receive interrupts on.
 * Returns 0, or -1 for a baud the chip cannot make. */
int uart_setup(struct uart *u, uint32_t baud);
/* Moves every received byte into rx (counting what is lost); returns how many. */
size_t uart_drain(struct uart *u, struct uart_ring *rx);
/* Writes bytes while the chip takes them; returns how many were taken. */
size_t uart_write(struct uart *u, const uint8_t *p, size_t n);

size_t ring_put(struct uart_ring *r, const uint8_t *p, size_t n);
size_t ring_get(struct uart_ring *r, uint8_t *p, size_t n);

#endif
