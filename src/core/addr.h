/* addr.h: network endpoints (address family, address, port, transport)
 * as plain values: comparable with sl_ep_eq, hashable, printable. */
#ifndef SL_ADDR_H
#define SL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

enum sl_family { SL_AF_NONE = 0, SL_AF_INET4 = 4, SL_AF_INET6 = 6 };
enum sl_transport { SL_TP_NONE = 0, SL_TP_UDP = 17, SL_TP_TCP = 6 };

struct sl_ip {
	uint8_t family;		/* enum sl_family */
	uint8_t a[16];		/* IPv4 in the first 4 bytes, rest zero */
};

struct sl_endpoint {
	struct sl_ip ip;
	uint16_t port;
	uint8_t transport;	/* enum sl_transport */
};

/* "192.168.1.50" / "2001:db8::1" / "[2001:db8::1]:5060" / "192.168.1.50:5060" */
#define SL_IP_STRLEN 48
#define SL_EP_STRLEN 64

bool sl_ip_eq(const struct sl_ip *x, const struct sl_ip *y);
bool sl_ep_eq(const struct sl_endpoint *x, const struct sl_endpoint *y);
/* Total order: family, address bytes, port, transport. */
int sl_ep_cmp(const struct sl_endpoint *x, const struct sl_endpoint *y);
uint64_t sl_ep_hash(const struct sl_endpoint *e, uint64_t seed);

/* Text forms into caller storage of the sizes above; return out. */
char *sl_ip_str(const struct sl_ip *ip, char *out /* OUT */, size_t n);
char *sl_ep_str(const struct sl_endpoint *e, char *out /* OUT */, size_t n);

/* Could ip be one peer's unicast address? False for the unspecified
 * addresses (0.0.0.0/8, ::), the limited broadcast, multicast (224/4,
 * ff00::/8), the reserved 240/4, and IPv4-mapped IPv6 forms of those.
 * Loopback and private ranges are unicast. Where a peer names an address
 * we will send to (Contact, SDP), anything else would spray the LAN or
 * go nowhere. */
bool sl_ip_unicast(const struct sl_ip *ip);

/* Parse a literal IPv4 or IPv6 address (no brackets, no port). */
bool sl_ip_parse(struct sl_str s, struct sl_ip *out /* OUT */);

#endif
