// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi-scstd as a client of scstd's control socket (iscsi_ctl.h): one
 * request per connection; answers are lines ending with "end" or a single
 * "error <text>". The socket is local and answers promptly; every call is
 * bounded by ISCSID_CTL_TIMEOUT_MS.
 *
 * Secrets arrive here (IncomingUser lines): they go straight into a
 * struct iscsi_chap_config and the reply buffer is wiped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "scst/os.h"

#include "iscsi-scst/usr/iscsid.h"

#define CTL_REPLY_MAX (256 * 1024)

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {
	    .tv_sec = ISCSID_CTL_TIMEOUT_MS / 1000,
	    .tv_usec = (ISCSID_CTL_TIMEOUT_MS % 1000) * 1000,
	};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One line, read byte by byte (nothing after it is consumed). */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = recv(fd, buf + len, 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		if (buf[len] == '\n') {
			buf[len] = '\0';
			return 0;
		}
		if (++len == cap)
			return -EMSGSIZE;
	}
}

/* Whether the reply in @buf ends with its last line ("end" / "error"). */
static bool reply_complete(const char *buf, size_t len)
{
	const char *last;

	if (!len || buf[len - 1] != '\n')
		return false;
	last = buf + len - 1;
	while (last > buf && last[-1] != '\n')
		last--;
	return !strncmp(last, "end\n", 4) || !strncmp(last, "error", 5);
}

/*
 * Send @req, read the whole answer into *@reply (NUL-terminated; free
 * with ctl_free). A single "error ..." answer gives -ENOENT when it says
 * "no such target", else -EREMOTEIO.
 */
static int ctl_request(const char *path, const char *req, char **reply,
		       size_t *reply_len)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd, rc;

	fd = ctl_connect(path);
	if (fd < 0)
		return fd;
	rc = write_all(fd, req, strlen(req));
	buf = malloc(cap);
	if (!rc && !buf)
		rc = -ENOMEM;
	while (!rc && !reply_complete(buf, len)) {
		ssize_t n;

		if (len + 1 == cap) {
			char *nb = cap * 2 > CTL_REPLY_MAX
				       ? NULL
				       : realloc(buf, cap * 2);

			if (!nb) {
				rc = -EMSGSIZE;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = n < 0 ? -errno : -EPROTO;
		else
			len += (size_t)n;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	if (!strncmp(buf, "error", 5)) {
		rc = strstr(buf, "no such target") ? -ENOENT : -EREMOTEIO;
		scst_dbg("iscsid: scstd answered '%.*s' to %.*s", 100, buf,
			 (int)strcspn(req, "\n"), req);
		free(buf);
		return rc;
	}
	*reply = buf;
	*reply_len = len;
	return 0;
}

static void ctl_free(char *reply, size_t len)
{
	if (reply)
		explicit_bzero(reply, len);
	free(reply);
}

static int parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long n;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > max)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

static int parse_yes_no(const char *s, uint32_t *v)
{
	if (!strcmp(s, "Yes") || !strcmp(s, "1")) {
		*v = 1;
		return 0;
	}
	if (!strcmp(s, "No") || !strcmp(s, "0")) {
		*v = 0;
		return 0;
	}
	return -EINVAL;
}

/* "None", "CRC32C" or a comma-separated list of them, into a mask. */
static int parse_digest(const char *s, uint32_t *mask)
{
	char tmp[64];
	char *tok, *save;

	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	*mask = 0;
	for (tok = strtok_r(tmp, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "None"))
			*mask |= 1u << ISCSI_DIGEST_NONE;
		else if (!strcmp(tok, "CRC32C"))
			*mask |= 1u << ISCSI_DIGEST_CRC32C;
		else
			return -EINVAL;
	}
	return *mask ? 0 : -EINVAL;
}

/* "IncomingUser=<user> <secret>" / "OutgoingUser=...". */
static int parse_account(struct iscsi_chap_config *chap, const char *v,
			 bool incoming)
{
	char user[ISCSI_CHAP_NAME_MAX + 1];
	char err[128];
	const char *sp = strchr(v, ' ');
	size_t ulen;
	int rc;

	if (!sp || (ulen = (size_t)(sp - v)) == 0 || ulen >= sizeof(user))
		return -EINVAL;
	memcpy(user, v, ulen);
	user[ulen] = '\0';
	rc = incoming ? iscsi_chap_config_add_incoming(chap, user, sp + 1, err,
						       sizeof(err))
		      : iscsi_chap_config_set_outgoing(chap, user, sp + 1, err,
						       sizeof(err));
	if (rc)
		scst_warn("iscsid: account '%s' from scstd refused: %s", user,
			  err);
	return rc;
}

