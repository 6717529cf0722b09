/*
 * uart16550: the driver of a 16550A serial port (venus/uart16550), here
 * COM2: the kernel keeps COM1 as its console. It holds its eight ports, its
 * IRQ line, a Timer, and the caps to serve "char/com2" (chardev.ipc).
 * Input is interrupt-driven into a 4 KiB ring; a read waits up to its
 * timeout for the first byte (up to three readers wait at once, each in a
 * spare Reply, woken by the IRQ or the Timer); writes go out while the chip
 * takes them. IRQ (badge 1) and Timer (badge 2) arrive as notifications
 * on the endpoint (init binds the notification to our thread).
 * Without a chip at the ports the driver says so and exits 0.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "chardev_server.h"
#include "ipc_rt.h"
#include "uart.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver uart16550\n"
	"match isa=com2\n"
	"cap bar0            # the eight ports\n"
	"cap irq\n"
	"cap timer           # read timeouts\n"
	"serve char/com2\n";

#define BADGE_IRQ	1
#define BADGE_TIMER	2
#define MAX_READERS	3
#define FLAG_RAW	1
#define FLAG_ECHO	2

static hl_cptr_t io, irq, timer, timer_note, reply;
static uint64_t base;
static struct uart chip;
static struct uart_ring rx;
static unsigned mode_flags = FLAG_RAW;

static struct reader {
	hl_cptr_t reply;	/* 0: free */
	uint32_t max;
	uint64_t deadline_us;
} readers[MAX_READERS];
static hl_cptr_t spare[MAX_READERS];
static unsigned nspare;

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

static uint64_t now_us(void)
{
	return hl_timer_now(timer).value;
}

/* Arms the timer for the earliest waiting reader. */
static void arm(void)
{
	uint64_t first = 0, now = now_us();

	for (int i = 0; i < MAX_READERS; i++)
		if (readers[i].reply && (!first || readers[i].deadline_us < first))
			first = readers[i].deadline_us;
	if (first)
		hl_timer_set(timer, timer_note, first > now ? first - now : 0, 0);
	else
		hl_timer_cancel(timer);
}

/* Answers reader r with what the ring holds (perhaps nothing). */
static void answer(struct reader *r)
{
	uint8_t data[CHARDEV_READ_DATA_MAX];
	size_t n = ring_get(&rx, data, r->max < sizeof(data) ? r->max : sizeof(data));
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct ipc_cursor c;

	ipc_write_begin(&c, &m);
	ipc_put_array(&c, data, n, CHARDEV_READ_DATA_MAX, IPC_U8);
	ipc_write_end(&c, E_OK);
	hl_reply(r->reply, &m);
	spare[nspare++] = r->reply;
	r->reply = 0;
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

static void on_irq(void)
{
	take_input();
	hl_irq_handler_ack(irq);
	for (int i = 0; i < MAX_READERS && rx.len; i++)
		if (readers[i].reply)
			answer(&readers[i]);
	arm();
}

static void on_timer(void)
{
	uint64_t now = now_us();

	for (int i = 0; i < MAX_READERS; i++)
		if (readers[i].reply && readers[i].deadline_us <= now)
			answer(&readers[i]);
	arm();
}

static int deferred;

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
	for (int i = 0; i < MAX_READERS; i++)
		if (!readers[i].reply && nspare) {
			readers[i] = (struct reader){ reply, max, now_us() + timeout_ms * 1000 };
			reply = spare[--nspare];	/* the call waits in the old one */
			deferred = 1;
			arm();
			return E_OK;
		}
	return E_BUSY;		/* three readers wait already */
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

static void serve(hl_cptr_t ep)
{
	static const struct chardev_handlers h = { on_write, on_read, on_set_mode, on_status };

	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r = hl_recv(ep, reply, &m);

		if (r.status != E_OK)
			continue;
		if (hl_msg_label(m.info) == HL_NOTIFY_LABEL) {
			if (r.value & BADGE_IRQ)
				on_irq();
			if (r.value & BADGE_TIMER)
				on_timer();
			ipc_reply_status(&m, E_INVAL);	/* a call posing as a notification */
			hl_reply(reply, &m);
			continue;
		}
		deferred = 0;
		chardev_dispatch(&h, NULL, r.value, &m);
		if (!deferred)
			hl_reply(reply, &m);
	}
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *p;
	hl_cptr_t bus = proc_cap("bus"), ep = proc_cap("ep");
	static const char *const spares[MAX_READERS] = { "reply1", "reply2", "reply3" };
	enum hl_error st;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	io = proc_cap("bar0"), irq = proc_cap("irq"), timer = proc_cap("timer");
	timer_note = proc_cap("timer.note"), reply = proc_cap("reply");
	for (int i = 0; i < MAX_READERS; i++)
		if ((spare[nspare] = proc_cap(spares[i])))
			nspare++;
	if (!io || !irq || !timer || !timer_note || !bus || !ep || !reply || !grant ||
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
	if ((st = bus_register(bus, "char/com2", ep)) != E_OK) {
		printf("uart16550: cannot register \"char/com2\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("uart16550: 16550 at 0x%lx, 115200 8N1, serving char/com2\n", (unsigned long)base);
	serve(ep);
	return 0;
}
