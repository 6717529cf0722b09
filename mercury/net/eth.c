/*
 * eth.c: Ethernet II framing.  Frames for our MAC or broadcast carrying
 * IPv4 or ARP go up; everything else is counted and dropped.
 */
#include "net_int.h"

const uint8_t eth_bcast[NET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void eth_input(struct net *n, const uint8_t *f, size_t len)
{
	uint16_t type;

	if (len < ETH_HDR || len > ETH_FRAME_MAX + 4) {
		n->st.rx_bad_eth++;
		return;
	}
	if (memcmp(f, n->cfg.mac, NET_MAC_LEN) && memcmp(f, eth_bcast, NET_MAC_LEN)) {
		n->st.rx_not_for_us++;
		return;
	}
	type = get16(f + 12);
	if (type == ETH_TYPE_IP)
		ip_input(n, f + ETH_HDR, len - ETH_HDR);
	else if (type == ETH_TYPE_ARP)
		arp_input(n, f + ETH_HDR, len - ETH_HDR);
	else
		n->st.rx_other_type++;
}

/* Fills in the header of frame (len bytes in all) and transmits it,
   padded to the 60-byte minimum. */
void eth_output(struct net *n, uint8_t *frame, size_t len, const uint8_t *dst, uint16_t type)
{
	memcpy(frame, dst, NET_MAC_LEN);
	memcpy(frame + 6, n->cfg.mac, NET_MAC_LEN);
	put16(frame + 12, type);
	if (len < 60) {
		memset(frame + len, 0, 60 - len);
		len = 60;
	}
	net_tx_frame(n, frame, len);
}