static const struct {
	const char *name;
	enum iscsi_key key;
	bool boolean;
} ctl_num_keys[] = {
    {"MaxRecvDataSegmentLength", ISCSI_KEY_MAX_RECV_DSL, false},
    {"MaxBurstLength", ISCSI_KEY_MAX_BURST_LENGTH, false},
    {"FirstBurstLength", ISCSI_KEY_FIRST_BURST_LENGTH, false},
    {"MaxOutstandingR2T", ISCSI_KEY_MAX_OUTSTANDING_R2T, false},
    {"MaxConnections", ISCSI_KEY_MAX_CONNECTIONS, false},
    {"DefaultTime2Wait", ISCSI_KEY_DEFAULT_TIME2WAIT, false},
    {"DefaultTime2Retain", ISCSI_KEY_DEFAULT_TIME2RETAIN, false},
    {"ErrorRecoveryLevel", ISCSI_KEY_ERROR_RECOVERY_LEVEL, false},
    {"InitialR2T", ISCSI_KEY_INITIAL_R2T, true},
    {"ImmediateData", ISCSI_KEY_IMMEDIATE_DATA, true},
    {"DataPDUInOrder", ISCSI_KEY_DATA_PDU_IN_ORDER, true},
    {"DataSequenceInOrder", ISCSI_KEY_DATA_SEQUENCE_IN_ORDER, true},
};

/* One "<Key>=<value>" line of iscsi_target / iscsi_discovery. */
static int parse_target_line(struct iscsid_target *t, const char *key,
			     const char *v)
{
	uint32_t n;
	size_t i;

	for (i = 0; i < sizeof(ctl_num_keys) / sizeof(ctl_num_keys[0]); i++) {
		if (strcmp(key, ctl_num_keys[i].name))
			continue;
		if (ctl_num_keys[i].boolean ? parse_yes_no(v, &n)
					    : parse_u32(v, 16777215, &n))
			return -EINVAL;
		t->params.val[ctl_num_keys[i].key] = n;
		return 0;
	}
	if (!strcmp(key, "MaxXmitDataSegmentLength"))
		return parse_u32(v, 16777215, &t->max_xmit_dsl);
	if (!strcmp(key, "HeaderDigest"))
		return parse_digest(v, &t->params.hdigest_mask);
	if (!strcmp(key, "DataDigest"))
		return parse_digest(v, &t->params.ddigest_mask);
	if (!strcmp(key, "TargetAlias")) {
		snprintf(t->alias, sizeof(t->alias), "%s", v);
		return 0;
	}
	if (!strcmp(key, "tpgt")) {
		if (parse_u32(v, 65535, &n))
			return -EINVAL;
		t->tpgt = (uint16_t)n;
		t->params.val[ISCSI_KEY_TARGET_PORTAL_GROUP_TAG] = n;
		return 0;
	}
	if (!strcmp(key, "enabled")) {
		if (parse_yes_no(v, &n))
			return -EINVAL;
		t->enabled = n;
		return 0;
	}
	if (!strcmp(key, "IncomingUser") || !strncmp(key, "IncomingUser", 12))
		return parse_account(&t->chap, v, true);
	if (!strcmp(key, "OutgoingUser"))
		return parse_account(&t->chap, v, false);
	return 0; /* MaxSessions, QueuedCommands, ...: scstd's business */
}

static int parse_target_reply(struct iscsid_target *t, char *reply)
{
	char *line, *save, *eq;
	int rc;

	for (line = strtok_r(reply, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "end"))
			return 0;
		eq = strchr(line, '=');
		if (!eq)
			return -EPROTO;
		*eq = '\0';
		rc = parse_target_line(t, line, eq + 1);
		if (rc && rc != -ENOSPC) {
			scst_warn("iscsid: bad '%s' from scstd for %s", line,
				  t->name[0] ? t->name : "discovery");
			return -EPROTO;
		}
	}
	return -EPROTO;
}

