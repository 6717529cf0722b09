/*
 * dhcp.h: a DHCP client (RFC 2131, options RFC 2132) over the stack's
 * UDP sockets, and its message codec (used by the tests' fake server and
 * the fuzzer too).
 *
 * The client is driven like the stack: dhcp_poll(now) handles replies
 * and timers and returns its next deadline.  On ACK it configures the
 * stack (address, mask, router, DNS servers); it renews at T1 (unicast),
 * rebinds at T2 (broadcast) and gives the address up when the lease ends.
 */
#ifndef MERCURY_NET_DHCP_H
#define MERCURY_NET_DHCP_H

#include "net.h"

enum dhcp_type {
	DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE, DHCP_ACK, DHCP_NAK,
	DHCP_RELEASE, DHCP_INFORM
};

/* One message, decoded: the fields and options the client uses. */
struct dhcp_msg {
	uint8_t op;             /* 1 request, 2 reply */
	uint8_t type;           /* option 53 */
	uint16_t flags, secs;
	uint32_t xid, ciaddr, yiaddr, siaddr;
	uint8_t chaddr[NET_MAC_LEN];
	uint32_t server_id, req_ip, mask, router, dns[2];
	uint32_t lease, t1, t2; /* seconds; 0 = absent */
};

#define DHCP_MSG_MAX 576

/* Encodes m into buf (at least DHCP_MSG_MAX bytes); returns its length. */
size_t dhcp_encode(const struct dhcp_msg *m, uint8_t *buf);
/* Decodes a message; returns 0 or -NET_EPROTO if it is malformed
   (short, bad cookie, options running past the end, no type). */
int dhcp_decode(const uint8_t *buf, size_t len, struct dhcp_msg *m);

enum dhcp_state {
	DHCP_INIT, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING,
	DHCP_REBINDING, DHCP_STOPPED
};

struct dhcp_client {
	struct net *n;
	int sd;
	enum dhcp_state state;
	uint32_t xid;
	int tries;
	uint64_t deadline;      /* next retransmission or state change */
	uint64_t started;       /* for secs */
	uint64_t t1, t2, expiry; /* absolute times of the lease */
	struct dhcp_msg offer;  /* the OFFER being requested */
	struct dhcp_msg lease;  /* the ACK we hold */
	uint32_t bad_msgs;      /* malformed or unmatched replies dropped */
};

/* Starts DISCOVER on stack n; returns 0 or -error (no UDP socket, port 68 taken). */
int dhcp_start(struct dhcp_client *c, struct net *n, uint64_t now);
/* Handles replies and timers; returns the next deadline. */
uint64_t dhcp_poll(struct dhcp_client *c, uint64_t now);
/* Sends RELEASE (if bound), unconfigures the stack and closes the socket. */
void dhcp_stop(struct dhcp_client *c, uint64_t now);
const char *dhcp_state_name(enum dhcp_state s);

#endif
