/*
 * syslog-ship: the shipper on the host (docs/logs.md, "syslog-ship").
 * Each line of standard input becomes one RFC 5424 record sent to a
 * collector over UDP or TCP (octet-counted):
 *
 *   syslog-ship -t udp|tcp -p port [-a addr] [-H host] [-A app] [-P procid]
 *               [-f facility] [-q queue] [-b min_ms] [-B max_ms] [-w secs]
 *
 * An input line is "SEVERITY MSGID TEXT"; the record carries the
 * structured data [ares@32473 seq="N" esc="q\"b\\s\]"] (N counts lines
 * from 1; esc exercises the three escapes) and TEXT as a UTF-8 MSG. Lines
 * starting with "!" are commands: "!stats" prints the counters, "!drain
 * SECS" waits until the queue is empty (at most SECS). At end of input
 * the queue is drained for -w seconds (default 10), the counters are
 * printed, and the exit status is 0 if nothing was dropped or left.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ship_posix.h"

struct options {
	const char *host, *app, *procid;
	int facility;
};

static struct shipper sh;
static uint64_t seq;

static void print_stats(FILE *f)
{
	fprintf(f, "sent=%llu dropped=%llu invalid=%llu queued=%d connects=%llu failures=%llu "
		   "disconnects=%llu stalls=%llu truncated=%llu\n",
		(unsigned long long)sh.stats.sent, (unsigned long long)sh.stats.dropped_full,
		(unsigned long long)sh.stats.dropped_invalid, sh.count,
		(unsigned long long)sh.stats.connects, (unsigned long long)sh.stats.connect_failures,
		(unsigned long long)sh.stats.disconnects, (unsigned long long)sh.stats.stalls,
		(unsigned long long)sh.stats.truncated);
	fflush(f);
}

/* The time now with this machine's UTC offset. */
static struct syslog_time now_time(void)
{
	struct syslog_time t = { true, 0, 0, 0 };
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	t.sec = tv.tv_sec;
	t.usec = (uint32_t)tv.tv_usec;
	t.offset_min = (int)(tm.tm_gmtoff / 60);
	return t;
}

static void ship_line(const struct options *o, char *line)
{
	static const char esc[] = "q\"b\\s]";
	struct syslog_record rec = { 0 };
	char seqs[24], *msgid, *text, *end;
	const char *why = "";
	long sev = strtol(line, &end, 10);

	if (end == line || *end != ' ') {
		fprintf(stderr, "syslog-ship: line %llu: want SEVERITY MSGID TEXT\n",
			(unsigned long long)seq + 1);
		return;
	}
	msgid = end + 1;
	text = strchr(msgid, ' ');
	if (text != NULL)
		*text++ = '\0';
	snprintf(seqs, sizeof seqs, "%llu", (unsigned long long)++seq);
	rec.facility = o->facility;
	rec.severity = (int)sev;
	rec.time = now_time();
	rec.host = syslog_s(o->host);
	rec.app = syslog_s(o->app);
	rec.procid = syslog_s(o->procid);
	rec.msgid = syslog_s(msgid);
	rec.nsd = 1;
	rec.sd[0].id = syslog_s("ares@32473");
	rec.sd[0].nparams = 2;
	rec.sd[0].params[0].name = syslog_s("seq");
	rec.sd[0].params[0].value = syslog_s(seqs);
	rec.sd[0].params[1].name = syslog_s("esc");
	rec.sd[0].params[1].value = syslog_s(esc);
	rec.msg = syslog_s(text);
	rec.msg_utf8 = true;
	if (ship_enqueue(&sh, &rec, &why) == E_INVAL)
		fprintf(stderr, "syslog-ship: line %llu: %s\n", (unsigned long long)seq, why);
}

