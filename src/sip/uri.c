/* uri.c: see uri.h. */
#include "sip/uri.h"

#include <osipparser2/osip_port.h>
#include <osipparser2/osip_uri.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

#include "core/str.h"

bool
sl_sip_uri_dst(const char *uri, struct sl_endpoint *out)
{
	osip_uri_t *u = NULL;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (uri == NULL || osip_uri_init(&u) != OSIP_SUCCESS)
		return false;
	if (osip_uri_parse(u, uri) != OSIP_SUCCESS || u->scheme == NULL ||
	    osip_strcasecmp(u->scheme, "sip") != 0 || u->host == NULL)
		goto done;
	osip_uri_param_t *tp = NULL;
	char transport[] = "transport";	/* osip's prototype is not const */
	if (osip_uri_uparam_get_byname(u, transport, &tp) == OSIP_SUCCESS && tp &&
	    tp->gvalue && osip_strcasecmp(tp->gvalue, "udp") != 0)
		goto done;
	struct sl_str host = sl_str_c(u->host);
	/* osip keeps IPv6 references without their brackets, but be lenient */
	if (host.n >= 2 && host.p[0] == '[' && host.p[host.n - 1] == ']')
		host = sl_str_make(host.p + 1, host.n - 2);
	uint32_t port = 5060;
	if (!sl_ip_parse(host, &out->ip) ||
	    (u->port && u->port[0] && (!sl_str_u32(sl_str_c(u->port), 65535, &port) ||
	    port == 0)))
		goto done;
	out->port = (uint16_t)port;
	out->transport = SL_TP_UDP;
	ok = true;
done:
	osip_uri_free(u);
	if (!ok)
		memset(out, 0, sizeof(*out));
	return ok;
}
