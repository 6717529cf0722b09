/*
 * net.h: the Ares TCP/IP stack (docs/net.md), portable C with no threads
 * and no allocation after net_init.
 *
 * The caller owns the loop: it feeds every received Ethernet frame to
 * net_input, calls net_poll when the deadline it returned has passed, and
 * gives the stack a function that transmits one frame.  Times are a
 * monotonic clock in nanoseconds, always passed in, never read.  All memory
 * (sockets, their byte rings, the packet pool) is carved from one arena at
 * net_init, so a flood can fill queues but never grow them.
 *
 * Sockets are small integers.  Every call is non-blocking: one that would
 * block returns -NET_EAGAIN, and net_sock_poll says which sockets are ready.
 * Addresses and ports are in host byte order.
 */
#ifndef MERCURY_NET_H
#define MERCURY_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Errors, returned negated.  The stack's own: the shared E_* enum has no
   connection states yet (docs/net.md says how they map). */
enum net_err {
	NET_OK = 0,
	NET_EINVAL,       /* bad argument or wrong socket state */
	NET_EBADF,        /* no such socket */
	NET_ENOMEM,       /* a table or the pool is full */
	NET_EAGAIN,       /* would block */
	NET_EADDRINUSE,   /* port already bound */
	NET_ENOTCONN,     /* not connected */
	NET_ECONNREFUSED, /* the peer answered the SYN with RST */
	NET_ECONNRESET,   /* the peer reset the connection */
	NET_ETIMEDOUT,    /* retransmissions or keepalives ran out */
	NET_EPIPE,        /* sending after shutdown */
	NET_EMSGSIZE,     /* datagram too large */
	NET_ENOENT,       /* DNS: no such name */
	NET_EPROTO,       /* DNS or DHCP: the server's answer was malformed or refused */
	NET_ERR_COUNT
};

/* A short English name for an error (positive or negated). */
const char *net_strerror(int err);

#define NET_MAC_LEN 6
#define NET_NO_DEADLINE UINT64_MAX

struct net_ifops {
	/* Transmit one Ethernet frame (no FCS).  Must not call back into
	   the stack; may drop the frame (the stack retransmits what matters). */
	void (*send)(void *ctx, const void *frame, size_t len);
	void *ctx;
};

struct net_config {
	uint8_t mac[NET_MAC_LEN];
	uint32_t addr, mask, gateway; /* 0 until configured (e.g. by DHCP) */
	uint32_t dns[2];
	uint16_t mtu;                 /* IP MTU, 576..1500 (0 = 1500) */
	uint8_t ttl;                  /* 0 = 64 */
	/* Sizing (0 = default): */
	uint16_t max_sockets;         /* 16 */
	uint32_t tcp_sndbuf, tcp_rcvbuf; /* 64 KiB each */
	uint16_t pkt_bufs;            /* frames for ARP, UDP and ping queues: 64 */
	uint16_t udp_queue;           /* datagrams queued per UDP socket: 8 */
	/* Timing (0 = default), nanoseconds: */
	uint64_t rto_min;             /* 1 s (RFC 6298 2.4) */
	uint64_t msl;                 /* 30 s: TIME_WAIT lasts 2 MSL */
	uint64_t delack;              /* 40 ms */
	uint64_t arp_ttl;             /* 60 s */
	uint64_t reass_timeout;       /* 30 s */
	uint32_t seed;                /* ISN secret, ephemeral ports, DHCP/DNS ids */
};

/* Counters: every packet that is dropped is counted in exactly one of them. */
struct net_stats {
	uint64_t rx_frames, tx_frames, tx_bytes, rx_bytes;
	uint64_t rx_bad_eth, rx_other_type, rx_not_for_us;
	uint64_t arp_rx, arp_bad, arp_tx, arp_queue_drops, arp_unresolved_drops;
	uint64_t ip_rx, ip_bad_header, ip_bad_cksum, ip_not_for_us, ip_bad_proto;
	uint64_t ip_frag_rx, ip_reassembled, ip_frag_drops, ip_frag_timeouts, ip_tx_frags;
	uint64_t icmp_rx, icmp_bad, icmp_echo_replied, icmp_unreach_tx;
	uint64_t udp_rx, udp_bad, udp_no_port, udp_queue_drops, udp_too_big;
	uint64_t tcp_rx, tcp_bad, tcp_bad_opt, tcp_rst_tx, tcp_no_port;
	uint64_t tcp_syn_drops, tcp_syn_evicted, tcp_challenge_acks;
	uint64_t tcp_retransmits, tcp_rto_expired, tcp_fast_retransmits;
	uint64_t tcp_ooo_segs, tcp_dup_segs, tcp_outside_window;
	uint64_t pool_empty;
};