static void target_init(struct iscsid_target *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	iscsi_tgt_params_default(&t->params);
	iscsi_chap_config_init(&t->chap);
	t->tpgt = 1;
	t->params.val[ISCSI_KEY_TARGET_PORTAL_GROUP_TAG] = 1;
}

int iscsid_ctl_get_target(const char *ctl, const char *name,
			  struct iscsid_target *t)
{
	char req[ISCSI_NAME_MAX + 32];
	char *reply = NULL;
	size_t len = 0;
	int rc;

	target_init(t, name);
	snprintf(req, sizeof(req), "iscsi_target %s\n", name);
	rc = ctl_request(ctl, req, &reply, &len);
	if (!rc)
		rc = parse_target_reply(t, reply);
	ctl_free(reply, len);
	if (!rc)
		t->params.target_alias = t->alias;
	return rc;
}

int iscsid_ctl_get_discovery(const char *ctl, struct iscsi_chap_config *chap)
{
	struct iscsid_target *t = calloc(1, sizeof(*t));
	char *reply = NULL;
	size_t len = 0;
	int rc;

	if (!t)
		return -ENOMEM;
	target_init(t, "");
	rc = ctl_request(ctl, "iscsi_discovery\n", &reply, &len);
	if (!rc)
		rc = parse_target_reply(t, reply);
	ctl_free(reply, len);
	if (!rc)
		*chap = t->chap;
	iscsi_chap_config_wipe(&t->chap);
	free(t);
	return rc;
}

int iscsid_ctl_list_targets(const char *ctl, const char *initiator,
			    const char *local_addr,
			    struct iscsid_target_ref **refs, size_t *n)
{
	char req[ISCSI_NAME_MAX + ISCSI_ADDR_MAX + 32];
	struct iscsid_target_ref *r = NULL;
	char *reply = NULL, *line, *save;
	size_t len = 0, cnt = 0;
	int rc;

	snprintf(req, sizeof(req), "iscsi_targets %s %s\n", initiator,
		 local_addr);
	rc = ctl_request(ctl, req, &reply, &len);
	if (rc)
		return rc;
	rc = -EPROTO;
	for (line = strtok_r(reply, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[ISCSI_NAME_MAX];
		unsigned int tpgt;
		char extra;

		if (!strcmp(line, "end")) {
			rc = 0;
			break;
		}
		if (sscanf(line, "target %223s %u %c", name, &tpgt, &extra) !=
			2 ||
		    tpgt > 65535 || cnt == ISCSID_MAX_TARGETS)
			break;
		if (!(cnt & 15)) {
			void *nr = realloc(r, (cnt + 16) * sizeof(*r));

			if (!nr) {
				rc = -ENOMEM;
				break;
			}
			r = nr;
		}
		snprintf(r[cnt].name, sizeof(r[cnt].name), "%s", name);
		r[cnt].tpgt = (uint16_t)tpgt;
		cnt++;
	}
	ctl_free(reply, len);
	if (rc) {
		free(r);
		return rc;
	}
	*refs = r;
	*n = cnt;
	return 0;
}

/* "allow" | "refuse <class> <detail> <text>" | "redirect <class> <detail>
 * <host:port>", then "end". */
static int parse_login_answer(const char *line, struct iscsid_login_check *res)
{
	unsigned int a, b;
	int off = 0;

	memset(res, 0, sizeof(*res));
	if (!strcmp(line, "allow")) {
		res->verdict = ISCSID_LOGIN_ALLOW;
		return 0;
	}
	if (sscanf(line, "refuse %u %u%n", &a, &b, &off) == 2 && a == 2 &&
	    b <= 255) {
		res->verdict = ISCSID_LOGIN_REFUSE;
		res->status_class = (uint8_t)a;
		res->status_detail = (uint8_t)b;
		snprintf(res->text, sizeof(res->text), "%s",
			 line[off] == ' ' ? line + off + 1 : "");
		return 0;
	}
	if (sscanf(line, "redirect %u %u %n", &a, &b, &off) == 2 && a == 1 &&
	    (b == 1 || b == 2) && line[off] &&
	    strlen(line + off) < sizeof(res->address) &&
	    !strpbrk(line + off, " ,")) {
		res->verdict = ISCSID_LOGIN_REDIRECT;
		res->status_class = (uint8_t)a;
		res->status_detail = (uint8_t)b;
		strcpy(res->address, line + off);
		return 0;
	}
	return -EPROTO;
}

/*
 * An scstd without "iscsi_login" (an older one, or a test's stand-in):
 * the target must be among those iscsi_targets lists for this initiator
 * and portal; there is no redirection then.
 */
static int login_check_by_list(const char *ctl, const char *target,
			       const char *initiator, const char *local_ip,
			       struct iscsid_login_check *res)
{
	struct iscsid_target_ref *refs = NULL;
	size_t n = 0, i;
	int rc;

