/*
 * dns.h: a DNS stub resolver for A records (RFC 1035) over the stack's
 * UDP sockets, and its message codec (used by the tests and the fuzzer).
 *
 * A query goes to the stack's DNS servers (net_set_dns; DHCP sets them)
 * in turn, retried after 1, 2 and 4 s.  CNAME chains in the answer are
 * followed (at most DNS_MAX_CNAMES); a chain that ends without an A
 * record is asked again under its last name.  Names are read with
 * compression pointers bounded: each must point before the label that
 * holds it, at most DNS_MAX_JUMPS of them, the whole name at most 255
 * bytes.  Truncated (TC) answers are reported as -NET_EPROTO: there is
 * no TCP fallback yet.
 */
#ifndef MERCURY_NET_DNS_H
#define MERCURY_NET_DNS_H

#include "net.h"

#define DNS_NAME_MAX 256   /* dotted, with the NUL */
#define DNS_MAX_ADDRS 8
#define DNS_MAX_CNAMES 8
#define DNS_MAX_JUMPS 16
#define DNS_MSG_MAX 512
#define DNS_QUERIES 4

/* Builds a query for name (A, class IN, RD set); returns its length or -NET_EINVAL. */
int dns_encode_query(uint8_t *buf, size_t cap, uint16_t id, const char *name);

/* Reads the name at *pos in msg into out (dotted, lowercase kept as sent);
   *pos moves past it (past the first pointer, if any).  0 or -NET_EPROTO. */
int dns_read_name(const uint8_t *msg, size_t len, size_t *pos, char out[DNS_NAME_MAX]);

struct dns_answer {
	int rcode;
	int naddrs;
	uint32_t addrs[DNS_MAX_ADDRS];
	uint32_t ttl;               /* smallest TTL on the chain */
	char name[DNS_NAME_MAX];    /* the name the addresses belong to (after CNAMEs) */
	int cnames;                 /* CNAME hops followed */
};

/* Parses a response to query id for qname: checks the header and the
   echoed question, follows CNAMEs from qname, collects A records.
   Returns 0 (answer filled; naddrs may be 0), -NET_ENOENT (NXDOMAIN),
   -NET_EPROTO (malformed, mismatched, truncated or a server error). */
int dns_decode_answer(const uint8_t *msg, size_t len, uint16_t id, const char *qname,
		      struct dns_answer *ans);

struct dns_query {
	bool used, done;
	int err;                    /* when done: 0 or -error */
	uint16_t id;
	int tries, server, hops;
	uint64_t deadline;
	char name[DNS_NAME_MAX];    /* the name being asked (moves along a CNAME chain) */
	struct dns_answer ans;
};

struct dns_resolver {
	struct net *n;
	int sd;
	struct dns_query q[DNS_QUERIES];
	uint32_t bad_msgs;          /* malformed or unmatched responses dropped */
};

int dns_init(struct dns_resolver *r, struct net *n);
/* Starts a lookup; returns a handle (>= 0) or -error (-NET_ENOMEM: all busy). */
int dns_lookup(struct dns_resolver *r, const char *name, uint64_t now);
/* 0 with the answer when done, -NET_EAGAIN while pending, or the lookup's
   error (-NET_ENOENT, -NET_ETIMEDOUT, -NET_EPROTO).  A finished lookup's
   handle is freed by this call. */
int dns_result(struct dns_resolver *r, int h, struct dns_answer *out);
uint64_t dns_poll(struct dns_resolver *r, uint64_t now);
void dns_close(struct dns_resolver *r, uint64_t now);

#endif
