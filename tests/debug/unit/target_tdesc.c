/*
 * target_tdesc.c: the remote back end against a scripted stub (a thread
 * speaking just enough RSP) to pin down register layout handling: a target
 * description with its own order and numbering, an xi:include, a register
 * commented out, fs_base/gs_base, 'P' with the stub's register numbers,
 * and a CPU that switches from an i386 to an amd64 register set (the 'g'
 * reply changes size and the description is read again).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "acidtest.h"

static const char *xml32 =
	"<?xml version=\"1.0\"?><target><architecture>i386</architecture>"
	"<feature name=\"org.gnu.gdb.i386.core\">"
	"<reg name=\"eax\" bitsize=\"32\" regnum=\"0\"/><reg name=\"ecx\" bitsize=\"32\"/>"
	"<reg name=\"edx\" bitsize=\"32\"/><reg name=\"ebx\" bitsize=\"32\"/><reg name=\"esp\" bitsize=\"32\"/>"
	"<reg name=\"ebp\" bitsize=\"32\"/><reg name=\"esi\" bitsize=\"32\"/><reg name=\"edi\" bitsize=\"32\"/>"
	"<reg name=\"eip\" bitsize=\"32\"/><reg name=\"eflags\" bitsize=\"32\"/></feature></target>";
/* rip first, rax later, a comment hiding a register, the rest in an include */
static const char *xml64 =
	"<?xml version=\"1.0\"?><target><architecture>i386:x86-64</architecture>"
	"<feature name=\"test\"><reg name=\"rip\" bitsize=\"64\" regnum=\"0\"/>"
	"<!--reg name=\"rbx\" bitsize=\"64\"/--><reg name=\"eflags\" bitsize=\"32\"/>"
	"<reg name=\"st0\" bitsize=\"80\"/><reg name=\"rax\" bitsize=\"64\"/></feature>"
	"<xi:include href=\"seg.xml\"/></target>";
static const char *xml_seg =
	"<feature name=\"seg\"><reg name=\"fs_base\" bitsize=\"64\" regnum=\"7\"/>"
	"<reg name=\"gs_base\" bitsize=\"64\"/></feature>";

struct stub {
	int listen_fd, fd;
	int mode64;		/* after the first continue */
	uint8_t g32[40], g64[8 + 4 + 10 + 8 + 8 + 8];	/* regnums 0-3, 7, 8 (4-6 take no space) */
	int setp_regnum;	/* last 'P' number, -1 if none */
};

