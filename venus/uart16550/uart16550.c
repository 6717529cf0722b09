/*
 * uart16550: the driver of a 16550A serial port (venus/uart16550), here
 * COM2: the kernel keeps COM1 as its console. It holds its eight ports, its
 * IRQ line, a Timer, and the caps to serve "char/com2" (chardev.ipc).
 * Input is interrupt-driven into a 4 KiB ring; a read waits up to its
 * timeout for the first byte (up to three readers wait at once, each in a
 * spare Reply, woken by the IRQ or the Timer: mercury/dev/drvserve.c);
 * writes go out while the chip takes them.
 * Without a chip at the ports the driver says so and exits 0.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "chardev_server.h"
#include "drvserve.h"
#include "ipc_rt.h"
#include "uart.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver uart16550\n"
	"match isa=com2\n"
	"cap bar0            # the eight ports\n"
	"cap irq\n"
	"cap timer           # read timeouts\n"
	"serve char/com2\n";

#define FLAG_RAW	1
#define FLAG_ECHO	2

static hl_cptr_t io, irq;
static uint64_t base;
static struct uart chip;
static struct uart_ring rx;
static unsigned mode_flags = FLAG_RAW;
static struct drv_server srv;

static uint8_t port_in(void *ctx, unsigned reg)
{
	(void)ctx;
	return (uint8_t)hl_ioport_in8(io, base + reg).value;
}

static void port_out(void *ctx, unsigned reg, uint8_t v)
{
	(void)ctx;
	hl_ioport_out8(io, base + reg, v);
}

/* Moves what the chip received into the ring, echoing it when asked:
 * every path that reads the chip comes here. */
static void take_input(void)
{
	uint8_t echo[64];
	size_t got;

	do {
		size_t before = rx.len;
		got = uart_drain(&chip, &rx);
		for (size_t i = 0; (mode_flags & FLAG_ECHO) && i < got; i += sizeof(echo)) {
			size_t k = got - i < sizeof(echo) ? got - i : sizeof(echo);
			for (size_t j = 0; j < k; j++)
				echo[j] = rx.buf[(rx.head + before + i + j) % UART_RING];
			uart_write(&chip, echo, k);
		}
	} while (got);
}

static bool has_data(void)
{
	return rx.len != 0;
}

static void on_irq(struct drv_server *s)
{
	(void)s;
	take_input();
	hl_irq_handler_ack(irq);
}

/* A waiting read's answer: what the ring holds, perhaps nothing. */
static void fill(struct drv_server *s, struct hl_msg *m, uint32_t max, uint64_t badge)
{
	uint8_t data[CHARDEV_READ_DATA_MAX];
	size_t n = ring_get(&rx, data, max < sizeof(data) ? max : sizeof(data));
	struct ipc_cursor c;

	(void)s, (void)badge;
	ipc_write_begin(&c, m);
	ipc_put_array(&c, data, n, CHARDEV_READ_DATA_MAX, IPC_U8);
	ipc_write_end(&c, E_OK);
}

static enum hl_error on_write(void *ctx, uint64_t badge, const uint8_t *data, size_t len, uint32_t *n)
{
	(void)ctx, (void)badge;
	*n = (uint32_t)uart_write(&chip, data, len);
	return E_OK;
}

static enum hl_error on_read(void *ctx, uint64_t badge, uint32_t max, uint64_t timeout_ms,
			     uint8_t *data, size_t *len)
{
	(void)ctx, (void)badge;
	take_input();
	*len = ring_get(&rx, data, max < CHARDEV_READ_DATA_MAX ? max : CHARDEV_READ_DATA_MAX);
	if (*len || !timeout_ms || !max)
		return E_OK;
	return drv_defer(&srv, max, timeout_ms);	/* E_BUSY: three readers wait already */
}

static enum hl_error on_set_mode(void *ctx, uint64_t badge, uint32_t baud, uint32_t flags)
{
	(void)ctx, (void)badge;
	if (!(flags & FLAG_RAW) || (flags & ~(uint32_t)(FLAG_RAW | FLAG_ECHO)))
		return E_INVAL;		/* raw only: line editing is the shell's */
	if (uart_setup(&chip, baud))
		return E_INVAL;		/* not 115200 / n */
	mode_flags = flags;
	return E_OK;
}

static enum hl_error on_status(void *ctx, uint64_t badge, uint32_t *pending, uint32_t *room)
{
	(void)ctx, (void)badge;
	take_input();
	*pending = (uint32_t)rx.len;
	*room = (port_in(NULL, 5) & 0x20) ? 16 : 0;
	return E_OK;
}

static void dispatch(struct drv_server *s, uint64_t badge, struct hl_msg *m)
{
	static const struct chardev_handlers h = { on_write, on_read, on_set_mode, on_status };

	(void)s;
	chardev_dispatch(&h, NULL, badge, m);
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *p;
	hl_cptr_t bus = proc_cap("bus");
	enum hl_error st;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	io = proc_cap("bar0"), irq = proc_cap("irq");
	srv.fill = fill, srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !srv.timer || !io || !irq || !bus || !grant ||
	    !(p = strstr(grant, "bar0=io:"))) {
		printf("uart16550: missing a cap (bar0, irq, timer, bus, ep, reply) or DEV_GRANT\n");
		return 1;
	}
	base = strtoul(p + 8, NULL, 16);
	chip = (struct uart){ port_in, port_out, NULL, 0 };
	if (!uart_probe(&chip)) {
		printf("uart16550: no 16550 at 0x%lx; nothing to drive\n", (unsigned long)base);
		return 0;
	}
	uart_setup(&chip, 115200);
	uart_drain(&chip, &rx);		/* what came before us */
	rx.len = rx.head = 0;
	hl_irq_handler_ack(irq);
	if ((st = bus_register(bus, "char/com2", srv.ep)) != E_OK) {
		printf("uart16550: cannot register \"char/com2\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("uart16550: 16550 at 0x%lx, 115200 8N1, serving char/com2\n", (unsigned long)base);
	drv_serve(&srv, has_data);
}
