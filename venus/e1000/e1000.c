/*
 * e1000: the driver of Intel's 82540EM gigabit controller (QEMU's e1000,
 * 8086:100e), venus/e1000, serving netif.ipc as "net0" through
 * mercury/dev/netdrv.c. Legacy descriptors: a receive ring of 32 buffers
 * of 2 KiB and a transmit ring of 16 in our DMA memory; a frame to send is
 * read from the client's buffer where it lies. INTx (the model has no MSI).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "devmgr.h"
#include "drvbuf.h"
#include "netdrv.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver e1000\n"
	"match vendor=8086 device=100e   # 82540EM, QEMU's e1000\n"
	"cap bar0            # the registers (128 KiB of MMIO)\n"
	"cap irq\n"
	"cap dma 80K         # the rings and the receive buffers\n"
	"cap mem             # clients' buffers\n"
	"cap timer           # receive timeouts\n"
	"serve net*            # net0, or the next number free\n";

#define CTRL	0x0000
#define STATUS	0x0008
#define EERD	0x0014
#define ICR	0x00C0
#define IMS	0x00D0
#define IMC	0x00D8
#define RCTL	0x0100
#define TCTL	0x0400
#define TIPG	0x0410
#define RDBAL	0x2800
#define RDBAH	0x2804
#define RDLEN	0x2808
#define RDH	0x2810
#define RDT	0x2818
#define TDBAL	0x3800
#define TDBAH	0x3804
#define TDLEN	0x3808
#define TDH	0x3810
#define TDT	0x3818
#define MTA	0x5200
#define RAL0	0x5400
#define RAH0	0x5404

#define CTRL_SLU	(1u << 6)
#define CTRL_ASDE	(1u << 5)
#define CTRL_RST	(1u << 26)
#define STATUS_LU	(1u << 1)
#define EERD_START	1u
#define EERD_DONE	(1u << 4)
#define RCTL_EN		(1u << 1)
#define RCTL_UPE	(1u << 3)
#define RCTL_MPE	(1u << 4)
#define RCTL_BAM	(1u << 15)
#define RCTL_SECRC	(1u << 26)
#define TCTL_EN		(1u << 1)
#define TCTL_PSP	(1u << 3)
#define I_TXDW		(1u << 0)
#define I_LSC		(1u << 2)
#define I_RXDMT0	(1u << 4)
#define I_RXO		(1u << 6)
#define I_RXT0		(1u << 7)
#define RX_DD		1
#define RX_EOP		2
#define TX_EOP		1
#define TX_IFCS		2
#define TX_RS		8
#define TX_DD		1

#define NRX	32
#define NTXD	16
#define RXBUF	2048

struct rx_desc {
	uint64_t addr;
	uint16_t length, csum;
	uint8_t status, errors;
	uint16_t special;
};

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso, cmd, status, css;
	uint16_t special;
};

/* DMA memory: the rings, then the receive buffers. */
#define DMA_RX		0
#define DMA_TX		4096
#define DMA_BUFS	8192
#define DMA_NEED	(DMA_BUFS + NRX * RXBUF)

static volatile uint8_t *regs;
static struct drv_dma dma;
static volatile struct rx_desc *rx;
static volatile struct tx_desc *tx;
static unsigned rx_next, tx_head, tx_tail;
static int tx_slot[NTXD];	/* the netdrv slot of each descriptor in flight, or -1 */
static hl_cptr_t irq;
static uint64_t dropped;
static struct netdrv_dev nic;

static uint32_t rd(unsigned r)
{
	return *(volatile uint32_t *)(regs + r);
}

static void wr(unsigned r, uint32_t v)
{
	*(volatile uint32_t *)(regs + r) = v;
}

static bool link_up(void)
{
	return (rd(STATUS) & STATUS_LU) != 0;
}

static bool rx_ready(void)
{
	return (rx[rx_next].status & RX_DD) != 0;
}

/* Gives descriptor i back to the device, with its buffer. */
static void rx_give(unsigned i)
{
	rx[i].status = 0;
	wr(RDT, i);		/* the tail is the last descriptor the device may fill */
}

static int rx_take(void *dst)
{
	for (;;) {
		volatile struct rx_desc *d = &rx[rx_next];
		unsigned i = rx_next, len = d->length;
		bool good;

		if (!(d->status & RX_DD))
			return -1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the status before the bytes */
		good = (d->status & RX_EOP) && !d->errors && len >= NETDRV_FRAME_MIN && len <= NETDRV_FRAME_MAX;
		if (good)
			memcpy(dst, dma.va + DMA_BUFS + i * RXBUF, len);
		else
			dropped++;	/* spanning buffers, a bad frame, a runt or a giant */
		rx_next = (rx_next + 1) % NRX;
		rx_give(i);
		if (good)
			return (int)len;
	}
}

