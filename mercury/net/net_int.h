/*
 * net_int.h: the stack's internals, shared by its layers (eth, arp, ip,
 * frag, icmp, udp, tcp_*, sock) and by nothing else.
 *
 * Layers pass frames as byte pointers; headers are read and written with
 * the big-endian helpers below, never through casts, so nothing depends on
 * alignment.  Output is built in n->tx (one frame) and handed to ip_output,
 * which either transmits it or parks a copy on the ARP entry it waits for.
 */
#ifndef MERCURY_NET_INT_H
#define MERCURY_NET_INT_H

#include "net.h"
#include <mercury/string.h>

#define ETH_HDR 14
#define ETH_FRAME_MAX 1514
#define NET_TX_MAX (14 + 20 + 8192) /* the largest datagram we send, before fragmenting */
#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
#define IP_HDR 20
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_BCAST 0xffffffffu
#define UDP_HDR 8
#define TCP_HDR 20
#define NET_SEC 1000000000ull
#define NET_MS 1000000ull

#define ARP_SLOTS 32
#define ARP_PENDING_MAX 4   /* frames held per unresolved address */
#define ARP_TRIES 3         /* requests, one a second, before giving up */
#define REASS_SLOTS 4
#define REASS_MAX 8192      /* largest datagram reassembled */
#define PING_QUEUE 16
#define TCP_OOO_RANGES 16
#define TCP_SACK_SCORE 8

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Sequence-space comparisons, modulo 2^32 (RFC 9293 3.4). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

/* A frame-sized buffer from the pool. */
struct net_buf {
	struct net_buf *next;
	uint32_t addr;   /* UDP: source; ARP queue: unused */
	uint16_t port;   /* UDP: source port */
	uint16_t len;
	uint8_t data[ETH_FRAME_MAX];
};

struct arp_entry {
	uint8_t state;         /* ARP_FREE, ARP_PENDING, ARP_VALID */
	uint8_t tries;
	uint8_t npending;
	uint8_t mac[NET_MAC_LEN];
	uint32_t ip;
	uint64_t deadline;     /* VALID: expiry; PENDING: next request */
	struct net_buf *pending;
};
enum { ARP_FREE, ARP_PENDING, ARP_VALID };

struct reass {
	bool used;
	uint8_t proto;
	uint16_t id;
	uint32_t src, dst;
	uint32_t total;        /* payload length, known once the last fragment came */
	uint32_t have;         /* bytes received */
	uint64_t deadline;
	uint8_t seen[REASS_MAX / 8 / 8]; /* one bit per 8-byte block */
	uint8_t data[REASS_MAX];
};

enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	TCP_TIME_WAIT
};

struct tcb {
	enum tcp_state state;
	int listener;          /* SYN_RECEIVED / not yet accepted: the listening socket, else -1 */
	bool accepted;
	/* send side (RFC 9293 3.3.1) */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd, max_snd_wnd;
	uint8_t snd_wscale, rcv_wscale;
	bool ws_ok, fin_queued, fin_sent, nodelay;
	bool sack_ok;          /* both SYNs carried SACK-permitted: we send SACK blocks */
	bool ts_ok;            /* both SYNs carried timestamps (RFC 7323 3) */
	uint32_t ts_recent;    /* the peer's TSval to echo */
	int ooo_recent;        /* the out-of-order range that changed last (first SACK block) */
	bool sws_override;     /* the persist timer fired: send a small segment anyway */
	uint16_t mss;          /* segment size we send: the peer's MSS, capped by our MTU */
	uint16_t mss_local;    /* the MSS we announce */
	uint64_t born;         /* when the SYN came: the oldest half-open one is evicted first */
	bool ooo_fin;          /* a FIN arrived beyond a hole, at ooo_fin_seq */
	uint32_t ooo_fin_seq;
	uint8_t *sbuf;         /* ring: byte at seq sb_seq is sbuf[sb_head] */
	uint32_t ssize, sb_head, sb_len, sb_seq;
	/* receive side */
	uint32_t irs, rcv_nxt, rcv_adv;
	uint8_t *rbuf;
	uint32_t rsize, rb_head, rb_len;
	struct { uint32_t start, end; } ooo[TCP_OOO_RANGES]; /* held beyond rcv_nxt */
	int nooo;
	bool fin_rcvd;         /* peer's FIN consumed (rcv_nxt past it) */
	bool rd_shut;
	/* the peer's SACK blocks above snd_una (a scoreboard, RFC 6675 lite) */
	struct { uint32_t start, end; } sacked[TCP_SACK_SCORE];
	int nsacked;
	uint32_t rexmit_next;  /* in recovery: holes below this were resent */
	/* congestion control (RFC 5681, 6582) */
	uint32_t cwnd, ssthresh, recover, dupacks;
	bool in_recovery;
	/* RTT (RFC 6298) */
	uint64_t srtt, rttvar, rto;
	bool rtt_timing, rto_backed_off;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	int retries;
	/* timers: absolute deadlines, 0 = off */
	uint64_t t_rexmit, t_delack, t_keep, t_timewait, t_persist;
	uint64_t keep_idle, last_rx;
	int keep_probes;
	uint32_t persist_backoff;
	int unacked_segs;      /* full segments received since the last ACK */
	uint64_t challenge_window;
	int challenge_count;
	int err;               /* pending error, reported once */
};

