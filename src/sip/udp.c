/* udp.c: sockets for udp.h; sockaddr conversions stay in this file.
 *
 * IP_RECVERR on an unconnected socket (Linux, net/ipv4/udp.c
 * __udp4_lib_err and its IPv6 twin): each ICMP error is queued on the
 * error queue AND stored as the pending socket error, which the next
 * sendto() or recvmsg() returns once, whoever it is addressed to.
 * Taking that errno clears only the pending error, not the queue entry;
 * reading the queue sets the pending error again when another ICMP entry
 * follows. So an ICMP errno from sendto/recvmsg is no verdict on this
 * call: it is retried, and the ICMP reaches the caller only through
 * sl_udp_recv_icmp (the queue keeps POLLERR up until it is read). */
#include "sip/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* attempts per send/recv: one for the call itself, the rest for pending
 * ICMP errors (or EINTR) met on the way; only an ICMP that arrives
 * between two attempts needs more than one retry */
#define ATTEMPTS 4

/* largest UDP payload in one IPv4 / IPv6 packet (no jumbograms): the
 * kernel refuses more with EMSGSIZE and queues a local error for it */
#define MAX_PAYLOAD4 (65535 - 20 - 8)
#define MAX_PAYLOAD6 (65535 - 8)

/* errnos the kernel derives from ICMP/ICMPv6 errors (icmp_err_convert,
 * icmpv6_err_convert), i.e. what a pending socket error can be */
static bool
icmp_errno(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
	case ENOPROTOOPT:
	case EPROTO:
	case EACCES:
	case EMSGSIZE:
	case EOPNOTSUPP:
		return true;
	default:
		return false;
	}
}

static socklen_t
to_sockaddr(const struct sl_endpoint *e, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (e->ip.family == SL_AF_INET4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(e->port);
		memcpy(&s4->sin_addr, e->ip.a, 4);
		return sizeof(*s4);
	}
	if (e->ip.family == SL_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(e->port);
		memcpy(&s6->sin6_addr, e->ip.a, 16);
		return sizeof(*s6);
	}
	return 0;
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct sl_endpoint *e)
{
	memset(e, 0, sizeof(*e));
	e->transport = SL_TP_UDP;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		e->ip.family = SL_AF_INET4;
		memcpy(e->ip.a, &s4->sin_addr, 4);
		e->port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		e->ip.family = SL_AF_INET6;
		memcpy(e->ip.a, &s6->sin6_addr, 16);
		e->port = ntohs(s6->sin6_port);
	}
}

bool
sl_udp_parse_endpoint(const char *s, uint16_t defport, struct sl_endpoint *out)
{
	struct sl_str all = sl_str_c(s), host = all, port = SL_STR_NULL;
	uint32_t pv = defport;

	memset(out, 0, sizeof(*out));
	if (all.n > 0 && all.p[0] == '[') {
		long close = sl_str_chr(all, ']');
		if (close < 0)
			return false;
		host = sl_str_make(all.p + 1, (size_t)close - 1);
		struct sl_str rest = sl_str_make(all.p + close + 1, all.n - (size_t)close - 1);
		if (rest.n > 0) {
			if (rest.p[0] != ':')
				return false;
			port = sl_str_make(rest.p + 1, rest.n - 1);
		}
	} else {
		long colon = sl_str_chr(all, ':');
		/* more than one colon without brackets: a bare IPv6 address */
		if (colon >= 0 && sl_str_chr(sl_str_make(all.p + colon + 1,
		    all.n - (size_t)colon - 1), ':') < 0) {
			host = sl_str_make(all.p, (size_t)colon);
			port = sl_str_make(all.p + colon + 1, all.n - (size_t)colon - 1);
		}
	}
	if (port.p != NULL && !sl_str_u32(port, 65535, &pv))
		return false;
	if (!sl_ip_parse(host, &out->ip))
		return false;
	out->port = (uint16_t)pv;
	out->transport = SL_TP_UDP;
	return true;
}

enum sl_err
sl_udp_open(struct sl_udp *u, const struct sl_endpoint *local,
    char errbuf[SL_ERRBUF_SIZE])
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(local, &ss);
	int one = 1;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	u->max = SL_UDP_MAX_DATAGRAM;
	if (sl == 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "udp: no address family");
		return SL_EUSAGE;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "socket: %s", strerror(errno));
		return SL_EIO;
	}
	if (ss.ss_family == AF_INET6) {
		/* one family per socket: an IPv6 bind must not steal IPv4 */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
		char ep[SL_EP_STRLEN];
		snprintf(errbuf, SL_ERRBUF_SIZE, "bind %s: %s",
		    sl_ep_str(local, ep, sizeof(ep)), strerror(errno));
		close(fd);
		return SL_EIO;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "getsockname: %s", strerror(errno));
		close(fd);
		return SL_EIO;
	}
	from_sockaddr(&ss, &u->local);
	u->fd = fd;
	return SL_OK;
}

