// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sense data in the two formats of SPC-4 4.5.
 *
 * Both directions go through one neutral form, struct sense_fields, which
 * holds what the two formats have in common: key, ASC, ASCQ, the deferred
 * flag, INFORMATION, COMMAND-SPECIFIC INFORMATION, the FRU code and the
 * three raw sense-key specific bytes (so a progress indication or a segment
 * pointer survives a conversion as well as a field pointer does), and the
 * stream-command bits FILEMARK, EOM and ILI (SSC).
 *
 * Fixed format (70h/71h), 18 bytes:
 *   0: VALID | response code    2: FILEMARK EOM ILI | sense key
 *   3-6: INFORMATION (a negative residue: 32-bit two's complement)
 *   7: additional length (10)   8-11: COMMAND-SPECIFIC INFORMATION
 *   12: ASC   13: ASCQ   14: FRU code   15-17: sense-key specific (SKSV)
 * Descriptor format (72h/73h): an 8-byte header (response code, key, ASC,
 * ASCQ, additional length in byte 7) followed by descriptors of
 * 2 + n bytes: information (00h), command-specific information (01h),
 * sense-key specific (02h), FRU (03h) and stream commands (04h: FILEMARK,
 * EOM, ILI in its second payload byte) are the ones read and written.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "scst/byteorder.h"
#include "scst_sense.h"

#define SENSE_FIXED_LEN	    18
#define SENSE_FIXED_ADD_LEN (SENSE_FIXED_LEN - 8)
#define SENSE_DESC_HDR_LEN  8

#define SENSE_VALID   0x80 /* fixed byte 0, information descriptor byte 2 */
#define SENSE_SKSV    0x80 /* first sense-key specific byte */
#define SENSE_SKS_CD  0x40
#define SENSE_SKS_BPV 0x08

#define DESC_INFO	      0x00
#define DESC_INFO_LEN	      0x0a
#define DESC_CMD_SPECIFIC     0x01
#define DESC_CMD_SPECIFIC_LEN 0x0a
#define DESC_SKS	      0x02
#define DESC_SKS_LEN	      0x06
#define DESC_FRU	      0x03
#define DESC_FRU_LEN	      0x02
#define DESC_STREAM	      0x04
#define DESC_STREAM_LEN	      0x02
#define SENSE_STREAM_MASK                                                      \
	(SCST_SENSE_FILEMARK | SCST_SENSE_EOM | SCST_SENSE_ILI)

struct sense_fields {
	uint8_t key, asc, ascq;
	bool deferred;
	bool info_valid;
	bool info_signed; /* INFORMATION is a signed residue */
	uint64_t info;
	uint8_t stream;	       /* SCST_SENSE_FILEMARK | _EOM | _ILI */
	uint64_t cmd_specific; /* 0: none */
	uint8_t fru;	       /* 0: none */
	bool sks_valid;
	uint8_t sks[3]; /* SKSV set in sks[0] when sks_valid */
};

/* ------------------------------------------------------------ encode ---- */

static unsigned int sense_encode_fixed(uint8_t *buf,
				       const struct sense_fields *f)
{
	memset(buf, 0, SENSE_FIXED_LEN);
	buf[0] =
	    f->deferred ? SCST_SENSE_FIXED_DEFERRED : SCST_SENSE_FIXED_CURRENT;
	/* An INFORMATION value wider than 32 bits cannot be reported here. */
	if (f->info_valid &&
	    (f->info <= UINT32_MAX ||
	     (f->info_signed && (int64_t)f->info >= INT32_MIN &&
	      (int64_t)f->info < 0))) {
		buf[0] |= SENSE_VALID;
		scst_put_be32(buf + 3, (uint32_t)f->info);
	}
	buf[2] = (f->key & 0x0f) | (f->stream & SENSE_STREAM_MASK);
	buf[7] = SENSE_FIXED_ADD_LEN;
	if (f->cmd_specific <= UINT32_MAX)
		scst_put_be32(buf + 8, (uint32_t)f->cmd_specific);
	buf[12] = f->asc;
	buf[13] = f->ascq;
	buf[14] = f->fru;
	if (f->sks_valid)
		memcpy(buf + 15, f->sks, sizeof(f->sks));
	return SENSE_FIXED_LEN;
}

/* Append a descriptor header at @p; returns where its payload starts. */
static uint8_t *sense_add_desc(uint8_t *p, uint8_t type, uint8_t len)
{
	memset(p, 0, 2u + len);
	p[0] = type;
	p[1] = len;
	return p + 2;
}

static unsigned int sense_encode_desc(uint8_t *buf,
				      const struct sense_fields *f)
{
	uint8_t *p = buf + SENSE_DESC_HDR_LEN;
	uint8_t *d;

	memset(buf, 0, SENSE_DESC_HDR_LEN);
	buf[0] =
	    f->deferred ? SCST_SENSE_DESC_DEFERRED : SCST_SENSE_DESC_CURRENT;
	buf[1] = f->key & 0x0f;
	buf[2] = f->asc;
	buf[3] = f->ascq;

	if (f->info_valid) {
		d = sense_add_desc(p, DESC_INFO, DESC_INFO_LEN);
		d[0] = SENSE_VALID;
		scst_put_be64(d + 2, f->info);
		p = d + DESC_INFO_LEN;
	}
	if (f->cmd_specific) {
		d = sense_add_desc(p, DESC_CMD_SPECIFIC, DESC_CMD_SPECIFIC_LEN);
		scst_put_be64(d + 2, f->cmd_specific);
		p = d + DESC_CMD_SPECIFIC_LEN;
	}
	if (f->sks_valid) {
		d = sense_add_desc(p, DESC_SKS, DESC_SKS_LEN);
		memcpy(d + 2, f->sks, sizeof(f->sks));
		p = d + DESC_SKS_LEN;
	}
	if (f->fru) {
		d = sense_add_desc(p, DESC_FRU, DESC_FRU_LEN);
		d[1] = f->fru;
		p = d + DESC_FRU_LEN;
	}
	if (f->stream & SENSE_STREAM_MASK) {
		d = sense_add_desc(p, DESC_STREAM, DESC_STREAM_LEN);
		d[1] = f->stream & SENSE_STREAM_MASK;
		p = d + DESC_STREAM_LEN;
	}
	buf[7] = (uint8_t)(p - buf - SENSE_DESC_HDR_LEN);
	return (unsigned int)(p - buf);
}

static unsigned int sense_encode(uint8_t *buf, bool desc,
				 const struct sense_fields *f)
{
	return desc ? sense_encode_desc(buf, f) : sense_encode_fixed(buf, f);
}

unsigned int scst_sense_build(uint8_t *buf, bool desc,
			      const struct scst_sense_spec *s)
{
	struct sense_fields f;

	memset(&f, 0, sizeof(f));
	f.key = s->key;
	f.asc = s->asc;
	f.ascq = s->ascq;
	f.deferred = s->deferred;
	f.info_valid = s->info_valid;
	f.info_signed = s->info_signed;
	f.info = s->information;
	f.stream = s->stream;
	if (s->sks_valid) {
		f.sks_valid = true;
		f.sks[0] = SENSE_SKSV;
		if (s->sks_cdb)
			f.sks[0] |= SENSE_SKS_CD;
		if (s->sks_bit >= 0)
			f.sks[0] |= SENSE_SKS_BPV | (s->sks_bit & 7);
		scst_put_be16(f.sks + 1, s->sks_field);
	}
	return sense_encode(buf, desc, &f);
}

/* ------------------------------------------------------------ decode ---- */

/*
 * Fixed format. Fields past the end of @len or of the additional sense
 * length are absent (zero).
 */
static void sense_decode_fixed(const uint8_t *buf, unsigned int len,
			       struct sense_fields *f)
{
	unsigned int end = SENSE_DESC_HDR_LEN + buf[7];

	if (end > len)
		end = len;
	f->deferred = (buf[0] & 0x7f) == SCST_SENSE_FIXED_DEFERRED;
	f->key = buf[2] & 0x0f;
	f->stream = buf[2] & SENSE_STREAM_MASK;
	f->info_valid = (buf[0] & SENSE_VALID) != 0;
	f->info = scst_get_be32(buf + 3);
	/* A residue with FILEMARK/EOM/ILI is signed (SSC-3 4.2.x). */
	if (f->stream && (f->info & 0x80000000u)) {
		f->info_signed = true;
		f->info = (uint64_t)(int64_t)(int32_t)(uint32_t)f->info;
	}
	if (end >= 12)
		f->cmd_specific = scst_get_be32(buf + 8);
	if (end >= 13)
		f->asc = buf[12];
	if (end >= 14)
		f->ascq = buf[13];
	if (end >= 15)
		f->fru = buf[14];
	if (end >= SENSE_FIXED_LEN && (buf[15] & SENSE_SKSV)) {
		f->sks_valid = true;
		memcpy(f->sks, buf + 15, sizeof(f->sks));
	}
}

/* One descriptor of type @type with @alen payload bytes at @d. */
static void sense_decode_one_desc(uint8_t type, const uint8_t *d,
				  unsigned int alen, struct sense_fields *f)
{
	switch (type) {
	case DESC_INFO:
		if (alen == DESC_INFO_LEN) {
			f->info_valid = (d[0] & SENSE_VALID) != 0;
			f->info = scst_get_be64(d + 2);
		}
		break;
	case DESC_CMD_SPECIFIC:
		if (alen == DESC_CMD_SPECIFIC_LEN)
			f->cmd_specific = scst_get_be64(d + 2);
		break;
	case DESC_SKS:
		if (alen == DESC_SKS_LEN && (d[2] & SENSE_SKSV)) {
			f->sks_valid = true;
			memcpy(f->sks, d + 2, sizeof(f->sks));
		}
		break;
	case DESC_FRU:
		if (alen == DESC_FRU_LEN)
			f->fru = d[1];
		break;
	case DESC_STREAM:
		if (alen == DESC_STREAM_LEN)
			f->stream = d[1] & SENSE_STREAM_MASK;
		break;
	default:
		break;
	}
}

/* Descriptor format; descriptors cut short by @len are ignored. */
static void sense_decode_desc(const uint8_t *buf, unsigned int len,
			      struct sense_fields *f)
{
	unsigned int end = SENSE_DESC_HDR_LEN + buf[7];
	unsigned int off = SENSE_DESC_HDR_LEN;

	if (end > len)
		end = len;
	f->deferred = (buf[0] & 0x7f) == SCST_SENSE_DESC_DEFERRED;
	f->key = buf[1] & 0x0f;
	f->asc = buf[2];
	f->ascq = buf[3];

	while (off + 2 <= end) {
		unsigned int alen = buf[off + 1];

		if (off + 2 + alen > end)
			break;
		sense_decode_one_desc(buf[off], buf + off + 2, alen, f);
		off += 2 + alen;
	}
	if (f->stream && (int64_t)f->info < 0)
		f->info_signed = true;
}

/* False when @buf is too short for a header or of an unknown format. */
static bool sense_decode(const uint8_t *buf, unsigned int len,
			 struct sense_fields *f)
{
	memset(f, 0, sizeof(*f));
	if (len < SENSE_DESC_HDR_LEN)
		return false;

	switch (buf[0] & 0x7f) {
	case SCST_SENSE_FIXED_CURRENT:
	case SCST_SENSE_FIXED_DEFERRED:
		sense_decode_fixed(buf, len, f);
		return true;
	case SCST_SENSE_DESC_CURRENT:
	case SCST_SENSE_DESC_DEFERRED:
		sense_decode_desc(buf, len, f);
		return true;
	default:
		return false;
	}
}

bool scst_sense_parse(const uint8_t *buf, unsigned int len, uint8_t *key,
		      uint8_t *asc, uint8_t *ascq)
{
	struct sense_fields f;

	if (!sense_decode(buf, len, &f))
		return false;
	*key = f.key;
	*asc = f.asc;
	*ascq = f.ascq;
	return true;
}

unsigned int scst_sense_convert(const uint8_t *in, unsigned int in_len,
				uint8_t *out, bool desc)
{
	struct sense_fields f;

	if (!sense_decode(in, in_len, &f))
		return 0;
	return sense_encode(out, desc, &f);
}
