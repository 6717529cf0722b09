/*
 * ship_posix.h: the shipper's host transports, UDP and TCP over BSD
 * sockets (ship.h). Ares's logd will give the same three calls over the
 * network service.
 */
#ifndef LOGD_SHIP_POSIX_H
#define LOGD_SHIP_POSIX_H

#include <netinet/in.h>

#include "ship.h"

struct ship_posix {
	struct sockaddr_in addr;
	bool tcp;
	bool connected;		/* TCP: the connect has completed */
};

/* Fills sp for addr:port and returns the transport using it; false if
   addr is not an IPv4 address. */
bool ship_posix_transport(struct ship_posix *sp, const char *addr, int port, bool tcp,
			  struct ship_transport *out);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t ship_posix_now(void);

#endif
