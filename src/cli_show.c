/* cli_show.c: ladder, calls and rtp without capture files: the calls
 * come from the database, capture by capture and in start order within
 * each, through the same output code as from a capture, each with its
 * capture's first frame as time zero; so a stored capture prints byte
 * for byte as the capture file did. The summary line is the stored
 * captures' totals (added up when there are several). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SKIPS 64

struct captures {
	int64_t *ids;
	size_t n, cap;
	struct sl_store_totals sum;
	struct sl_store_count sk[MAX_SKIPS];
	struct sl_arena names;		/* the skip reasons' texts */
	int64_t capture_id;		/* --capture */
};

static enum sl_err
add_skips(struct captures *c, const struct sl_store_totals *t)
{
	for (size_t i = 0; i < t->n_skipped; i++) {
		const struct sl_store_count *k = &t->skipped[i];
		size_t j = 0;
		while (j < c->sum.n_skipped && strcmp(c->sk[j].id, k->id) != 0)
			j++;
		if (j == c->sum.n_skipped) {
			if (j == MAX_SKIPS)
				continue;
			/* the record's texts die when the callback returns */
			struct sl_str id = sl_arena_str(&c->names, sl_str_c(k->id));
			struct sl_str name = sl_arena_str(&c->names, sl_str_c(k->name));
			if (id.p == NULL || name.p == NULL)
				return SL_ENOMEM;
			c->sk[j] = (struct sl_store_count){ id.p, name.p, 0 };
			c->sum.n_skipped++;
		}
		c->sk[j].count += k->count;
	}
	return SL_OK;
}

static enum sl_err
on_capture(void *user, const struct sl_store_capture *rec)
{
	struct captures *c = user;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		int64_t *ids = realloc(c->ids, cap * sizeof *ids);
		if (ids == NULL)
			return SL_ENOMEM;
		c->ids = ids;
		c->cap = cap;
	}
	c->ids[c->n++] = rec->id;
	const struct sl_store_totals *t = &rec->totals;
	/* a run that found every call of its own already stored (the same
	 * file read again) adds nothing to show: its frames are counted
	 * once, by the run that stored them; asked for by --capture, it
	 * speaks for itself */
	if (c->capture_id == 0 && t->calls_stored == 0 && t->calls_skipped > 0)
		return SL_OK;
	struct sl_store_totals *s = &c->sum;
	s->frames += t->frames;
	s->drops += t->drops;
	s->sip_messages += t->sip_messages;
	s->sip_retrans += t->sip_retrans;
	s->rtp_packets += t->rtp_packets;
	s->rtcp_packets += t->rtcp_packets;
	s->icmp_attributed += t->icmp_attributed;
	s->icmp_unattributed += t->icmp_unattributed;
	s->anomalies += t->anomalies;
	s->calls += t->calls;
	s->registrations += t->registrations;
	s->out_of_order += t->out_of_order;
	s->calls_stored += t->calls_stored;
	s->calls_skipped += t->calls_skipped;
	return add_skips(c, t);
}

/* Biggest first, as a run's summary orders them; stable, so one
 * capture's order stays as stored */
static void
sort_skips(struct captures *c)
{
	for (size_t i = 1; i < c->sum.n_skipped; i++) {
		struct sl_store_count k = c->sk[i];
		size_t j = i;
		for (; j > 0 && c->sk[j - 1].count < k.count; j--)
			c->sk[j] = c->sk[j - 1];
		c->sk[j] = k;
	}
}

static enum sl_err
on_call(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	struct sl_cli_out *o = user;
	o->cli->rep.base_ts_ns = ref->base_ts;
	return sl_cli_out_call(o, call);
}

enum sl_err
sl_cli_show_load(struct sl_store *s, const struct sl_store_filter *f, struct sl_cli_out *o)
{
	return sl_store_load(s, f, on_call, o);
}

/* One --call item is looked up in the database rather than by loading
 * every call; the output's own selection still decides (and records the
 * hit). id holds a Call-ID's copy (the item is not NUL-terminated). */
static bool
narrow(const struct sl_cli *cli, struct sl_store_filter *f, char *id, size_t n_id)
{
	if (cli->n_sel != 1)
		return true;
	uint32_t n;
	struct sl_str sel = cli->sel[0];
	switch (sl_cli_sel_kind(sel, &n)) {
	case SL_CLI_SEL_REG:
		f->kind = SL_CALL_REGISTER;
		f->index = n;
		break;
	case SL_CLI_SEL_NUM:
		f->index = n;
		break;
	case SL_CLI_SEL_CALL_ID:
		if (sel.n >= n_id || memchr(sel.p, '\0', sel.n))
			return false;
		memcpy(id, sel.p, sel.n);
		id[sel.n] = '\0';
		f->call_id = id;
		break;
	}
	return true;
}

int
sl_cli_show(struct sl_cli *cli)
{
	struct sl_store *s;
	char path[SL_CLI_PATH_MAX];
	int rc = sl_cli_db_open(cli, SL_STORE_READ, false, &s, path);
	if (rc >= 0)
		return rc;
	struct captures caps = { 0 };
	caps.sum.skipped = caps.sk;
	caps.capture_id = cli->capture_id;
	sl_arena_init(&caps.names, 4096, 0);
	struct sl_cli_out o;
	enum sl_err e = sl_cli_out_init(&o, cli, cli->cmd, false);
	if (e == SL_OK)
		e = sl_store_captures(s, cli->capture_id, on_capture, &caps);
	if (e == SL_OK && cli->capture_id && caps.n == 0) {
		fprintf(stderr, "sipladder: no capture %lld in %s (sipladder db list shows them)\n",
		    (long long)cli->capture_id, path);
		rc = SL_EXIT_FAIL;
	}
	char id[1024];
	for (size_t i = 0; e == SL_OK && rc < 0 && i < caps.n; i++) {
		struct sl_store_filter f;
		sl_store_filter_init(&f);
		f.capture = caps.ids[i];
		/* a Call-ID too long to be stored cannot match: load nothing */
		if (!narrow(cli, &f, id, sizeof id))
			break;
		e = sl_cli_show_load(s, &f, &o);
	}
	sort_skips(&caps);
	if (e == SL_OK && rc < 0)
		e = sl_cli_out_end(&o, &caps.sum);
	if (rc < 0 && !cli->quiet)
		sl_cli_summary(&caps.sum);
	sl_cli_out_free(&o);
	if (rc < 0 && e != SL_OK)
		rc = sl_cli_db_fail(s, e);
	else if (rc < 0 && fflush(stdout) != 0)
		rc = sl_cli_db_fail(s, SL_EIO);
	sl_store_close(s);
	sl_arena_free(&caps.names);
	free(caps.ids);
	if (rc >= 0)
		return rc;
	return sl_cli_unmatched(cli) ? SL_EXIT_FAIL : SL_EXIT_OK;
}
