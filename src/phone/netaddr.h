/* netaddr.h: the phone's view of its own addresses. A phone bound to the
 * wildcard (0.0.0.0 or ::) must still put a routable address into Via,
 * Contact, SDP and its trace: the kernel's route lookup towards the peer
 * gives the one the packets actually leave from. */
#ifndef SL_PHONE_NETADDR_H
#define SL_PHONE_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/addr.h"
#include "core/err.h"

/* "[v6]" needs 2 bytes more than the bare address */
#define SL_URI_HOST_LEN (SL_IP_STRLEN + 2)
/* host plus ":65535" */
#define SL_URI_HOSTPORT_LEN (SL_URI_HOST_LEN + 6)

bool sl_ip_is_any(const struct sl_ip *ip);

/* The source address the kernel picks to reach dst (a connected UDP
 * socket is created and closed; nothing is sent). SL_EIO with errbuf. */
enum sl_err sl_route_source(const struct sl_ip *dst, struct sl_ip *out /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);

/* The host of a SIP URI: "192.0.2.1" or "[2001:db8::1]". Returns out. */
char *sl_uri_host(const struct sl_ip *ip, char out[SL_URI_HOST_LEN]);
/* Host plus ":port" unless port is 5060 (or 0). Returns out. */
char *sl_uri_hostport(const struct sl_ip *ip, uint16_t port,
    char out[SL_URI_HOSTPORT_LEN]);

/* The endpoint of a sip: URI (sl_sip_uri_dst: IP literal, UDP) or of a
 * bare "host[:port]" the user typed (port 5060 when absent). False for
 * names, the wildcard address or anything unparsable. */
bool sl_uri_endpoint(const char *uri, struct sl_endpoint *out /* OUT */);

#endif
