/* rtpavp.c: see rtpavp.h. */
#include "core/rtpavp.h"

const char *
sl_rtp_static_codec(uint8_t pt, uint32_t *rate)
{
	/* RFC 3551 6, tables 4 and 5; G722 keeps 8000 for historical
	 * reasons although it samples at 16 kHz (RFC 3551 4.5.2) */
	const char *name = "";
	uint32_t r = 0;
	switch (pt) {
	case 0:	name = "PCMU"; r = 8000; break;
	case 3:	name = "GSM"; r = 8000; break;
	case 4:	name = "G723"; r = 8000; break;
	case 5:	name = "DVI4"; r = 8000; break;
	case 6:	name = "DVI4"; r = 16000; break;
	case 7:	name = "LPC"; r = 8000; break;
	case 8:	name = "PCMA"; r = 8000; break;
	case 9:	name = "G722"; r = 8000; break;
	case 10: name = "L16"; r = 44100; break;
	case 11: name = "L16"; r = 44100; break;
	case 12: name = "QCELP"; r = 8000; break;
	case 13: name = "CN"; r = 8000; break;
	case 14: name = "MPA"; r = 90000; break;
	case 15: name = "G728"; r = 8000; break;
	case 16: name = "DVI4"; r = 11025; break;
	case 17: name = "DVI4"; r = 22050; break;
	case 18: name = "G729"; r = 8000; break;
	case 25: name = "CelB"; r = 90000; break;
	case 26: name = "JPEG"; r = 90000; break;
	case 28: name = "nv"; r = 90000; break;
	case 31: name = "H261"; r = 90000; break;
	case 32: name = "MPV"; r = 90000; break;
	case 33: name = "MP2T"; r = 90000; break;
	case 34: name = "H263"; r = 90000; break;
	default: break;
	}
	if (rate)
		*rate = r;
	return name;
}
