/*
 * lbench: the Linux side of Ares' `make bench`.
 *
 * Boots as /init of a tiny initramfs under QEMU's TCG with
 * -icount shift=0,sleep=off, where the guest TSC advances one tick per
 * retired guest instruction, so an `lfence; rdtsc` delta is an exact
 * instruction count. The same static binary also runs on the host, with
 * few iterations, for the TAP test that keeps the measuring logic honest.
 *
 * Three parts: the clock (rdtsc, or clock_gettime for wall-clock figures),
 * the benches (each a setup, a timed round trip `op`, a teardown), and the
 * harness that warms each bench up, times every iteration on its own, and
 * prints the median as `bench <name> <median> <unit> n=<iterations>`.
 * Diagnostics are `# ` lines. Running as pid 1 it ends by writing its
 * status to QEMU's isa-debug-exit port.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define DEBUG_EXIT_PORT 0xf4

static int use_wall_clock;          /* -c: clock_gettime ns instead of TSC */
static const char *nop_path = "/lbench-nop";

/* --- clock ------------------------------------------------------------ */

/* The lfence keeps rdtsc from being read before earlier work retires. */
static inline uint64_t tsc_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t wall_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t clock_read(void)
{
	return use_wall_clock ? wall_read() : tsc_read();
}

/* --- errors ------------------------------------------------------------ */

