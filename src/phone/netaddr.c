/* netaddr.c: wildcard-bind address discovery and URI host text
 * (netaddr.h). */
#include "phone/netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sip/udp.h"
#include "sip/uri.h"

bool
sl_ip_is_any(const struct sl_ip *ip)
{
	static const uint8_t zero[16];

	return ip->family == SL_AF_NONE || memcmp(ip->a, zero, sizeof(zero)) == 0;
}

enum sl_err
sl_route_source(const struct sl_ip *dst, struct sl_ip *out, char errbuf[SL_ERRBUF_SIZE])
{
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	memset(out, 0, sizeof(*out));
	if (dst->family == SL_AF_INET4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);	/* any port: connect() sends nothing */
		memcpy(&s4->sin_addr, dst->a, 4);
		len = sizeof(*s4);
	} else if (dst->family == SL_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		memcpy(&s6->sin6_addr, dst->a, 16);
		len = sizeof(*s6);
	} else {
		snprintf(errbuf, SL_ERRBUF_SIZE, "route lookup: no address family");
		return SL_EUSAGE;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "socket: %s", strerror(errno));
		return SL_EIO;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "no route: %s", strerror(errno));
		close(fd);
		return SL_EIO;
	}
	len = sizeof(ss);
	int rc = getsockname(fd, (struct sockaddr *)&ss, &len);
	close(fd);
	if (rc != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "getsockname: %s", strerror(errno));
		return SL_EIO;
	}
	out->family = dst->family;
	if (ss.ss_family == AF_INET)
		memcpy(out->a, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(out->a, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	return SL_OK;
}

char *
sl_uri_host(const struct sl_ip *ip, char out[SL_URI_HOST_LEN])
{
	char s[SL_IP_STRLEN];

	sl_ip_str(ip, s, sizeof(s));
	snprintf(out, SL_URI_HOST_LEN, ip->family == SL_AF_INET6 ? "[%s]" : "%s", s);
	return out;
}

char *
sl_uri_hostport(const struct sl_ip *ip, uint16_t port, char out[SL_URI_HOSTPORT_LEN])
{
	char h[SL_URI_HOST_LEN];

	sl_uri_host(ip, h);
	if (port == 0 || port == 5060)
		snprintf(out, SL_URI_HOSTPORT_LEN, "%s", h);
	else
		snprintf(out, SL_URI_HOSTPORT_LEN, "%s:%u", h, port);
	return out;
}

bool
sl_uri_endpoint(const char *uri, struct sl_endpoint *out)
{
	struct sl_str hostport = sl_str_c(uri);
	char hp[SL_URI_HOSTPORT_LEN + 8];

	memset(out, 0, sizeof(*out));
	if (sl_str_istarts(hostport, SL_STR("sip:")))
		return sl_sip_uri_dst(uri, out) && !sl_ip_is_any(&out->ip);
	if (hostport.n == 0 || hostport.n >= sizeof(hp))
		return false;
	memcpy(hp, hostport.p, hostport.n);
	hp[hostport.n] = '\0';
	return sl_udp_parse_endpoint(hp, 5060, out) && !sl_ip_is_any(&out->ip) &&
	    out->port != 0;
}