struct sock {
	uint8_t type;          /* 0 = free, NET_SOCK_TCP, NET_SOCK_UDP */
	bool user;             /* the user holds it (not yet closed) */
	uint16_t lport, rport;
	uint32_t laddr, raddr;
	/* listener */
	int backlog;
	/* UDP */
	struct net_buf *rxq, *rxq_tail;
	int nrxq;
	struct tcb tcb;
};

struct net {
	struct net_config cfg;
	struct net_ifops ops;
	struct net_stats st;
	uint64_t now;
	uint32_t rng;
	uint16_t ip_id, next_port;
	bool announce;         /* gratuitous ARP due */
	struct net_buf *free_bufs;
	int nfree;
	struct arp_entry arp[ARP_SLOTS];
	struct reass reass[REASS_SLOTS];
	struct sock *socks;
	struct net_ping_reply pings[PING_QUEUE];
	int ping_head, nping;
	uint8_t tx[NET_TX_MAX];
	uint8_t txfrag[ETH_FRAME_MAX];
};

/* util.c */
uint32_t net_rand(struct net *n);
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len);
uint16_t net_cksum_fold(uint32_t sum);
uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
struct net_buf *net_buf_get(struct net *n);
void net_buf_put(struct net *n, struct net_buf *b);
void net_tx_frame(struct net *n, const void *frame, size_t len);

/* eth.c */
void eth_input(struct net *n, const uint8_t *f, size_t len);
void eth_output(struct net *n, uint8_t *frame, size_t len, const uint8_t *dst, uint16_t type);
extern const uint8_t eth_bcast[NET_MAC_LEN];

/* arp.c */
void arp_input(struct net *n, const uint8_t *p, size_t len);
/* Sends the IP datagram at frame+ETH_HDR (len bytes with the Ethernet header) to nexthop. */
void arp_resolve_and_send(struct net *n, uint8_t *frame, size_t len, uint32_t nexthop);
void arp_announce(struct net *n);
uint64_t arp_timers(struct net *n);
void arp_request(struct net *n, uint32_t sender, uint32_t target);

/* ip.c */
void ip_input(struct net *n, const uint8_t *p, size_t len);
/* Sends payload (in n->tx at ETH_HDR + IP_HDR, plen bytes); fragments if needed. */
int ip_output(struct net *n, uint32_t src, uint32_t dst, uint8_t proto, size_t plen);
bool ip_is_local(const struct net *n, uint32_t dst);
/* frag.c */
/* Adds a fragment; returns the whole payload (and its length) when complete, else NULL. */
const uint8_t *frag_input(struct net *n, const uint8_t *ip, size_t hlen, size_t len, size_t *plen);
uint64_t frag_timers(struct net *n);

/* icmp.c */
void icmp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len);
/* Port unreachable for the datagram whose IP header is at ip (ip_len bytes). */
void icmp_unreachable(struct net *n, uint8_t code, const uint8_t *ip, size_t ip_len);

/* udp.c */
void udp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len,
	       const uint8_t *iph, size_t iplen);
void udp_flush(struct net *n, struct sock *s);

/* tcp_in.c, tcp_out.c, tcp_timer.c, tcp_opt.c */
struct tcp_opts {
	bool has_mss, has_ws, sack_ok, has_ts;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	int nsack;             /* SACK blocks (RFC 2018 3) */
	uint32_t sack[4][2];
};
/* A received segment, parsed (tcp_in.c) and acted on (tcp_ack.c). */
struct tcp_seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack, len;  /* len: data bytes */
	uint16_t wnd;
	uint8_t flags;
	const uint8_t *data;
	struct tcp_opts opt;
};

/* Parses TCP options; returns false on a malformed list. */
bool tcp_parse_opts(const uint8_t *p, size_t len, struct tcp_opts *o);
void tcp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len);
void tcp_output(struct net *n, struct sock *s);
void tcp_send_ack(struct net *n, struct sock *s);
void tcp_send_rst(struct net *n, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint32_t seq, uint32_t ack, bool with_ack);
int tcp_send_segment(struct net *n, struct sock *s, uint32_t seq, uint8_t flags,
		     uint32_t off, uint32_t dlen);
void tcp_set_state(struct net *n, struct sock *s, enum tcp_state st);
uint64_t tcp_timers(struct net *n, struct sock *s);
void tcp_rto_restart(struct net *n, struct tcb *t);
void tcp_init_tcb(struct net *n, struct sock *s);
uint32_t tcp_iss(struct net *n, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp);
void tcp_drop(struct net *n, struct sock *s, int err);
uint32_t tcp_rcv_window(const struct tcb *t);
uint32_t tcp_flight(const struct tcb *t);
const char *tcp_state_name(enum tcp_state st);
/* tcp_in.c and tcp_ack.c share these. */
void tcp_reset_for(struct net *n, const struct tcp_seg *g);
void tcp_update_window(struct tcb *t, const struct tcp_seg *g);
void tcp_challenge_ack(struct net *n, struct sock *s);
void tcp_rtt_sample(struct net *n, struct tcb *t, uint64_t r);
/* Returns false if the segment is finished with (dropped, or the socket gone). */
bool tcp_ack_input(struct net *n, struct sock *s, const struct tcp_seg *g);

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* sock.c */
struct sock *sock_get(struct net *n, int sd);
struct sock *sock_alloc(struct net *n, uint8_t type);
void sock_free(struct net *n, struct sock *s);
int sock_index(const struct net *n, const struct sock *s);
uint16_t sock_ephemeral(struct net *n, uint8_t type);

#endif
