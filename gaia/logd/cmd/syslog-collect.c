/*
 * syslog-collect: a collector on the host (docs/logs.md, "Receiving"):
 * listens on UDP and TCP, parses each record as RFC 5424 or RFC 3164 and
 * prints it as one line of fields, so tests can check what peers sent:
 *
 *   syslog-collect [-a addr] [-t tcpport] [-u udpport] [-P portfile] [-m max]
 *
 *   proto=tcp v=1 pri=16.3 host=H app=A procid=P msgid=M sd=N seq=S esc=E msg=TEXT
 *
 * (NILVALUE as "-"; seq and esc are the ares@32473 params when present;
 * control bytes in TEXT as \xNN). A record that does not parse prints
 * "proto=... error=WHY". TCP frames are octet-counted or newline-framed,
 * at most -m bytes (default 8192, rsyslog's default; longer ones are cut
 * and marked cut=1). Ports 0 let the system pick; the port file gets
 * "TCPPORT UDPPORT".
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "syslog.h"

enum { MAX_CONNS = 64 };

struct conn {
	int fd;
	struct syslog_deframer d;
	char *buf;
};

static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t stop;
static int year;
static size_t frame_max = 8192;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void put_str(const char *key, const struct syslog_str *s)
{
	printf(" %s=%.*s", key, s->len ? (int)s->len : 1, s->len ? s->p : "-");
}

/* One record as a line of fields. */
static void print_record(const char *proto, const char *p, size_t n, bool cut)
{
	struct syslog_record rec;
	const char *why = "";
	char scratch[256];
	const char *v;
	size_t i;

	printf("proto=%s", proto);
	if (syslog_parse(p, n, year, &rec, &why) != E_OK) {
		printf(" error=%s\n", why);
		fflush(stdout);
		return;
	}
	printf(" v=%d pri=%d.%d", rec.version, rec.facility, rec.severity);
	put_str("host", &rec.host);
	put_str("app", &rec.app);
	put_str("procid", &rec.procid);
	put_str("msgid", &rec.msgid);
	printf(" sd=%d", rec.nsd);
	v = syslog_sd_get(&rec, "ares@32473", "seq", scratch, sizeof scratch);
	printf(" seq=%s", v ? v : "-");
	v = syslog_sd_get(&rec, "ares@32473", "esc", scratch, sizeof scratch);
	printf(" esc=%s", v ? v : "-");
	if (cut)
		printf(" cut=1");
	printf(" msg=");
	for (i = 0; i < rec.msg.len; i++) {
		unsigned char c = (unsigned char)rec.msg.p[i];

		if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
	fflush(stdout);
}

static int listen_on(const char *addr, int port, bool tcp, int *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || (tcp && listen(fd, 16) < 0) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static void read_udp(int fd)
{
	static char dgram[65536];
	ssize_t n;

	while ((n = recv(fd, dgram, sizeof dgram, MSG_DONTWAIT)) >= 0)
		print_record("udp", dgram, (size_t)n, false);
}

static void close_conn(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

static void read_tcp(struct conn *c)
{
	char data[16384];
	ssize_t n = recv(c->fd, data, sizeof data, MSG_DONTWAIT);
	size_t off = 0;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_conn(c);
		return;
	}
	while (off < (size_t)n) {
		const char *frame;
		size_t flen;
		bool cut;

		off += syslog_deframe(&c->d, data + off, (size_t)n - off, &frame, &flen, &cut);
		if (frame != NULL)
			print_record("tcp", frame, flen, cut);
		if (c->d.failed) {
			printf("proto=tcp error=bad octet count, connection closed\n");
			fflush(stdout);
			close_conn(c);
			return;
		}
	}
}

static void accept_tcp(int lfd)
{
	int fd, i;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < MAX_CONNS && conns[i].fd >= 0; i++)
			;
		if (i == MAX_CONNS) {
			close(fd);
			continue;
		}
		conns[i].fd = fd;
		syslog_deframer_init(&conns[i].d, conns[i].buf, frame_max);
	}
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *portfile = NULL;
	int tport = 0, uport = 0, tfd, ufd, c, i;
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	while ((c = getopt(argc, argv, "a:t:u:P:m:")) != -1) {
		switch (c) {
		case 'a': addr = optarg; break;
		case 't': tport = atoi(optarg); break;
		case 'u': uport = atoi(optarg); break;
		case 'P': portfile = optarg; break;
		case 'm': frame_max = (size_t)atol(optarg); break;
		default:
			fprintf(stderr, "usage: syslog-collect [-a addr] [-t tcpport] [-u udpport] "
					"[-P portfile] [-m max]\n");
			return 2;
		}
	}
	if (frame_max < 16 || (tfd = listen_on(addr, tport, true, &tport)) < 0 ||
	    (ufd = listen_on(addr, uport, false, &uport)) < 0) {
		fprintf(stderr, "syslog-collect: cannot listen on %s: %s\n", addr, strerror(errno));
		return 1;
	}
	for (i = 0; i < MAX_CONNS; i++) {
		conns[i].fd = -1;
		if ((conns[i].buf = malloc(frame_max)) == NULL)
			return 1;
	}
	if (portfile != NULL) {
		FILE *f = fopen(portfile, "w");

		if (f == NULL || fprintf(f, "%d %d\n", tport, uport) < 0 || fclose(f) != 0)
			return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop) {
		struct pollfd p[MAX_CONNS + 2];
		int map[MAX_CONNS + 2], n = 2;

		p[0] = (struct pollfd){ tfd, POLLIN, 0 };
		p[1] = (struct pollfd){ ufd, POLLIN, 0 };
		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0) {
				p[n] = (struct pollfd){ conns[i].fd, POLLIN, 0 };
				map[n++] = i;
			}
		if (poll(p, (nfds_t)n, 200) < 0 && errno != EINTR)
			return 1;
		for (i = 2; i < n; i++)
			if (p[i].revents)
				read_tcp(&conns[map[i]]);
		if (p[1].revents)
			read_udp(ufd);
		if (p[0].revents)
			accept_tcp(tfd);
	}
	return 0;
}
