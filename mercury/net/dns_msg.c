/*
 * dns_msg.c: DNS message encoding and decoding (RFC 1035 4), with the
 * bounds that embedded resolvers have got wrong (NAME:WRECK, AMNESIA:33):
 * every length checked against the message, compression pointers only
 * backwards and at most DNS_MAX_JUMPS, names at most 255 bytes.
 */
#include "dns.h"
#include "net_int.h"

#define DNS_HDR 12
#define TYPE_A 1
#define TYPE_CNAME 5
#define CLASS_IN 1

int dns_encode_query(uint8_t *b, size_t cap, uint16_t id, const char *name)
{
	size_t n = strlen(name), pos = DNS_HDR;
	const char *p = name;

	if (n == 0 || n > 253 || cap < DNS_HDR + n + 2 + 4)
		return -NET_EINVAL;
	memset(b, 0, DNS_HDR);
	put16(b, id);
	b[2] = 0x01; /* RD */
	put16(b + 4, 1);
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63)
			return -NET_EINVAL;
		b[pos++] = (uint8_t)l;
		memcpy(b + pos, p, l);
		pos += l;
		p += l;
		if (*p == '.')
			p++;
	}
	b[pos++] = 0;
	put16(b + pos, TYPE_A);
	put16(b + pos + 2, CLASS_IN);
	return (int)(pos + 4);
}

int dns_read_name(const uint8_t *m, size_t len, size_t *pos, char out[DNS_NAME_MAX])
{
	size_t p = *pos, o = 0;
	int jumps = 0;
	bool jumped = false;

	for (;;) {
		if (p >= len)
			return -NET_EPROTO;
		uint8_t l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return -NET_EPROTO;
			size_t target = (size_t)(l & 0x3f) << 8 | m[p + 1];
			if (target >= p) /* only backwards: no loops */
				return -NET_EPROTO;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = target;
			continue;
		}
		if (l & 0xc0) /* 01 and 10 are reserved */
			return -NET_EPROTO;
		p++;
		if (l == 0)
			break;
		if (p + l > len || o + l + 1 >= DNS_NAME_MAX - 1)
			return -NET_EPROTO;
		if (o)
			out[o++] = '.';
		memcpy(out + o, m + p, l);
		o += l;
		p += l;
	}
	out[o] = 0;
	if (!jumped)
		*pos = p;
	return 0;
}

struct rr {
	char name[DNS_NAME_MAX];
	uint16_t type, cls;
	uint32_t ttl;
	size_t rdata, rdlen;
};

static int read_rr(const uint8_t *m, size_t len, size_t *pos, struct rr *r)
{
	if (dns_read_name(m, len, pos, r->name) < 0 || *pos + 10 > len)
		return -NET_EPROTO;
	r->type = get16(m + *pos);
	r->cls = get16(m + *pos + 2);
	r->ttl = get32(m + *pos + 4);
	r->rdlen = get16(m + *pos + 8);
	r->rdata = *pos + 10;
	if (r->rdata + r->rdlen > len)
		return -NET_EPROTO;
	*pos = r->rdata + r->rdlen;
	return 0;
}

/* One pass over the answers: A records of ans->name, or its CNAME. */
static int scan(const uint8_t *m, size_t len, size_t start, int count, struct dns_answer *ans,
		char *cname)
{
	size_t pos = start;
	struct rr r;

	cname[0] = 0;
	for (int i = 0; i < count; i++) {
		if (read_rr(m, len, &pos, &r) < 0)
			return -NET_EPROTO;
		if (r.cls != CLASS_IN || strcasecmp(r.name, ans->name))
			continue;
		if (r.type == TYPE_A) {
			if (r.rdlen != 4)
				return -NET_EPROTO;
			if (ans->naddrs < DNS_MAX_ADDRS)
				ans->addrs[ans->naddrs++] = get32(m + r.rdata);
			if (r.ttl < ans->ttl)
				ans->ttl = r.ttl;
		} else if (r.type == TYPE_CNAME) {
			size_t p = r.rdata;

			if (dns_read_name(m, len, &p, cname) < 0 || p != r.rdata + r.rdlen)
				return -NET_EPROTO;
			if (r.ttl < ans->ttl)
				ans->ttl = r.ttl;
		}
	}
	return 0;
}

int dns_decode_answer(const uint8_t *m, size_t len, uint16_t id, const char *qname,
		      struct dns_answer *ans)
{
	char name[DNS_NAME_MAX], cname[DNS_NAME_MAX];
	size_t pos = DNS_HDR;
	int an;

	memset(ans, 0, sizeof *ans);
	ans->ttl = UINT32_MAX;
	if (len < DNS_HDR || get16(m) != id || !(m[2] & 0x80) || (m[2] & 0x78) || get16(m + 4) != 1)
		return -NET_EPROTO;
	if (m[2] & 0x02) /* TC: the answer did not fit in UDP */
		return -NET_EPROTO;
	ans->rcode = m[3] & 15;
	if (dns_read_name(m, len, &pos, name) < 0 || pos + 4 > len || strcasecmp(name, qname) ||
	    get16(m + pos) != TYPE_A || get16(m + pos + 2) != CLASS_IN)
		return -NET_EPROTO;
	pos += 4;
	if (ans->rcode == 3)
		return -NET_ENOENT;
	if (ans->rcode)
		return -NET_EPROTO;
	an = get16(m + 6);
	strcpy(ans->name, qname);
	for (;;) {
		if (scan(m, len, pos, an, ans, cname) < 0)
			return -NET_EPROTO;
		if (ans->naddrs || !cname[0])
			break;
		if (++ans->cnames > DNS_MAX_CNAMES)
			return -NET_EPROTO;
		strcpy(ans->name, cname);
	}
	if (ans->ttl == UINT32_MAX)
		ans->ttl = 0;
	return 0;
}
