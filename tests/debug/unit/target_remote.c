/*
 * target_remote.c: the GDB remote protocol back end against Debian's
 * gdbserver: connect, PIE bias and libraries through qXfer:auxv and memory,
 * an int3 breakpoint written through 'M' and a Z0 breakpoint, a CFI
 * backtrace over the wire, fs_base through the stub's target description,
 * a register write, and the exit report.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acidtest.h"

int main(void)
{
	char err[256], bt[512], addr[32];
	int port = 20000 + getpid() % 20000;
	struct acid_regs fr[16];
	struct target_stop st;

	if (access("/usr/bin/gdbserver", X_OK) != 0) {
		printf("1..0 # SKIP gdbserver not installed\n");
		return 0;
	}
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
	pid_t gs = fork();
	if (gs == 0) {
		freopen("/dev/null", "w", stderr);
		execl("/usr/bin/gdbserver", "gdbserver", "--once", addr, prog_path("symprog", "O2"), (char *)NULL);
		_exit(127);
	}
	struct target *t = NULL;
	for (int i = 0; i < 50 && !t; i++) {
		usleep(100000);
		t = target_remote(addr, err, sizeof err);
	}
	if (!ok(t != NULL, "connected to gdbserver (%s)", t ? "" : err)) {
		kill(gs, SIGKILL);
		return done_testing();
	}
	ok(strcmp(target_kind(t), "remote") == 0 && (target_caps(t) & TARGET_CAN_BP), "remote target with Z0");
	struct sym *s = sym_open(prog_path("symprog", "O2"), err, sizeof err);
	uint8_t auxv[1024];
	long n = target_auxv(t, auxv, sizeof auxv);
	ok(n > 0 && sym_load_modules(s, auxv, n, target_mem_cb, t) >= 0, "auxv over the wire (%ld bytes)", n);
	struct sym_symbol leaf, rec;
	ok(sym_lookup(s, "leaf", &leaf) == 0 && leaf.addr > 0x500000000000ull, "PIE bias from AT_ENTRY");

	/* an int3 written through memory, as acid's library plants them */
	struct bp b;
	ok(bp_set(t, &b, leaf.addr) == 0, "int3 written through M");
	int rc = target_cont(t, 0) == 0 && target_wait(t, &st) == 0;
	ok(rc && st.event == TARGET_EV_BREAKPOINT && st.pc == leaf.addr,
	   "stops on the int3 with pc moved back (event %d pc %llx)", st.event, (unsigned long long)st.pc);
	sym_load_modules(s, auxv, n, target_mem_cb, t);
	backtrace(s, t, bt, sizeof bt, fr, 16);
	ok(strncmp(bt, "leaf recurse", 12) == 0 && strstr(bt, "main"), "remote backtrace: %s", bt);
	/* fs_base from the stub's target description: glibc's TCB starts with a pointer to itself */
	uint64_t fsb = 0, self = 0;
	int got = target_get_reg(t, ACID_REG_FS_BASE, &fsb) == 0 && fsb && target_read_mem(t, fsb, &self, 8) == 0;
	ok(got && self == fsb, "fs_base 0x%llx from the target description points at the TCB", (unsigned long long)fsb);
	uint64_t rax = 0;
	ok(target_set_reg(t, ACID_REG_RAX, 0x1234) == 0 && target_get_reg(t, ACID_REG_RAX, &rax) == 0 && rax == 0x1234,
	   "register write read back");
	bp_clear(t, &b);
	ok(target_step(t) == 0 && target_wait(t, &st) == 0 && st.event == TARGET_EV_STEP && st.pc != leaf.addr,
	   "single step");

	/* a target-side breakpoint */
	sym_lookup(s, "recurse", &rec);
	ok(target_bp_insert(t, leaf.addr) == 0, "Z0 accepted");
	ok(target_read_mem(t, 0, &rax, 8) < 0, "reading address 0 fails: %s", target_error(t));
	rc = target_cont(t, 0) == 0 && target_wait(t, &st) == 0;
	ok(rc && st.event == TARGET_EV_EXITED && st.code == 0, "Z0 at a done function: runs to exit 0 (event %d)", st.event);
	ok(!target_alive(t), "target is dead after exit");
	target_close(t);
	sym_close(s);
	waitpid(gs, NULL, 0);
	return done_testing();
}
