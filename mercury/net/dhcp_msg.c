/*
 * dhcp_msg.c: the DHCP message codec (RFC 2131 2, RFC 2132).  Decoding
 * checks every length against the buffer and honours option overload
 * (52), which moves options into the file and sname fields.
 */
#include "dhcp.h"
#include "net_int.h"

#define DHCP_COOKIE 0x63825363u
#define OPT_OFF 240

static uint8_t *put_opt32(uint8_t *o, uint8_t code, uint32_t v)
{
	o[0] = code;
	o[1] = 4;
	put32(o + 2, v);
	return o + 6;
}

size_t dhcp_encode(const struct dhcp_msg *m, uint8_t *b)
{
	static const uint8_t params[] = { 1, 3, 6, 51, 54, 58, 59 };
	uint8_t *o = b + OPT_OFF;

	memset(b, 0, DHCP_MSG_MAX);
	b[0] = m->op;
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, m->xid);
	put16(b + 8, m->secs);
	put16(b + 10, m->flags);
	put32(b + 12, m->ciaddr);
	put32(b + 16, m->yiaddr);
	put32(b + 20, m->siaddr);
	memcpy(b + 28, m->chaddr, NET_MAC_LEN);
	put32(b + 236, DHCP_COOKIE);
	*o++ = 53;
	*o++ = 1;
	*o++ = m->type;
	if (m->req_ip)
		o = put_opt32(o, 50, m->req_ip);
	if (m->server_id)
		o = put_opt32(o, 54, m->server_id);
	if (m->mask)
		o = put_opt32(o, 1, m->mask);
	if (m->router)
		o = put_opt32(o, 3, m->router);
	if (m->dns[0]) {
		*o++ = 6;
		*o++ = m->dns[1] ? 8 : 4;
		put32(o, m->dns[0]);
		o += 4;
		if (m->dns[1]) {
			put32(o, m->dns[1]);
			o += 4;
		}
	}
	if (m->lease)
		o = put_opt32(o, 51, m->lease);
	if (m->t1)
		o = put_opt32(o, 58, m->t1);
	if (m->t2)
		o = put_opt32(o, 59, m->t2);
	if (m->op == 1) {
		*o++ = 55;
		*o++ = sizeof params;
		memcpy(o, params, sizeof params);
		o += sizeof params;
	}
	*o++ = 255;
	/* BOOTP's minimum: pad to 300 bytes (RFC 1542 3.2 relays expect it). */
	return (size_t)(o - b) < 300 ? 300 : (size_t)(o - b);
}

/* Parses one option area; *overload gets option 52's value. */
static int parse_opts(const uint8_t *o, size_t len, struct dhcp_msg *m, uint8_t *overload)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = o[i], l;
		const uint8_t *v;

		if (code == 0) {
			i++;
			continue;
		}
		if (code == 255)
			return 0;
		if (i + 1 >= len || i + 2 + (l = o[i + 1]) > len)
			return -NET_EPROTO;
		v = o + i + 2;
		switch (code) {
		case 53: if (l != 1) return -NET_EPROTO; m->type = v[0]; break;
		case 1: if (l != 4) return -NET_EPROTO; m->mask = get32(v); break;
		case 3: if (l < 4 || l % 4) return -NET_EPROTO; m->router = get32(v); break;
		case 6:
			if (l < 4 || l % 4)
				return -NET_EPROTO;
			m->dns[0] = get32(v);
			m->dns[1] = l >= 8 ? get32(v + 4) : 0;
			break;
		case 50: if (l != 4) return -NET_EPROTO; m->req_ip = get32(v); break;
		case 51: if (l != 4) return -NET_EPROTO; m->lease = get32(v); break;
		case 54: if (l != 4) return -NET_EPROTO; m->server_id = get32(v); break;
		case 58: if (l != 4) return -NET_EPROTO; m->t1 = get32(v); break;
		case 59: if (l != 4) return -NET_EPROTO; m->t2 = get32(v); break;
		case 52: if (l != 1 || v[0] < 1 || v[0] > 3) return -NET_EPROTO; *overload = v[0]; break;
		}
		i += 2 + (size_t)l;
	}
	return 0; /* an area may end without 255 when it is full */
}

int dhcp_decode(const uint8_t *b, size_t len, struct dhcp_msg *m)
{
	uint8_t overload = 0, ignored = 0;

	memset(m, 0, sizeof *m);
	if (len < OPT_OFF || (b[0] != 1 && b[0] != 2) || b[1] != 1 || b[2] != 6 ||
	    get32(b + 236) != DHCP_COOKIE)
		return -NET_EPROTO;
	m->op = b[0];
	m->xid = get32(b + 4);
	m->secs = get16(b + 8);
	m->flags = get16(b + 10);
	m->ciaddr = get32(b + 12);
	m->yiaddr = get32(b + 16);
	m->siaddr = get32(b + 20);
	memcpy(m->chaddr, b + 28, NET_MAC_LEN);
	if (parse_opts(b + OPT_OFF, len - OPT_OFF, m, &overload) < 0)
		return -NET_EPROTO;
	/* Overloaded fields may not overload again (RFC 2132 9.3). */
	if ((overload & 1) && parse_opts(b + 108, 128, m, &ignored) < 0)
		return -NET_EPROTO;
	if ((overload & 2) && parse_opts(b + 44, 64, m, &ignored) < 0)
		return -NET_EPROTO;
	return m->type >= DHCP_DISCOVER && m->type <= DHCP_INFORM ? 0 : -NET_EPROTO;
}