	rc = iscsid_ctl_list_targets(ctl, initiator, local_ip, &refs, &n);
	if (rc)
		return rc;
	memset(res, 0, sizeof(*res));
	res->verdict = ISCSID_LOGIN_REFUSE;
	for (i = 0; i < n; i++)
		if (!strcmp(refs[i].name, target))
			res->verdict = ISCSID_LOGIN_ALLOW;
	free(refs);
	res->status_class = ISCSI_STATUS_CLS_INITIATOR_ERR;
	res->status_detail = ISCSI_LOGIN_STATUS_TGT_NOT_FOUND;
	snprintf(res->text, sizeof(res->text), "target not visible");
	return 0;
}

int iscsid_ctl_login_check(const char *ctl, const char *target,
			   const char *initiator, const char *local_ip,
			   uint16_t local_port, struct iscsid_login_check *res)
{
	char req[2 * ISCSI_NAME_MAX + ISCSI_ADDR_MAX + 32];
	char *reply = NULL, *nl;
	size_t len = 0;
	int rc;

	snprintf(req, sizeof(req), "iscsi_login %s %s %s %u\n", target,
		 initiator, local_ip, local_port);
	rc = ctl_request(ctl, req, &reply, &len);
	if (rc == -ENOENT || rc == -EREMOTEIO)
		return login_check_by_list(ctl, target, initiator, local_ip,
					   res);
	if (rc)
		return rc;
	nl = strchr(reply, '\n');
	rc = nl && !strcmp(nl + 1, "end\n") ? 0 : -EPROTO;
	if (!rc) {
		*nl = '\0';
		rc = parse_login_answer(reply, res);
	}
	ctl_free(reply, len);
	return rc;
}

static int parse_handoff_answer(const char *line,
				struct iscsid_handoff_result *res)
{
	unsigned int a, b;
	int off = 0;

	memset(res, 0, sizeof(*res));
	if (sscanf(line, "ok %u%n", &a, &off) == 1 && !line[off] &&
	    a <= 65535) {
		res->ok = true;
		res->tsih = (uint16_t)a;
		return 0;
	}
	if (sscanf(line, "error %u %u%n", &a, &b, &off) == 2 && a <= 255 &&
	    b <= 255) {
		res->status_class = (uint8_t)a;
		res->status_detail = (uint8_t)b;
		snprintf(res->text, sizeof(res->text), "%s",
			 line[off] == ' ' ? line + off + 1 : "");
		return 0;
	}
	return -EPROTO;
}

int iscsid_ctl_handoff(const char *ctl, const struct iscsi_handoff *h, int fd,
		       struct iscsid_handoff_result *res)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)(uintptr_t)h,
			    .iov_len = sizeof(*h)};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = u.buf,
	    .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	char line[256];
	ssize_t n;
	int cfd, rc;

	cfd = ctl_connect(ctl);
	if (cfd < 0)
		return cfd;
	rc = write_all(cfd, "iscsi_handoff\n", 14);
	if (!rc)
		rc = read_line(cfd, line, sizeof(line));
	if (!rc && strcmp(line, "ready"))
		rc = strncmp(line, "error", 5) ? -EPROTO : -EREMOTEIO;
	if (rc)
		goto out;
	memset(u.buf, 0, sizeof(u.buf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	do {
		n = sendmsg(cfd, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*h)) {
		rc = n < 0 ? -errno : -EIO;
		goto out;
	}
	rc = read_line(cfd, line, sizeof(line));
	if (!rc)
		rc = parse_handoff_answer(line, res);
out:
	close(cfd);
	return rc;
}
