// SPDX-License-Identifier: GPL-2.0-only
/*
 * TransportIDs (SPC-4 7.6.4): how a persistent reservation names an
 * initiator port. A registration is kept for an I_T nexus, that is an
 * initiator port (its TransportID) and a relative target port.
 *
 * The core asks the transport once per session for its initiator port's
 * TransportID (get_initiator_port_transport_id) and keeps it in the
 * session; a transport without the callback gets an iSCSI TransportID of
 * format 00b with the session's initiator name.
 *
 * Supported in parameter data (SPEC_I_PT, REGISTER AND MOVE): iSCSI
 * (protocol identifier 5h, 7.6.4.6) in both formats:
 *   00b  the iSCSI name: every initiator port of that iSCSI device;
 *   01b  "name,i,0x" and the ISID in 12 hex digits: one initiator port.
 * Names compare without regard to case (RFC 3722 names are normalised to
 * lower case); the ISID only when both sides have one.
 */
#include "scst_pr.h"

#define SCST_TID_PROTO_ISCSI 0x5
#define SCST_TID_ISCSI_SEP   ",i,0x"

int scst_build_iscsi_transport_id(const char *name, const uint8_t *isid,
				  uint8_t *buf, unsigned int size)
{
	size_t nlen = name ? strlen(name) : 0;
	/* name, ",i,0x" + 12 hex digits, NUL; padded to a multiple of 4 */
	size_t body = nlen + (isid ? 5 + 12 : 0) + 1;
	size_t total = 4 + ((body + 3) & ~(size_t)3);
	uint8_t *p;
	unsigned int i;

	if (!nlen)
		return -EINVAL;
	if (total < 24)
		total = 24; /* 7.6.4.6: ADDITIONAL LENGTH at least 20 */
	if (total > size || total > SCST_TID_MAX)
		return -EINVAL;
	memset(buf, 0, total);
	buf[0] = (uint8_t)((isid ? 0x40 : 0x00) | SCST_TID_PROTO_ISCSI);
	scst_put_be16(buf + 2, (uint16_t)(total - 4));
	p = buf + 4;
	memcpy(p, name, nlen);
	p += nlen;
	if (isid) {
		static const char hex[] = "0123456789abcdef";

		memcpy(p, SCST_TID_ISCSI_SEP, 5);
		p += 5;
		for (i = 0; i < 6; i++) {
			*p++ = (uint8_t)hex[isid[i] >> 4];
			*p++ = (uint8_t)hex[isid[i] & 0xf];
		}
	}
	return (int)total;
}

const uint8_t *scst_pr_sess_tid(struct scst_session *sess, unsigned int *len)
{
	struct scst_tgt_template *t = sess->tgt->tmpl;
	int expect = 0, rc;

	if (__atomic_load_n(&sess->pr_tid_state, __ATOMIC_ACQUIRE) != 2) {
		if (__atomic_compare_exchange_n(&sess->pr_tid_state, &expect, 1,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			rc = t->get_initiator_port_transport_id
				 ? t->get_initiator_port_transport_id(
				       sess, sess->pr_tid, sizeof(sess->pr_tid))
				 : -ENOSYS;
			if (rc < 4 || scst_pr_tid_parse(sess->pr_tid,
							(unsigned int)rc) != rc)
				rc = scst_build_iscsi_transport_id(
				    sess->initiator_name, NULL, sess->pr_tid,
				    sizeof(sess->pr_tid));
			sess->pr_tid_len = rc > 0 ? (uint16_t)rc : 0;
			__atomic_store_n(&sess->pr_tid_state, 2,
					 __ATOMIC_RELEASE);
		} else {
			/* Another thread is filling it: a few bytes away. */
			while (__atomic_load_n(&sess->pr_tid_state,
					       __ATOMIC_ACQUIRE) != 2)
				scst_os_yield();
		}
	}
	*len = sess->pr_tid_len;
	return sess->pr_tid;
}

uint64_t scst_res_sess_id(struct scst_session *sess)
{
	static uint64_t scst_res_next_id;
	uint64_t id = __atomic_load_n(&sess->res_id, __ATOMIC_ACQUIRE);
	uint64_t expect = 0;

	if (id)
		return id;
	id = __atomic_add_fetch(&scst_res_next_id, 1, __ATOMIC_SEQ_CST);
	if (__atomic_compare_exchange_n(&sess->res_id, &expect, id, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return id;
	return expect;
}

int scst_pr_tid_parse(const uint8_t *p, unsigned int avail)
{
	unsigned int len, fmt, i;
	bool nul = false;

	if (avail < 4)
		return -EINVAL;
	fmt = p[0] >> 6;
	if ((p[0] & 0x0f) != SCST_TID_PROTO_ISCSI || fmt > 1)
		return -EINVAL;
	len = 4u + scst_get_be16(p + 2);
	if (len < 24 || len % 4 || len > avail || len > SCST_TID_MAX)
		return -EINVAL;
	for (i = 4; i < len && !nul; i++)
		nul = p[i] == 0;
	if (!nul || p[4] == 0)
		return -EINVAL;
	if (fmt == 1 && !strstr((const char *)p + 4, SCST_TID_ISCSI_SEP))
		return -EINVAL;
	return (int)len;
}

static int scst_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Length of the name part (up to ",i,0x" or the NUL). */
static size_t scst_tid_name_len(const char *s, const char **isid)
{
	const char *sep = strstr(s, SCST_TID_ISCSI_SEP);

	*isid = sep ? sep + 5 : NULL;
	return sep ? (size_t)(sep - s) : strlen(s);
}

static bool scst_str_ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (scst_lower((unsigned char)a[i]) !=
		    scst_lower((unsigned char)b[i]))
			return false;
	return true;
}

bool scst_pr_tid_equal(const uint8_t *a, unsigned int alen, const uint8_t *b,
		       unsigned int blen)
{
	const char *sa, *sb, *ia, *ib;
	size_t na, nb;

	if (alen < 5 || blen < 5 || (a[0] & 0x0f) != (b[0] & 0x0f))
		return false;
	sa = (const char *)a + 4;
	sb = (const char *)b + 4;
	na = scst_tid_name_len(sa, &ia);
	nb = scst_tid_name_len(sb, &ib);
	if (na != nb || !scst_str_ieq(sa, sb, na))
		return false;
	if (!ia || !ib)
		return true;
	return strlen(ia) == strlen(ib) && scst_str_ieq(ia, ib, strlen(ia));
}

void scst_pr_tid_print(const uint8_t *tid, unsigned int len, char *buf,
		       size_t size)
{
	size_t n = 0;

	if (len > 4)
		n = strnlen((const char *)tid + 4, len - 4);
	if (n >= size)
		n = size - 1;
	memcpy(buf, tid + 4, n);
	buf[n] = '\0';
}