static bool tx_send(uint64_t pa, uint16_t len, unsigned slot)
{
	unsigned next = (tx_tail + 1) % NTXD;

	if (next == tx_head)
		return false;		/* the ring is full */
	tx[tx_tail] = (struct tx_desc){ pa, len, 0, TX_EOP | TX_IFCS | TX_RS, 0, 0, 0 };
	tx_slot[tx_tail] = (int)slot;
	tx_tail = next;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the descriptor before the tail the device reads */
	wr(TDT, tx_tail);
	return true;
}

static void reap(void)
{
	while (tx_head != tx_tail && (tx[tx_head].status & TX_DD)) {
		if (tx_slot[tx_head] >= 0)
			netdrv_tx_done((unsigned)tx_slot[tx_head]);
		tx_slot[tx_head] = -1;
		tx_head = (tx_head + 1) % NTXD;
	}
}

static void on_irq(void)
{
	rd(ICR);		/* reading clears the causes and lowers the line */
	reap();
	hl_irq_handler_ack(irq);
}

static enum hl_error promiscuous(bool on)
{
	uint32_t r = rd(RCTL);

	wr(RCTL, on ? r | RCTL_UPE | RCTL_MPE : r & ~(RCTL_UPE | RCTL_MPE));
	return E_OK;
}

/* EEPROM word a, or -1 when the read never finishes. */
static int eeprom(unsigned a)
{
	wr(EERD, a << 8 | EERD_START);
	for (int i = 0; i < 100000; i++) {
		uint32_t v = rd(EERD);

		if (v & EERD_DONE)
			return (int)(v >> 16);
	}
	return -1;
}

static const char *start(void)
{
	const char *bar = getenv("DEV_BAR0_VA");
	uint32_t ral, rah;

	if (!bar || !drv_dma(&dma))
		return "no DEV_BAR0_VA or DEV_DMA";
	if (dma.size < DMA_NEED)
		return "DMA memory too small";
	regs = (volatile uint8_t *)strtoul(bar, NULL, 16);
	wr(IMC, 0xFFFFFFFFu);
	wr(CTRL, rd(CTRL) | CTRL_RST);
	for (int i = 0; rd(CTRL) & CTRL_RST; i++)
		if (i == 1000000)
			return "the device does not come out of reset";
	wr(IMC, 0xFFFFFFFFu);
	rd(ICR);
	wr(CTRL, rd(CTRL) | CTRL_SLU | CTRL_ASDE);
	ral = rd(RAL0), rah = rd(RAH0);
	if (!(rah & (1u << 31))) {	/* no address loaded: the EEPROM's */
		int w0 = eeprom(0), w1 = eeprom(1), w2 = eeprom(2);

		if (w0 < 0 || w1 < 0 || w2 < 0)
			return "the EEPROM does not answer";
		ral = (uint32_t)w0 | (uint32_t)w1 << 16, rah = (uint32_t)w2;
		wr(RAL0, ral);
		wr(RAH0, rah | 1u << 31);
	}
	for (int i = 0; i < 4; i++)
		nic.mac[i] = (uint8_t)(ral >> (8 * i));
	nic.mac[4] = (uint8_t)rah, nic.mac[5] = (uint8_t)(rah >> 8);
	for (unsigned i = 0; i < 128; i++)
		wr(MTA + 4 * i, 0);

	rx = (volatile struct rx_desc *)(dma.va + DMA_RX);
	tx = (volatile struct tx_desc *)(dma.va + DMA_TX);
	for (unsigned i = 0; i < NRX; i++)
		rx[i] = (struct rx_desc){ dma.pa + DMA_BUFS + i * RXBUF, 0, 0, 0, 0, 0 };
	memset((void *)tx, 0, NTXD * sizeof(*tx));
	for (unsigned i = 0; i < NTXD; i++)
		tx_slot[i] = -1;
	wr(RDBAL, (uint32_t)(dma.pa + DMA_RX));
	wr(RDBAH, (uint32_t)((dma.pa + DMA_RX) >> 32));
	wr(RDLEN, NRX * sizeof(struct rx_desc));
	wr(RDH, 0);
	wr(RDT, NRX - 1);
	wr(RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);	/* 2 KiB buffers */
	wr(TDBAL, (uint32_t)(dma.pa + DMA_TX));
	wr(TDBAH, (uint32_t)((dma.pa + DMA_TX) >> 32));
	wr(TDLEN, NTXD * sizeof(struct tx_desc));
	wr(TDH, 0);
	wr(TDT, 0);
	wr(TIPG, 10 | 8 << 10 | 6 << 20);
	wr(TCTL, TCTL_EN | TCTL_PSP | 0x10 << 4 | 0x40 << 12);
	wr(IMS, I_RXT0 | I_RXO | I_RXDMT0 | I_LSC | I_TXDW);
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const char *why;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	nic = (struct netdrv_dev){ "e1000", { 0 }, 1000, rx_take, rx_ready, tx_send, reap, on_irq, link_up, promiscuous };
	if (!netdrv_init(&nic, &irq))
		return 1;
	if ((why = start())) {
		printf("e1000: %s\n", why);
		return 1;
	}
	hl_irq_handler_ack(irq);
	return netdrv_serve(&nic, getenv("DEV_SERVE") ? getenv("DEV_SERVE") : "net0");
}