/* Runs the shipper until the queue is empty or ms pass. */
static void drain(uint64_t ms)
{
	uint64_t until = ship_posix_now() + ms;

	while (sh.count > 0 && ship_posix_now() < until) {
		uint64_t wait = ship_poll(&sh, ship_posix_now());
		struct timespec ts = { 0, (long)(wait < 10 ? (wait == 0 ? 1 : wait) : 10) * 1000000L };

		nanosleep(&ts, NULL);
	}
}

static void command(char *line)
{
	if (strcmp(line, "!stats") == 0)
		print_stats(stdout);
	else if (strncmp(line, "!drain ", 7) == 0)
		drain((uint64_t)(atof(line + 7) * 1000));
	else
		fprintf(stderr, "syslog-ship: unknown command %s\n", line);
}

/* Reads what stdin has; returns false at end of input. */
static bool read_input(const struct options *o)
{
	static char buf[65536];
	static size_t len;
	ssize_t n = read(0, buf + len, sizeof buf - 1 - len);
	char *nl, *start = buf;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0)
		return false;
	len += (size_t)n;
	while ((nl = memchr(start, '\n', len - (size_t)(start - buf))) != NULL) {
		*nl = '\0';
		if (start[0] == '!')
			command(start);
		else if (start[0] != '\0')
			ship_line(o, start);
		start = nl + 1;
	}
	len -= (size_t)(start - buf);
	memmove(buf, start, len);
	if (len == sizeof buf - 1)
		len = 0;	/* a line longer than the buffer: dropped */
	return true;
}

int main(int argc, char **argv)
{
	struct options o = { "ares-host", "syslog-ship", NULL, 16 };
	struct ship_config cfg = ship_config_default();
	struct ship_posix sp;
	struct ship_transport tr;
	const char *addr = "127.0.0.1", *proto = NULL;
	char pid[16];
	int port = 0, c, wait_secs = 10;
	bool eof = false;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	o.procid = pid;
	while ((c = getopt(argc, argv, "t:a:p:H:A:P:f:q:b:B:w:")) != -1) {
		switch (c) {
		case 't': proto = optarg; break;
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'H': o.host = optarg; break;
		case 'A': o.app = optarg; break;
		case 'P': o.procid = optarg; break;
		case 'f': o.facility = atoi(optarg); break;
		case 'q': cfg.queue_records = atoi(optarg); break;
		case 'b': cfg.backoff_min_ms = (uint64_t)atol(optarg); break;
		case 'B': cfg.backoff_max_ms = (uint64_t)atol(optarg); break;
		case 'w': wait_secs = atoi(optarg); break;
		default: proto = NULL; port = 0; optind = argc; break;
		}
	}
	if (proto == NULL || (strcmp(proto, "udp") != 0 && strcmp(proto, "tcp") != 0) || port <= 0) {
		fprintf(stderr, "usage: syslog-ship -t udp|tcp -p port [-a addr] [-H host] [-A app] "
				"[-P procid] [-f facility] [-q queue] [-b min_ms] [-B max_ms] [-w secs]\n");
		return 2;
	}
	if (!ship_posix_transport(&sp, addr, port, strcmp(proto, "tcp") == 0, &tr)) {
		fprintf(stderr, "syslog-ship: bad IPv4 address %s\n", addr);
		return 2;
	}
	if (!ship_init(&sh, &cfg, &tr)) {
		fprintf(stderr, "syslog-ship: bad queue or backoff settings, or out of memory\n");
		return 2;
	}
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	while (!eof) {
		uint64_t wait = ship_poll(&sh, ship_posix_now());
		struct pollfd p = { 0, POLLIN, 0 };

		poll(&p, 1, wait < 10 ? (int)(wait == 0 ? 1 : wait) : 10);
		if (p.revents & (POLLIN | POLLHUP))
			eof = !read_input(&o);
	}
	drain((uint64_t)wait_secs * 1000);
	print_stats(stdout);
	c = sh.count == 0 && sh.stats.dropped_full == 0 && sh.stats.dropped_invalid == 0 ? 0 : 1;
	ship_free(&sh);
	return c;
}
