/*
 * serial.c: the COM1 16550 UART, the kernel's console.
 * Polled output only; the kernel never takes console input (user-space
 * drivers own the UART once they start).
 */
#include "cpu.h"
#include "../../arch.h"

#define COM1 0x3F8

/* Sets COM1 to 115200 8N1 with FIFOs. */
void arch_console_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xC7);	/* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

/* Writes n bytes to the console, turning \n into \r\n for terminals. */
void arch_console_write(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_write("\r", 1);
		while (!(inb(COM1 + 5) & 0x20))
			cpu_relax();
		outb(COM1, (unsigned char)s[i]);
	}
}