static void put(struct stub *s, const char *payload)
{
	char buf[4096];
	unsigned sum = 0;

	for (const char *p = payload; *p; p++)
		sum += (uint8_t)*p;
	int n = snprintf(buf, sizeof buf, "$%s#%02x", payload, sum & 0xff);
	if (write(s->fd, buf, n) != n)
		return;
	char ack;
	if (read(s->fd, &ack, 1) != 1)
		return;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void xfer_reply(struct stub *s, const char *doc, unsigned off)
{
	char buf[4096];
	size_t len = strlen(doc);

	snprintf(buf, sizeof buf, "l%s", off < len ? doc + off : "");	/* all of it: documents are short */
	put(s, buf);
}

static void answer(struct stub *s, char *pkt)
{
	char buf[4096];
	unsigned off;

	if (!strncmp(pkt, "qSupported", 10)) {
		put(s, "PacketSize=400;qXfer:features:read+");
	} else if (!strcmp(pkt, "?") || pkt[0] == 'c' || !strncmp(pkt, "vCont;c", 7)) {
		if (pkt[0] != '?')
			s->mode64 = 1;
		put(s, "S05");
	} else if (sscanf(pkt, "qXfer:features:read:target.xml:%x", &off) == 1) {
		xfer_reply(s, s->mode64 ? xml64 : xml32, off);
	} else if (sscanf(pkt, "qXfer:features:read:seg.xml:%x", &off) == 1) {
		xfer_reply(s, xml_seg, off);
	} else if (!strcmp(pkt, "g")) {
		hex(s->mode64 ? s->g64 : s->g32, s->mode64 ? sizeof s->g64 : sizeof s->g32, buf);
		put(s, buf);
	} else if (pkt[0] == 'P') {
		s->setp_regnum = (int)strtol(pkt + 1, NULL, 16);
		put(s, "OK");
	} else {
		put(s, "");
	}
}

static void *serve(void *arg)
{
	struct stub *s = arg;
	char pkt[4096];
	size_t n = 0;
	int in = 0;
	char ch;

	s->fd = accept(s->listen_fd, NULL, NULL);
	while (s->fd >= 0 && read(s->fd, &ch, 1) == 1) {
		if (ch == '$') {
			in = 1, n = 0;
		} else if (in && ch == '#') {
			char cs[2];
			if (read(s->fd, cs, 2) != 2 || write(s->fd, "+", 1) != 1)
				break;
			pkt[n] = 0;
			in = 0;
			if (pkt[0] == 'D' || pkt[0] == 'k') {
				put(s, "OK");
				break;
			}
			answer(s, pkt);
		} else if (in && n + 1 < sizeof pkt) {
			pkt[n++] = ch;
		}
	}
	close(s->fd);
	return NULL;
}

static void le(uint8_t *p, uint64_t v, int n)
{
	memcpy(p, &v, n);
}

int main(void)
{
	static struct stub s = { .setp_regnum = -1 };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	char err[256], addr[32];
	pthread_t th;
	struct acid_regs r;
	struct target_stop st;

	le(s.g32 + 0, 0x11111111, 4);	/* eax */
	le(s.g32 + 16, 0x7000, 4);	/* esp */
	le(s.g32 + 32, 0xfff0, 4);	/* eip */
	le(s.g64 + 0, 0xffffffff80106520ull, 8);	/* rip */
	le(s.g64 + 22, 0x2222222222222222ull, 8);	/* rax after eflags and st0 */
	le(s.g64 + 30, 0xffff800000001000ull, 8);	/* fs_base */
	s.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(s.listen_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(s.listen_fd, 1) < 0 ||
	    getsockname(s.listen_fd, (struct sockaddr *)&a, &alen) < 0)
		return printf("Bail out! no socket\n"), 1;
	snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(a.sin_port));
	pthread_create(&th, NULL, serve, &s);

	struct target *t = target_remote(addr, err, sizeof err);
	if (!ok(t != NULL, "connected to the scripted stub (%s)", t ? "" : err))
		return done_testing();
	int got = target_get_regs(t, &r) == 0;
	ok(got && r.v[ACID_REG_RIP] == 0xfff0 && r.v[ACID_REG_RAX] == 0x11111111 && r.v[ACID_REG_RSP] == 0x7000,
	   "i386 description: eip, eax, esp by name (eip %llx)", (unsigned long long)r.v[ACID_REG_RIP]);
	ok(!(r.valid & (1u << ACID_REG_R8)) && !(r.valid & (1u << ACID_REG_FS_BASE)), "no r8 or fs_base in 32-bit mode");

	ok(target_cont(t, 0) == 0 && target_wait(t, &st) == 0, "continued; the CPU is in long mode now");
	memset(&r, 0, sizeof r);
	got = target_get_regs(t, &r) == 0;
	ok(got && r.v[ACID_REG_RIP] == 0xffffffff80106520ull, "bigger 'g' reply: description re-read, rip %llx",
	   (unsigned long long)r.v[ACID_REG_RIP]);
	ok(got && r.v[ACID_REG_RAX] == 0x2222222222222222ull, "rax found after an 80-bit register");
	ok(got && !(r.valid & (1u << ACID_REG_RBX)), "a register commented out of the description is absent");
	ok(got && r.v[ACID_REG_FS_BASE] == 0xffff800000001000ull && (r.valid & (1u << ACID_REG_GS_BASE)),
	   "fs_base and gs_base from an included feature (fs_base %llx)", (unsigned long long)r.v[ACID_REG_FS_BASE]);
	got = target_set_reg(t, ACID_REG_GS_BASE, 5) == 0;
	ok(got && s.setp_regnum == 8, "P uses the stub's number for gs_base (%d)",
	   s.setp_regnum);
	ok(target_set_reg(t, ACID_REG_R9, 5) < 0 && strstr(target_error(t), "not provided"), "r9 refused: %s",
	   target_error(t));
	target_close(t);
	pthread_join(th, NULL);
	close(s.listen_fd);
	return done_testing();
}
