/*
 * ps2kbd: the PS/2 keyboard driver (venus/ps2kbd). It holds the i8042's
 * data port (0x60) and command/status port (0x64), IRQ 1 and a Timer, and
 * serves "input/kbd" (input.ipc): key events from scancode set 1 (the
 * controller translates), a US layout, in a ring of 256 events; reads wait
 * up to their timeout (mercury/dev/drvserve.c). No controller and the
 * driver says so and exits 0.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>

#include "bus_client.h"
#include "drvserve.h"
#include "input_server.h"
#include "ipc_rt.h"
#include "keymap.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver ps2kbd\n"
	"match isa=ps2\n"
	"cap bar0            # data port 0x60\n"
	"cap bar1            # command and status port 0x64\n"
	"cap irq\n"
	"cap timer           # read timeouts\n"
	"serve input/kbd\n";

#define DATA	0x60
#define CMD	0x64	/* reads as status */
#define ST_OUT	0x01	/* a byte waits at the data port */
#define ST_IN	0x02	/* the controller has not taken our last byte */
#define RING	256

static hl_cptr_t data_port, cmd_port, irq;
static struct drv_server srv;
static struct keymap_state keys;
static uint32_t ring[RING];
static unsigned head, len;
static uint64_t lost;

static uint8_t status(void) { return (uint8_t)hl_ioport_in8(cmd_port, CMD).value; }

/* Waits (bounded) for the controller to take a byte, then writes it. */
static bool put(hl_cptr_t port, uint16_t where, uint8_t v)
{
	for (int i = 0; i < 100000; i++)
		if (!(status() & ST_IN)) {
			hl_ioport_out8(port, where, v);
			return true;
		}
	return false;
}

static bool get(uint8_t *v)
{
	for (int i = 0; i < 100000; i++)
		if (status() & ST_OUT) {
			*v = (uint8_t)hl_ioport_in8(data_port, DATA).value;
			return true;
		}
	return false;
}

static void take_input(void)
{
	for (int i = 0; i < 64 && (status() & ST_OUT); i++) {
		uint32_t ev;
		uint8_t b = (uint8_t)hl_ioport_in8(data_port, DATA).value;
		if (!keymap_feed(&keys, b, &ev))
			continue;
		if (len == RING) {
			lost++;
			continue;
		}
		ring[(head + len++) % RING] = ev;
	}
}

static bool has_data(void) { return len != 0; }

static void on_irq(struct drv_server *s)
{
	(void)s;
	take_input();
	hl_irq_handler_ack(irq);
}

static size_t take(uint32_t *out, uint32_t max)
{
	size_t n = 0;

	for (; n < max && n < INPUT_READ_EVENTS_MAX && len; n++, len--, head = (head + 1) % RING)
		out[n] = ring[head];
	return n;
}

static void fill(struct drv_server *s, struct hl_msg *m, uint32_t max, uint64_t badge)
{
	uint32_t ev[INPUT_READ_EVENTS_MAX];
	size_t n = take(ev, max);
	struct ipc_cursor c;

	(void)s, (void)badge;
	ipc_write_begin(&c, m);
	ipc_put_array(&c, ev, n, INPUT_READ_EVENTS_MAX, IPC_U32);
	ipc_write_end(&c, E_OK);
}

static enum hl_error on_read(void *ctx, uint64_t badge, uint32_t max, uint64_t timeout_ms, uint32_t *events,
			     size_t *n)
{
	(void)ctx, (void)badge;
	take_input();
	*n = take(events, max);
	if (*n || !timeout_ms || !max)
		return E_OK;
	return drv_defer(&srv, max, timeout_ms);
}

static enum hl_error on_leds(void *ctx, uint64_t badge, bool caps, bool num, bool scroll)
{
	uint8_t ack;

	(void)ctx, (void)badge;
	if (!put(data_port, DATA, 0xED) || !get(&ack) || ack != 0xFA ||
	    !put(data_port, DATA, (uint8_t)(scroll | num << 1 | caps << 2)) || !get(&ack) || ack != 0xFA)
		return E_FAULT;		/* the keyboard did not acknowledge */
	return E_OK;
}

static void dispatch(struct drv_server *s, uint64_t badge, struct hl_msg *m)
{
	static const struct input_handlers h = { on_read, on_leds };

	(void)s;
	input_dispatch(&h, NULL, badge, m);
}

/* Flushes the controller, turns its keyboard interrupt on (translation
 * stays as the firmware left it: on) and the keyboard's scanning on. */
static bool controller_init(void)
{
	uint8_t cfg, ack;

	if (status() == 0xFF)
		return false;	/* a floating bus: no controller */
	for (int i = 0; i < 32 && (status() & ST_OUT); i++)
		hl_ioport_in8(data_port, DATA);
	if (!put(cmd_port, CMD, 0x20) || !get(&cfg))
		return false;
	if (!put(cmd_port, CMD, 0x60) || !put(data_port, DATA, (uint8_t)((cfg | 0x01) & ~0x10)))
		return false;	/* IRQ 1 on, keyboard clock on */
	return put(data_port, DATA, 0xF4) && get(&ack) && ack == 0xFA;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus");
	enum hl_error st;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	data_port = proc_cap("bar0"), cmd_port = proc_cap("bar1"), irq = proc_cap("irq");
	srv.fill = fill, srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !srv.timer || !data_port || !cmd_port || !irq || !bus) {
		printf("ps2kbd: missing a cap (bar0, bar1, irq, timer, bus, ep, reply)\n");
		return 1;
	}
	if (!controller_init()) {
		printf("ps2kbd: no i8042 keyboard controller answers; nothing to drive\n");
		return 0;
	}
	hl_irq_handler_ack(irq);
	if ((st = bus_register(bus, "input/kbd", srv.ep)) != E_OK) {
		printf("ps2kbd: cannot register \"input/kbd\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("ps2kbd: keyboard on, serving input/kbd\n");
	drv_serve(&srv, has_data);
}