/* Prints `lbench: what: why` (why from errno when fmt ends in ':'). */
static void warnf(const char *fmt, ...)
{
	int saved = errno;
	size_t len = strlen(fmt);
	va_list ap;

	fflush(stdout);
	fputs("lbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (len > 0 && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

/* --- null syscall -------------------------------------------------------- */

static int null_op(void)
{
	syscall(SYS_getppid);
	return 0;
}

/* --- pipe ping-pong ------------------------------------------------------ */

/* The parent writes a byte down ping and reads it back from pong; the
 * child echoes until it reads end-of-file. */
static int ping[2], pong[2];
static pid_t peer;

static void pipe_echo(void)
{
	char c;

	close(ping[1]);
	close(pong[0]);
	while (read(ping[0], &c, 1) == 1)
		if (write(pong[1], &c, 1) != 1)
			_exit(1);
	_exit(0);
}

/* Forks the peer, which runs echo (and does not return); -1 if fork fails. */
static int peer_start(void (*echo)(void))
{
	peer = fork();
	if (peer < 0) {
		warnf("fork:");
		return -1;
	}
	if (peer == 0)
		echo();
	return 0;
}

static int pipe_setup(void)
{
	if (pipe(ping) < 0 || pipe(pong) < 0) {
		warnf("pipe:");
		return -1;
	}
	if (peer_start(pipe_echo) < 0)
		return -1;
	close(ping[0]);
	close(pong[1]);
	return 0;
}

static int pipe_op(void)
{
	char c = 'x';

	if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
		return -1;
	return 0;
}

/* Waits for the echoing child; returns 0 when it exited cleanly. */
static int peer_reap(void)
{
	int st;

	if (waitpid(peer, &st, 0) != peer) {
		warnf("waitpid:");
		return -1;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int pipe_teardown(void)
{
	close(ping[1]);
	close(pong[0]);
	return peer_reap();
}

/* --- futex ping-pong ------------------------------------------------------ */

/* One word in a shared anonymous mapping: the parent sets it to PING and
 * wakes the child, which sets it back to IDLE and wakes the parent. QUIT
 * ends the child. Shared (not private) futexes, as across processes. */
enum { FUTEX_IDLE, FUTEX_PING, FUTEX_QUIT };
static uint32_t *futex_word;

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Sleeps while *word is still `val`. */
static void futex_await_change(uint32_t *word, uint32_t val)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val)
		futex(word, FUTEX_WAIT, val);
}

static void futex_echo(void)
{
	for (;;) {
		futex_await_change(futex_word, FUTEX_IDLE);
		if (__atomic_load_n(futex_word, __ATOMIC_ACQUIRE) == FUTEX_QUIT)
			_exit(0);
		__atomic_store_n(futex_word, FUTEX_IDLE, __ATOMIC_RELEASE);
		futex(futex_word, FUTEX_WAKE, 1);
	}
}

static int futex_setup(void)
{
	futex_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (futex_word == MAP_FAILED) {
		warnf("mmap:");
		return -1;
	}
	*futex_word = FUTEX_IDLE;
	return peer_start(futex_echo);
}

static int futex_op(void)
{
	__atomic_store_n(futex_word, FUTEX_PING, __ATOMIC_RELEASE);
	if (futex(futex_word, FUTEX_WAKE, 1) < 0)
		return -1;
	futex_await_change(futex_word, FUTEX_PING);
	return 0;
}

static int futex_teardown(void)
{
	int rc;

	__atomic_store_n(futex_word, FUTEX_QUIT, __ATOMIC_RELEASE);
	futex(futex_word, FUTEX_WAKE, 1);
	rc = peer_reap();
	munmap(futex_word, 4096);
	return rc;
}

/* --- spawn and exit -------------------------------------------------------- */

static int spawn_op(void)
{
	char *argv[] = { (char *)nop_path, NULL };
	pid_t pid;
	int st, err;

	err = posix_spawn(&pid, nop_path, NULL, NULL, argv, environ);
	if (err) {
		errno = err;
		warnf("posix_spawn %s:", nop_path);
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

/* --- harness -------------------------------------------------------------- */

struct bench {
	const char *name;
	int (*setup)(void);          /* may be NULL */
	int (*op)(void);             /* one timed round trip; 0 on success */
	int (*teardown)(void);       /* may be NULL; 0 on success */
	int spawn;                   /* uses the (smaller) spawn counts */
};

static const struct bench benches[] = {
	{ "linux_null_syscall", NULL, null_op, NULL, 0 },
	{ "linux_pipe_roundtrip", pipe_setup, pipe_op, pipe_teardown, 0 },
	{ "linux_futex_roundtrip", futex_setup, futex_op, futex_teardown, 0 },
	{ "linux_spawn_exit", NULL, spawn_op, NULL, 1 },
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts t[0..n) and returns its median (the upper middle when n is even). */
static uint64_t median(uint64_t *t, int n)
{
	qsort(t, n, sizeof t[0], cmp_u64);
	return t[n / 2];
}

/* Runs `warm` untimed then `n` timed iterations of b->op into t[];
 * returns 0, or -1 when any step failed. */
static int bench_run(const struct bench *b, uint64_t *t, int warm, int n)
{
	int i, rc = 0;
	uint64_t t0;

	if (b->setup && b->setup() < 0)
		return -1;
	for (i = 0; i < warm && rc == 0; i++)
		rc = b->op();
	for (i = 0; i < n && rc == 0; i++) {
		t0 = clock_read();
		rc = b->op();
		t[i] = clock_read() - t0;
	}
	if (b->teardown && b->teardown() < 0)
		rc = -1;
	if (rc)
		warnf("%s failed", b->name);
	return rc;
}

/* The cost of reading the clock itself, included in every figure. */
static uint64_t clock_overhead(uint64_t *t, int n)
{
	int i;
	uint64_t t0;

	for (i = 0; i < n; i++) {
		t0 = clock_read();
		t[i] = clock_read() - t0;
	}
	return median(t, n);
}

struct counts {
	int n, warm;                 /* ordinary benches */
	int spawn_n, spawn_warm;     /* linux_spawn_exit */
};

/* Runs every bench and prints its line; returns the number that failed. */
static int bench_all(const struct counts *c)
{
	int max = c->n > c->spawn_n ? c->n : c->spawn_n, failed = 0;
	const char *suffix = use_wall_clock ? "_ns" : "";
	const char *unit = use_wall_clock ? "ns" : "instructions";
	uint64_t *t = calloc(max, sizeof *t);
	size_t i;

	if (!t) {
		warnf("calloc:");
		return 1;
	}
	printf("# clock %s, reading it costs %llu %s\n",
	       use_wall_clock ? "CLOCK_MONOTONIC" : "lfence;rdtsc",
	       (unsigned long long)clock_overhead(t, max), unit);
	for (i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		const struct bench *b = &benches[i];
		int n = b->spawn ? c->spawn_n : c->n;

		if (bench_run(b, t, b->spawn ? c->spawn_warm : c->warm, n) < 0) {
			failed++;
			continue;
		}
		printf("bench %s%s %llu %s n=%d\n", b->name, suffix,
		       (unsigned long long)median(t, n), unit, n);
	}
	free(t);
	return failed;
}

/* --- process setup ----------------------------------------------------------- */

/* As /init we may start without a console on fds 0-2 if the initramfs
 * lacks /dev/console (the kernel's built-in one normally has it). */
static void init_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* Tells QEMU to exit with status (code << 1) | 1; does not return. */
static void qemu_exit(int code)
{
	fflush(stdout);
	fflush(stderr);
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
		outl(code ? 1 : 0x10, DEBUG_EXIT_PORT);	/* as helios/debugexit.h: success is not 0 */
	warnf("isa-debug-exit did not stop QEMU; powering off");
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* As /init, after the benches: the speculation mitigations the kernel
 * chose for this virtual CPU (those not `Not affected`), read from sysfs,
 * which is mounted only for this. */
static void report_mitigations(void)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	char path[512], line[256];
	struct dirent *e;
	DIR *d;
	FILE *f;

	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0 || !(d = opendir(dir))) {
		warnf("cannot read %s:", dir);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(line, sizeof line, f) && strncmp(line, "Not affected", 12))
			printf("# vulnerability %s: %s%s", e->d_name, line,
			       strchr(line, '\n') ? "" : "\n");
		fclose(f);
	}
	closedir(d);
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof set, &set) < 0)
		warnf("sched_setaffinity:");
}

static void usage(void)
{
	fputs("usage: lbench [-c] [-n iterations] [-w warm-up] [-s spawn-iterations]\n"
	      "              [-S spawn-warm-up] [-p nop-program]\n", stderr);
}

/* Parses the options into c; returns 0, or -1 on a bad option. As /init
 * we also get the kernel parameters it did not know (such as `nokaslr`,
 * which only the decompressor reads) as operands: they are ignored. */
static int parse_args(int argc, char **argv, struct counts *c, int as_init)
{
	int opt;

	while ((opt = getopt(argc, argv, "cn:w:s:S:p:")) != -1) {
		switch (opt) {
		case 'c': use_wall_clock = 1; break;
		case 'n': c->n = atoi(optarg); break;
		case 'w': c->warm = atoi(optarg); break;
		case 's': c->spawn_n = atoi(optarg); break;
		case 'S': c->spawn_warm = atoi(optarg); break;
		case 'p': nop_path = optarg; break;
		default: usage(); return -1;
		}
	}
	if (as_init)
		optind = argc;
	if (optind != argc || c->n < 1 || c->spawn_n < 1 ||
	    c->warm < 0 || c->spawn_warm < 0) {
		usage();
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct counts c = { 10000, 1000, 1000, 100 };
	int as_init = getpid() == 1, failed = 1;
	struct utsname u;

	if (as_init)
		init_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &c, as_init) == 0) {
		pin_to_cpu0();
		if (uname(&u) == 0)
			printf("# %s %s %s\n", u.sysname, u.release, u.version);
		failed = bench_all(&c);
	}
	if (as_init) {
		report_mitigations();
		qemu_exit(failed ? 1 : 0);
	}
	return failed ? 1 : 0;
}
