/*
 * ahci: the AHCI (SATA) driver (venus/ahci), the first port with a disk,
 * DMA commands (READ/WRITE DMA EXT, FLUSH CACHE EXT), INTx, serving
 * blockdev.ipc as "blk0" through mercury/dev/blkdrv.c. A client's buffer
 * is physically contiguous, so each command has one PRDT entry pointing
 * straight into it. A request's AHCI command slot is its blkdrv slot; a
 * task-file error fails what was in the port and restarts the port.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blkdrv.h"
#include "drvbuf.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver ahci\n"
	"match class=01 subclass=06 progif=01   # AHCI 1.0 SATA controller\n"
	"cap bar5            # ABAR: the HBA's registers\n"
	"cap irq\n"
	"cap dma 16K         # command list, received FISes, command tables\n"
	"cap mem             # clients' buffers\n"
	"serve blk*            # blk0, or the next number free\n";

#define CAP	0x00
#define GHC	0x04
#define IS	0x08
#define PI	0x0C
#define GHC_HR	(1u << 0)
#define GHC_IE	(1u << 1)
#define GHC_AE	(1u << 31)

#define P_CLB	0x00
#define P_CLBU	0x04
#define P_FB	0x08
#define P_FBU	0x0C
#define P_IS	0x10
#define P_IE	0x14
#define P_CMD	0x18
#define P_TFD	0x20
#define P_SIG	0x24
#define P_SSTS	0x28
#define P_SERR	0x30
#define P_CI	0x38
#define CMD_ST	(1u << 0)
#define CMD_FRE	(1u << 4)
#define CMD_FR	(1u << 14)
#define CMD_CR	(1u << 15)
#define IS_DHRS	(1u << 0)
#define IS_TFES	(1u << 30)
#define TFD_ERR	0x01
#define TFD_DRQ	0x08
#define TFD_BSY	0x80
#define SIG_DISK 0x00000101u

#define ATA_READ_DMA_EXT	0x25
#define ATA_WRITE_DMA_EXT	0x35
#define ATA_FLUSH_EXT		0xEA
#define ATA_IDENTIFY		0xEC

/* DMA memory: command list, received FIS area, a table per slot, IDENTIFY data. */
#define DMA_CL		0
#define DMA_FIS		1024
#define DMA_TABLES	4096	/* 256 bytes each: CFIS, then one PRDT entry at 0x80 */
#define DMA_ID		8192
#define DMA_NEED	(DMA_ID + 512)

struct cmd_header {
	uint16_t opts, prdtl;
	uint32_t prdbc;
	uint64_t ctba;
	uint32_t rsvd[4];
};

static volatile uint8_t *abar, *port;
static struct drv_dma dma;
static volatile struct cmd_header *cl;
static uint32_t busy;		/* slots issued to the port */
static unsigned port_no;
static hl_cptr_t irq;
static struct blkdrv_dev disk;

static uint32_t hba(unsigned r) { return *(volatile uint32_t *)(abar + r); }
static void hba_wr(unsigned r, uint32_t v) { *(volatile uint32_t *)(abar + r) = v; }
static uint32_t prd(unsigned r) { return *(volatile uint32_t *)(port + r); }
static void pwr(unsigned r, uint32_t v) { *(volatile uint32_t *)(port + r) = v; }

static bool spin_until(unsigned reg, uint32_t mask, uint32_t want)
{
	for (long i = 0; i < 2000000; i++) {
		if ((prd(reg) & mask) == want)
			return true;
		hl_yield();
	}
	return false;
}

/* Fills slot's header and table for command on count sectors at lba, data at pa (bytes). */
static void build(unsigned slot, uint8_t command, uint64_t lba, uint32_t count, uint64_t pa, uint32_t bytes,
		  bool write)
{
	volatile uint8_t *t = dma.va + DMA_TABLES + slot * 256;
	volatile uint8_t *f = t;
	uint64_t ta = dma.pa + DMA_TABLES + slot * 256;

	memset((void *)t, 0, 256);
	f[0] = 0x27;			/* H2D register FIS */
	f[1] = 0x80;			/* a command */
	f[2] = command;
	f[4] = (uint8_t)lba, f[5] = (uint8_t)(lba >> 8), f[6] = (uint8_t)(lba >> 16);
	f[7] = 0x40;			/* LBA mode */
	f[8] = (uint8_t)(lba >> 24), f[9] = (uint8_t)(lba >> 32), f[10] = (uint8_t)(lba >> 40);
	f[12] = (uint8_t)count, f[13] = (uint8_t)(count >> 8);
	if (bytes) {
		*(volatile uint64_t *)(t + 0x80) = pa;
		*(volatile uint32_t *)(t + 0x8C) = (bytes - 1) | 1u << 31;	/* byte count - 1, interrupt */
	}
	cl[slot] = (struct cmd_header){ (uint16_t)(5 | (write ? 1u << 6 : 0)), (uint16_t)(bytes ? 1 : 0), 0, ta,
					{ 0, 0, 0, 0 } };
}

static void issue(unsigned slot)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the table and header before the issue */
	busy |= 1u << slot;
	pwr(P_CI, 1u << slot);
}

static bool port_stop(void)
{
	pwr(P_CMD, prd(P_CMD) & ~CMD_ST);
	if (!spin_until(P_CMD, CMD_CR, 0))
		return false;
	pwr(P_CMD, prd(P_CMD) & ~CMD_FRE);
	return spin_until(P_CMD, CMD_FR, 0);
}

