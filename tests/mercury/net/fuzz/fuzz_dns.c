/*
 * fuzz_dns.c: libFuzzer target for the DNS decoder: the input is a
 * response (its first two bytes taken as the id asked for); the question
 * name is read from the input itself so the answer parser is reached,
 * and every offset is tried as the start of a name.
 */
#include <stdint.h>
#include <string.h>
#include "net_int.h"
#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char qname[DNS_NAME_MAX], name[DNS_NAME_MAX];
	struct dns_answer a;
	size_t pos = 12;

	if (size < 2)
		return 0;
	if (dns_read_name(data, size, &pos, qname) < 0)
		strcpy(qname, "example.com");
	dns_decode_answer(data, size, get16(data), qname, &a);
	for (size_t off = 0; off < size && off < 600; off++) {
		size_t p = off;
		dns_read_name(data, size, &p, name);
	}
	uint8_t q[DNS_MSG_MAX];
	if (size < DNS_NAME_MAX) {
		memcpy(name, data, size);
		name[size] = 0;
		dns_encode_query(q, sizeof q, 1, name);
	}
	return 0;
}