struct net;

/* Bytes of arena net_init needs for cfg (after defaults are applied). */
size_t net_arena_size(const struct net_config *cfg);

/*
 * Builds a stack in arena (at least net_arena_size bytes, 16-byte aligned).
 * Returns the stack, or NULL if cfg is invalid or the arena too small.
 * If cfg->addr is set, a gratuitous ARP is sent at the first net_poll.
 */
struct net *net_init(void *arena, size_t len, const struct net_config *cfg,
		     const struct net_ifops *ops);

/* Feed one received frame.  Malformed frames are counted and dropped. */
void net_input(struct net *n, const void *frame, size_t len, uint64_t now);

/* Run the timers due at now; returns the next deadline (or NET_NO_DEADLINE). */
uint64_t net_poll(struct net *n, uint64_t now);

/* Set the address, mask and gateway (announced by gratuitous ARP). */
void net_set_addr(struct net *n, uint32_t addr, uint32_t mask, uint32_t gw, uint64_t now);
/* Set the DNS servers (0 = none) that dns.c uses. */
void net_set_dns(struct net *n, uint32_t dns0, uint32_t dns1);
const struct net_config *net_config(const struct net *n);
const struct net_stats *net_stats(const struct net *n);
/* Packet buffers free in the pool, and sockets in use (for flood tests). */
int net_pool_free(const struct net *n);
int net_sockets_used(const struct net *n);

/* --- ICMP echo --- */
/* Send an echo request with len bytes of data (len <= 1472 - 8 unless
   fragmented: up to 8192).  Returns 0 or -error. */
int net_ping(struct net *n, uint32_t dst, uint16_t id, uint16_t seq,
	     const void *data, size_t len, uint64_t now);
struct net_ping_reply {
	uint32_t from;
	uint16_t id, seq, len;
	uint64_t when; /* time it arrived */
};
/* Take the oldest echo reply received; returns 0 or -NET_EAGAIN. */
int net_ping_reply(struct net *n, struct net_ping_reply *out);

/* --- sockets --- */
enum net_sock_type { NET_SOCK_TCP = 1, NET_SOCK_UDP };
int net_socket(struct net *n, enum net_sock_type type);
/* Bind to a local port (0 = an ephemeral one). */
int net_bind(struct net *n, int sd, uint16_t port);
int net_listen(struct net *n, int sd, int backlog);
/* Returns a new socket for an established connection, or -NET_EAGAIN. */
int net_accept(struct net *n, int sd, uint32_t *peer, uint16_t *port);
/* Starts the handshake; completion shows as NET_POLL_OUT (or an error). */
int net_connect(struct net *n, int sd, uint32_t addr, uint16_t port, uint64_t now);
/* TCP: queues up to len bytes; returns how many (> 0) or -error. */
int net_send(struct net *n, int sd, const void *buf, size_t len, uint64_t now);
/* TCP: returns bytes read, 0 at end of stream, or -error (-NET_EAGAIN). */
int net_recv(struct net *n, int sd, void *buf, size_t len, uint64_t now);
/* UDP: one datagram each. */
int net_sendto(struct net *n, int sd, const void *buf, size_t len,
	       uint32_t addr, uint16_t port, uint64_t now);
int net_recvfrom(struct net *n, int sd, void *buf, size_t len,
		 uint32_t *addr, uint16_t *port);
enum { NET_SHUT_RD = 1, NET_SHUT_WR = 2, NET_SHUT_RDWR = 3 };
int net_shutdown(struct net *n, int sd, int how, uint64_t now);
/* Releases the socket; a TCP connection closes gracefully in the background. */
int net_close(struct net *n, int sd, uint64_t now);
/* Socket options. */
enum net_opt { NET_OPT_NODELAY = 1, NET_OPT_KEEPALIVE /* value: idle ms, 0 off */ };
int net_setopt(struct net *n, int sd, enum net_opt opt, uint64_t value);

enum { NET_POLL_IN = 1, NET_POLL_OUT = 2, NET_POLL_ERR = 4, NET_POLL_HUP = 8 };
struct net_pollfd { int sd; short events, revents; };
/* Fills revents for each entry; returns how many have any (never blocks:
   the caller waits for a frame or the deadline of net_poll). */
int net_sock_poll(struct net *n, struct net_pollfd *fds, int nfds);

/* TCP state name of a socket ("ESTABLISHED", ...), for status files. */
const char *net_sock_state(struct net *n, int sd);

#endif