static bool port_start(void)
{
	pwr(P_SERR, 0xFFFFFFFFu);
	pwr(P_IS, 0xFFFFFFFFu);
	pwr(P_CMD, prd(P_CMD) | CMD_FRE);
	if (!spin_until(P_TFD, TFD_BSY | TFD_DRQ, 0))
		return false;
	pwr(P_CMD, prd(P_CMD) | CMD_ST);
	return true;
}

static void reap(void)
{
	uint32_t is = prd(P_IS), ci = prd(P_CI);

	pwr(P_IS, is);
	hba_wr(IS, 1u << port_no);
	if (is & IS_TFES) {	/* the device failed a command: what was in the port fails, the port restarts */
		for (unsigned s = 0; s < BLKDRV_REQS; s++)
			if (busy & (1u << s))
				blkdrv_done(s, E_FAULT);
		busy = 0;
		port_stop();
		port_start();
		return;
	}
	for (unsigned s = 0; s < BLKDRV_REQS; s++)
		if ((busy & (1u << s)) && !(ci & (1u << s))) {
			busy &= ~(1u << s);
			blkdrv_done(s, E_OK);
		}
}

static bool submit(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa, unsigned slot)
{
	if (busy & (1u << slot))
		return false;
	if (op == BLKDRV_FLUSH)
		build(slot, ATA_FLUSH_EXT, 0, 0, 0, 0, false);
	else
		build(slot, op == BLKDRV_READ ? ATA_READ_DMA_EXT : ATA_WRITE_DMA_EXT, lba, count, pa,
		      count * disk.block_size, op == BLKDRV_WRITE);
	issue(slot);
	return true;
}

static void on_irq(void)
{
	reap();
	hl_irq_handler_ack(irq);
}

/* IDENTIFY DEVICE in slot 0, polled: the size and model. */
static const char *identify(void)
{
	volatile uint16_t *w = (volatile uint16_t *)(dma.va + DMA_ID);
	uint64_t n;

	build(0, ATA_IDENTIFY, 0, 0, dma.pa + DMA_ID, 512, false);
	issue(0);
	if (!spin_until(P_CI, 1, 0) || (prd(P_TFD) & TFD_ERR))
		return "IDENTIFY DEVICE failed";
	busy = 0;
	pwr(P_IS, prd(P_IS));
	n = w[100] | (uint64_t)w[101] << 16 | (uint64_t)w[102] << 32 | (uint64_t)w[103] << 48;
	disk.blocks = n ? n : (w[60] | (uint64_t)w[61] << 16);
	disk.block_size = 512;
	for (int i = 0; i < 20; i++) {	/* words 27-46, each word's bytes swapped */
		disk.model[2 * i] = (char)(w[27 + i] >> 8);
		disk.model[2 * i + 1] = (char)w[27 + i];
	}
	for (int i = 39; i >= 0 && disk.model[i] == ' '; i--)
		disk.model[i] = '\0';
	disk.can_flush = true;
	return disk.blocks ? NULL : "the disk reports no sectors";
}

static const char *start(void)
{
	const char *bar = getenv("DEV_BAR5_VA");
	uint32_t pi;

	if (!bar || !drv_dma(&dma))
		return "no DEV_BAR5_VA or DEV_DMA";
	if (dma.size < DMA_NEED)
		return "DMA memory too small";
	abar = (volatile uint8_t *)strtoul(bar, NULL, 16);
	hba_wr(GHC, GHC_AE);
	hba_wr(GHC, GHC_AE | GHC_HR);
	for (int i = 0; hba(GHC) & GHC_HR; i++)
		if (i == 1000000)
			return "the HBA does not come out of reset";
	hba_wr(GHC, GHC_AE);
	if (((hba(CAP) >> 8) & 0x1F) + 1 < BLKDRV_REQS)
		return "the HBA has fewer command slots than we need";
	pi = hba(PI);
	memset(dma.va, 0, DMA_NEED);
	cl = (volatile struct cmd_header *)(dma.va + DMA_CL);
	/* The first port with its link up whose device says "disk" once its
	 * FIS area is on (the signature comes with the device's first FIS). */
	for (port_no = 0; port_no < 32; port_no++) {
		if (!(pi & (1u << port_no)))
			continue;
		port = abar + 0x100 + 0x80 * port_no;
		if ((prd(P_SSTS) & 0xF) != 3 || !port_stop())
			continue;
		pwr(P_CLB, (uint32_t)(dma.pa + DMA_CL));
		pwr(P_CLBU, (uint32_t)((dma.pa + DMA_CL) >> 32));
		pwr(P_FB, (uint32_t)(dma.pa + DMA_FIS));
		pwr(P_FBU, (uint32_t)((dma.pa + DMA_FIS) >> 32));
		if (port_start() && prd(P_SIG) == SIG_DISK)
			break;
		port_stop();
	}
	if (port_no == 32)
		return "no port has a disk";
	pwr(P_IE, IS_DHRS | IS_TFES);
	hba_wr(GHC, GHC_AE | GHC_IE);
	return identify();
}

int main(int argc, char **argv, char **envp)
{
	const char *why;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	disk = (struct blkdrv_dev){ .name = "ahci", .submit = submit, .reap = reap, .irq = on_irq };
	if (!blkdrv_init(&disk, &irq))
		return 1;
	if ((why = start())) {
		printf("ahci: %s\n", why);
		return 1;
	}
	hl_irq_handler_ack(irq);
	return blkdrv_serve(getenv("DEV_SERVE") ? getenv("DEV_SERVE") : "blk0");
}
