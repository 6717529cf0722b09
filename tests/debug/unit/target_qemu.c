/*
 * target_qemu.c: the remote back end against QEMU's gdbstub and the Helios
 * kernel. QEMU starts halted at the reset vector; a breakpoint on kmain
 * (set while paging is still off, so the stub may need Z1) and one on
 * arch_timer_init (reached with paging on) are hit in turn, and the
 * kernel's DWARF unwinds each to a backtrace naming kmain. QEMU runs in
 * its own process group, killed on every way out (exit, failure, alarm).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acidtest.h"

#define KERNEL_MB "build/kernel/helios.mb"
#define KERNEL_ELF "build/kernel/helios.elf"

static pid_t qemu;	/* leader of QEMU's process group, 0 once reaped */

static void kill_qemu(void)
{
	if (qemu > 0) {
		kill(-qemu, SIGKILL);
		waitpid(qemu, NULL, 0);
		qemu = 0;
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	if (qemu > 0)
		kill(-qemu, SIGKILL);
	printf("not ok - timed out after 30 s\nBail out! QEMU test hung\n");
	_exit(1);
}

/* A TCP port nobody listens on now (QEMU binds it a moment later). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static pid_t start_qemu(int port)
{
	char ports[16];
	pid_t pid = fork();

	snprintf(ports, sizeof ports, "%d", port);
	if (pid == 0) {
		setpgid(0, 0);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execl("tools/qemu-run", "qemu-run", "--gdb-port", ports, "--kernel", KERNEL_MB,
		      "--serial", "/dev/null", "--timeout", "28", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);	/* also here, so kill_qemu never races the child's own call */
	return pid;
}

/* Sets a target breakpoint at fn, runs to it, removes it. */
static int run_to(struct target *t, struct sym *s, const char *fn, struct target_stop *st)
{
	struct sym_symbol f;

	if (sym_lookup(s, fn, &f) < 0 || target_bp_insert(t, f.addr) < 0)
		return -1;
	if (target_cont(t, 0) < 0 || target_wait(t, st) < 0)
		return -1;
	target_bp_remove(t, f.addr);
	return st->event == TARGET_EV_BREAKPOINT && st->pc == f.addr ? 0 : -1;
}

int main(void)
{
	char err[256], bt[512], addr[32];
	struct acid_regs fr[16];
	struct target_stop st;
	struct target *t = NULL;

	if (access(KERNEL_MB, R_OK) || access(KERNEL_ELF, R_OK) || system("command -v qemu-system-x86_64 >/dev/null")) {
		printf("1..0 # SKIP no kernel image or no QEMU\n");
		return 0;
	}
	signal(SIGALRM, on_alarm);
	alarm(30);
	atexit(kill_qemu);
	int port = free_port();
	qemu = start_qemu(port);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
	for (int i = 0; i < 100 && !t && qemu > 0; i++) {
		usleep(100000);
		t = target_remote(addr, err, sizeof err);
	}
	if (!ok(t != NULL, "connected to QEMU's gdbstub on %s (%s)", addr, t ? "" : err))
		return done_testing();
	struct sym *s = sym_open(KERNEL_ELF, err, sizeof err);
	if (!ok(s != NULL, "kernel symbols (%s)", s ? "" : err))
		return done_testing();

	uint64_t pc = 0, cs = 0;
	int got = target_get_reg(t, ACID_REG_RIP, &pc) == 0 && target_get_reg(t, ACID_REG_CS, &cs) == 0;
	ok(got && pc == 0xfff0 && cs == 0xf000, "halted at the reset vector (cs:ip %llx:%llx)", (unsigned long long)cs,
	   (unsigned long long)pc);

	/* paging is off: a software breakpoint at the higher-half address may be refused */
	int hit = run_to(t, s, "kmain", &st) == 0;
	ok(hit, "breakpoint on kmain hit (event %d pc %llx %s)", st.event, (unsigned long long)st.pc, target_error(t));
	backtrace(s, t, bt, sizeof bt, fr, 16);
	ok(strncmp(bt, "kmain ", 6) == 0 && !strstr(bt, "kmain ?"), "backtrace at kmain names its caller: %s", bt);

	hit = run_to(t, s, "arch_timer_init", &st) == 0;
	ok(hit, "breakpoint on arch_timer_init hit (event %d pc %llx %s)", st.event, (unsigned long long)st.pc,
	   target_error(t));
	backtrace(s, t, bt, sizeof bt, fr, 16);
	ok(strncmp(bt, "arch_timer_init kmain", 21) == 0, "backtrace: %s", bt);
	uint64_t sp = 0, fsb = 0;
	got = target_get_reg(t, ACID_REG_RSP, &sp) == 0;
	ok(got && sp >= 0xffffffff80000000ull, "64-bit registers: rsp %llx in the kernel's half", (unsigned long long)sp);
	ok(target_get_reg(t, ACID_REG_FS_BASE, &fsb) == 0, "fs_base read from QEMU's target description (%llx)",
	   (unsigned long long)fsb);
	uint32_t word = 0, image = 1;
	struct sym_symbol km;
	got = sym_lookup(s, "kmain", &km) == 0 && sym_read_image(s, km.addr, &image, 4) == 0 &&
	      target_read_mem(t, km.addr, &word, 4) == 0;
	ok(got && word == image, "kernel text in memory matches the ELF (%08x)", word);

	target_kill(t);
	target_close(t);
	sym_close(s);
	kill_qemu();
	ok(qemu == 0, "QEMU stopped");
	return done_testing();
}