void
sl_udp_close(struct sl_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

enum sl_err
sl_udp_send(struct sl_udp *u, const struct sl_endpoint *to, const void *p,
    size_t n, char errbuf[SL_ERRBUF_SIZE])
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(to, &ss);
	char ep[SL_EP_STRLEN];

	size_t fam_max = to->ip.family == SL_AF_INET6 ? MAX_PAYLOAD6 : MAX_PAYLOAD4;
	if (sl == 0 || n > u->max || n > fam_max) {
		u->st.tx_errors++;
		snprintf(errbuf, SL_ERRBUF_SIZE, "send to %s: %s",
		    sl_ep_str(to, ep, sizeof(ep)), sl ? "datagram too large" : "bad address");
		return SL_EUSAGE;
	}
	/* a pending ICMP error of another peer is no failure of this send
	 * (file comment); a real one repeats on every attempt */
	for (int tries = 0; tries < ATTEMPTS; tries++) {
		ssize_t w = sendto(u->fd, p, n, MSG_NOSIGNAL, (struct sockaddr *)&ss, sl);
		if (w == (ssize_t)n) {
			u->st.tx++;
			return SL_OK;
		}
		if (w < 0 && (errno == EINTR || icmp_errno(errno)))
			continue;
		if (w >= 0)
			errno = EMSGSIZE;	/* a short datagram write */
		break;
	}
	u->st.tx_errors++;
	snprintf(errbuf, SL_ERRBUF_SIZE, "send to %s: %s",
	    sl_ep_str(to, ep, sizeof(ep)), strerror(errno));
	return SL_EIO;
}

enum sl_udp_rx
sl_udp_recv(struct sl_udp *u, void *buf, size_t cap, size_t *n,
    struct sl_endpoint *from, char errbuf[SL_ERRBUF_SIZE])
{
	struct sockaddr_storage ss;
	struct iovec iov = { buf, cap };
	struct msghdr mh;

	*n = 0;
	memset(from, 0, sizeof(*from));
	memset(&mh, 0, sizeof(mh));
	memset(&ss, 0, sizeof(ss));
	mh.msg_name = &ss;
	mh.msg_namelen = sizeof(ss);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/* MSG_TRUNC makes the kernel return the real datagram length */
	ssize_t r = -1;
	for (int tries = 0; tries < ATTEMPTS && r < 0; tries++) {
		mh.msg_namelen = sizeof(ss);
		r = recvmsg(u->fd, &mh, MSG_TRUNC);
		/* a pending ICMP error is reported before queued data (file
		 * comment): taken now, the datagram is next */
		if (r < 0 && errno != EINTR && !icmp_errno(errno))
			break;
	}
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    icmp_errno(errno))
			return SL_UDP_RX_NONE;
		u->st.rx_errors++;
		snprintf(errbuf, SL_ERRBUF_SIZE, "recv: %s", strerror(errno));
		return SL_UDP_RX_ERROR;
	}
	from_sockaddr(&ss, from);
	if ((mh.msg_flags & MSG_TRUNC) || (size_t)r > cap || (size_t)r > u->max) {
		u->st.rx_refused++;
		*n = (size_t)r;
		return SL_UDP_RX_REFUSED;
	}
	u->st.rx++;
	*n = (size_t)r;
	return SL_UDP_RX_DATA;
}

/* The ICMP details of one error-queue entry; false when it is not an
 * ICMP/ICMPv6 error (a local one such as our own EMSGSIZE, which the
 * failed send already reported, has no offender, type or code). */
static bool
icmp_details(struct msghdr *mh, struct sl_ip *offender, uint8_t *type,
    uint8_t *code)
{
	/* bounded by msg_controllen: CMSG_NXTHDR stops at the end */
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
		bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
		struct sock_extended_err ee;
		if ((!v4 && !v6) || c->cmsg_len < CMSG_LEN(sizeof(ee)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			return false;
		/* SO_EE_OFFENDER: the sockaddr right after the struct */
		size_t room = c->cmsg_len - CMSG_LEN(sizeof(ee));
		struct sockaddr_storage off;
		memset(&off, 0, sizeof(off));
		memcpy(&off, CMSG_DATA(c) + sizeof(ee), room < sizeof(off) ? room : sizeof(off));
		struct sl_endpoint oe;
		from_sockaddr(&off, &oe);
		*offender = oe.ip;
		*type = ee.ee_type;
		*code = ee.ee_code;
		return true;
	}
	return false;
}

enum sl_udp_rx
sl_udp_recv_icmp(struct sl_udp *u, void *buf, size_t cap, size_t *n,
    struct sl_endpoint *dst, struct sl_ip *offender, uint8_t *type,
    uint8_t *code)
{
	/* every entry read is gone from the queue, ICMP or not; the bound
	 * only caps the work of one call (POLLERR stays up for the rest) */
	for (int i = 0; i < 16; i++) {
		struct sockaddr_storage ss;
		struct iovec iov = { buf, cap };
		struct msghdr mh;
		union {
			char b[512];
			struct cmsghdr align;
		} ctl;

		*n = 0;
		*type = *code = 0;
		memset(dst, 0, sizeof(*dst));
		memset(offender, 0, sizeof(*offender));
		memset(&mh, 0, sizeof(mh));
		memset(&ss, 0, sizeof(ss));
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof(ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.b;
		mh.msg_controllen = sizeof(ctl.b);
		ssize_t r = recvmsg(u->fd, &mh, MSG_ERRQUEUE);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ?
			    SL_UDP_RX_NONE : SL_UDP_RX_ERROR;
		if (!icmp_details(&mh, offender, type, code))
			continue;
		from_sockaddr(&ss, dst);
		*n = (size_t)r > cap ? cap : (size_t)r;
		u->st.rx_icmp++;
		return SL_UDP_RX_DATA;
	}
	*type = *code = 0;
	memset(offender, 0, sizeof(*offender));
	return SL_UDP_RX_NONE;
}
