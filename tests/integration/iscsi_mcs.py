# SPDX-License-Identifier: GPL-2.0-only
#
# A raw iSCSI initiator for iscsi_mcs.sh: several connections in one
# session (MaxConnections > 1), which neither libiscsi nor open-iscsi do.
# Usage: iscsi_mcs.py HOST PORT TARGET INITIATOR SESSIONS_DIR
# Prints PASS:/FAIL: lines; exits 1 if anything failed. Every socket
# operation and every wait is bounded.
import os
import socket
import sys
import time

HOST, PORT, TGT, INI, SDIR = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    sys.argv[4], sys.argv[5]
fails = 0


def ok(cond, what):
    global fails
    print(('PASS: ' if cond else 'FAIL: ') + what, flush=True)
    if not cond:
        fails += 1
    return cond


def pad4(n):
    return (n + 3) & ~3


def be(b):
    return int.from_bytes(b, 'big')


class Sess:
    """What the connections of one session share: ISID, TSIH, CmdSN, ITT."""

    def __init__(s, isid_low):
        s.isid = bytes([0x80, 0, 0, 0x12, 0x34, isid_low])
        s.tsih, s.cmdsn, s.itt = 0, 1, 0x100

    def next_itt(s):
        s.itt += 1
        return s.itt


class Conn:
    def __init__(s, sess, cid):
        s.sess, s.cid = sess, cid
        s.sk = socket.create_connection((HOST, PORT), timeout=10)
        s.expstatsn = 0
        s.keys = {}

    def send(s, b0, b1, data=b'', itt=0, f8=b'\0' * 8, f20=b'\0' * 4,
             cmdsn=None, cdb=b''):
        h = bytearray(48)
        h[0], h[1] = b0, b1
        h[5:8] = len(data).to_bytes(3, 'big')
        h[8:16] = f8
        h[16:20] = itt.to_bytes(4, 'big')
        h[20:24] = f20
        h[24:28] = (s.sess.cmdsn if cmdsn is None else cmdsn).to_bytes(4,
                                                                     'big')
        h[28:32] = s.expstatsn.to_bytes(4, 'big')
        h[32:32 + len(cdb)] = cdb
        s.sk.sendall(bytes(h) + data + b'\0' * (pad4(len(data)) - len(data)))

    def recvn(s, n):
        b = b''
        while len(b) < n:
            c = s.sk.recv(n - len(b))
            if not c:
                raise EOFError
            b += c
        return b

    def recv(s, tmo=10):
        """The next PDU that is not a NOP-In ping (those are answered)."""
        while True:
            s.sk.settimeout(tmo)
            h = s.recvn(48)
            d = s.recvn(pad4(be(h[5:8])))[:be(h[5:8])]
            op = h[0] & 0x3f
            if op == 0x20 and h[16:20] == b'\xff' * 4:
                s.send(0x40, 0x80, itt=0xffffffff, f20=h[20:24], f8=h[8:16])
                continue
            if op in (0x21, 0x22, 0x23, 0x26, 0x32, 0x3f) or \
               (op == 0x25 and h[1] & 1):
                s.statsn = be(h[24:28])
                s.expstatsn = s.statsn + 1
            return h, d

    def login(s, extra=''):
        """Returns (class, detail); sets the session's TSIH on success."""
        keys = 'InitiatorName=%s\0' % INI
        if not s.sess.tsih:
            keys += ('SessionType=Normal\0TargetName=%s\0InitialR2T=Yes\0'
                     'ImmediateData=Yes\0MaxBurstLength=262144\0'
                     'FirstBurstLength=65536\0ErrorRecoveryLevel=0\0'
                     'MaxConnections=4\0DefaultTime2Wait=0\0'
                     'DefaultTime2Retain=0\0MaxOutstandingR2T=1\0'
                     'DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0') % TGT
        else:
            keys += 'TargetName=%s\0' % TGT
        keys += ('HeaderDigest=None\0DataDigest=None\0'
                 'MaxRecvDataSegmentLength=65536\0') + extra
        f8 = s.sess.isid + s.sess.tsih.to_bytes(2, 'big')
        s.send(0x43, 0x87, keys.encode(), itt=1, f8=f8,
               f20=s.cid.to_bytes(2, 'big') + b'\0\0')
        h, d = s.recv()
        if h[0] & 0x3f != 0x23:
            return (-1, -1)
        if h[36] == 0:
            s.sess.tsih = be(h[14:16])
            for kv in d.split(b'\0'):
                if b'=' in kv:
                    k, v = kv.decode().split('=', 1)
                    s.keys[k] = v
        return (h[36], h[37])

    def scsi(s, cdb, edtl=0, read=False, out=b'', cmdsn=None, attr=1):
        """Send a SCSI Command (immediate data: all of @out); the ITT.
        @attr: task attribute, 1 SIMPLE, 2 ORDERED."""
        itt = s.sess.next_itt()
        flags = 0x80 | (0x40 if read else 0) | (0x20 if out else 0) | attr
        if cmdsn is None:
            cmdsn = s.sess.cmdsn
            s.sess.cmdsn += 1
        s.send(0x01, flags, out, itt=itt, f8=b'\0' * 8,
               f20=(edtl or len(out)).to_bytes(4, 'big'), cmdsn=cmdsn,
               cdb=cdb.ljust(16, b'\0'))
        return itt

    def result(s, itt, tmo=10):
        """(status, data) of command @itt, which must come on this one."""
        data = b''
        while True:
            h, d = s.recv(tmo)
            op = h[0] & 0x3f
            if op == 0x25 and be(h[16:20]) == itt:
                data += d
                if h[1] & 1:
                    return h[3], data
            elif op == 0x21 and be(h[16:20]) == itt:
                return h[3], data
            else:
                raise RuntimeError('unexpected PDU %#x' % op)

    def logout(s, reason, cid=None):
        itt = s.sess.next_itt()
        cid = s.cid if cid is None else cid
        # Immediate (0x40): its CmdSN is not advanced (RFC 7143 4.2.2.1).
        s.send(0x46, 0x80 | reason, itt=itt,
               f20=cid.to_bytes(2, 'big') + b'\0\0')
        while True:
            h, d = s.recv()
            if h[0] & 0x3f == 0x26:
                return h[2]

    def eof(s, tmo):
        """True if the target closes this connection within @tmo s."""
        end = time.time() + tmo
        try:
            while time.time() < end:
                h, d = s.recv(max(0.1, end - time.time()))
        except EOFError:
            return True
        except (socket.timeout, ConnectionResetError, OSError):
            return time.time() < end
        return False

    def close(s):
        s.sk.close()


def rw10(op, lba, n):
    return bytes([op, 0]) + lba.to_bytes(4, 'big') + b'\0' + \
        n.to_bytes(2, 'big') + b'\0'


def sess_dir():
    try:
        d = [x for x in os.listdir(SDIR) if os.path.isdir(SDIR + '/' + x)]
    except OSError:
        return None
    return SDIR + '/' + d[0] if d else None


def conn_dirs():
    """{directory name: cid} of the session's connections."""
    s = sess_dir()
    out = {}
    for x in os.listdir(s) if s else []:
        if os.path.isfile('%s/%s/cid' % (s, x)):
            out[x] = int(open('%s/%s/cid' % (s, x)).read().split()[0])
    return out


def wait(cond, tmo=5):
    end = time.time() + tmo
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


BS = 512


def main():
    # ---- leading login, a second connection with the TSIH, the tree
    s = Sess(0x56)
    a = Conn(s, 1)
    st = a.login()
    ok(st == (0, 0) and a.keys.get('MaxConnections') == '2',
       'leading login: status %s, MaxConnections=%s, TSIH %d'
       % (st, a.keys.get('MaxConnections'), s.tsih))
    b = Conn(s, 2)
    st = b.login('MaxConnections=2\0InitialR2T=No\0')
    ok(st == (0, 0), 'second connection joins TSIH %d: status %s'
       % (s.tsih, st,))
    ok(b.keys.get('MaxConnections') == 'Irrelevant' and
       b.keys.get('InitialR2T') == 'Irrelevant',
       'leading-only keys on the second login answered Irrelevant: %s'
       % {k: b.keys.get(k) for k in ('MaxConnections', 'InitialR2T')})
    ok(wait(lambda: conn_dirs() == {'127.0.0.1': 1, '127.0.0.1_1': 2}),
       'tree lists both connections: %s' % conn_dirs())

    # ---- commands on both: WRITE on one, READ back on the other (after
    # the new session's unit attention, which TEST UNIT READY takes)
    for _ in range(3):
        if a.result(a.scsi(b'\0' * 6))[0] == 0:
            break
    pat = bytes(range(256)) * (4 * BS // 256)
    it = a.scsi(rw10(0x2a, 8, 4), out=pat)
    st_a, _ = a.result(it)
    it = b.scsi(rw10(0x28, 8, 4), edtl=4 * BS, read=True)
    st_b, data = b.result(it)
    ok(st_a == 0 and st_b == 0 and data == pat,
       'WRITE on cid 1, READ back on cid 2 (statuses %d %d, data %s)'
       % (st_a, st_b, 'equal' if data == pat else 'differs'))

    # ---- out of order across connections: held for its CmdSN
    pat2 = bytes([0xa5]) * (4 * BS)
    n = s.cmdsn
    s.cmdsn += 2
    # ORDERED: SIMPLE tasks may run in any order (SAM-5 8.6), so only an
    # ORDERED READ must see the WRITE that precedes it in CmdSN order.
    it_r = b.scsi(rw10(0x28, 16, 4), edtl=4 * BS, read=True, cmdsn=n + 1,
                  attr=2)
    try:
        b.recv(0.5)
        early = True
    except socket.timeout:
        early = False
    ok(not early, 'READ with CmdSN %d on cid 2 held while %d is missing'
       % (n + 1, n))
    it_w = a.scsi(rw10(0x2a, 16, 4), out=pat2, cmdsn=n)
    st_a, _ = a.result(it_w)
    st_b, data = b.result(it_r)
    ok(st_a == 0 and st_b == 0 and data == pat2,
       'then WRITE with CmdSN %d on cid 1: both run, in CmdSN order '
       '(the READ sees the WRITE: %s)' % (n, data == pat2))

    # ---- a third connection is one too many; a wrong TSIH
    c = Conn(s, 3)
    ok(c.login() == (2, 6), 'third connection beyond MaxConnections=2: '
       'status 02/06 (too many connections)')
    c.close()
    bad = Sess(0x56)
    bad.tsih = (s.tsih + 1) & 0xffff or 1
    c = Conn(bad, 3)
    st = c.login()
    ok(st == (2, 10), 'unknown TSIH %d: status %02x/%02x (want 02/0a)'
       % (bad.tsih, st[0] & 0xff, st[1] & 0xff))
    c.close()

    # ---- logout of cid 2 by CID, from cid 1
    r = a.logout(1, cid=2)
    ok(r == 0 and b.eof(5), 'Logout reason 1 CID 2 sent on cid 1: '
       'response %d, cid 2 closed' % r)
    b.close()
    ok(wait(lambda: conn_dirs() == {'127.0.0.1': 1}),
       'tree lists cid 1 only: %s' % conn_dirs())
    it = a.scsi(rw10(0x28, 8, 4), edtl=4 * BS, read=True)
    st_a, data = a.result(it)
    ok(st_a == 0 and data == pat, 'the session goes on on cid 1')

    # ---- connection reinstatement: the same CID logs in again
    b = Conn(s, 2)
    ok(b.login() == (0, 0), 'cid 2 joins again')
    b2 = Conn(s, 2)
    st = b2.login()
    ok(st == (0, 0) and b.eof(5),
       'connection reinstatement of cid 2: status %s, old cid 2 closed'
       % (st,))
    b.close()
    ok(wait(lambda: sorted(conn_dirs().values()) == [1, 2]),
       'tree after reinstatement: %s' % conn_dirs())
    it = b2.scsi(rw10(0x28, 16, 4), edtl=4 * BS, read=True)
    st_b, data = b2.result(it)
    ok(st_b == 0 and data == pat2, 'commands on the reinstated cid 2')

    # ---- ErrorRecoveryLevel 0: one connection fails -> session recovery
    b2.sk.shutdown(socket.SHUT_RDWR)
    b2.close()
    ev = None
    try:
        h, d = a.recv(5)
        if h[0] & 0x3f == 0x32:
            ev = h[36]
    except (EOFError, socket.timeout, OSError):
        pass
    ok(ev == 3 and a.eof(5), 'cid 2 killed at ERL 0: AsyncEvent %s (want 3, '
       'drop all connections) on cid 1, which is closed' % ev)
    a.close()
    ok(wait(lambda: sess_dir() is None),
       'the session is gone (session recovery, RFC 7143 7.1.4.4, 7.14)')

    # ---- Logout "close the session" closes both connections
    s = Sess(0x57)
    a, b = Conn(s, 1), Conn(s, 2)
    ok(a.login() == (0, 0) and b.login() == (0, 0), 'new session, two '
       'connections')
    r = a.logout(0)
    ok(r == 0 and a.eof(5) and b.eof(5),
       'Logout reason 0 on cid 1: response %d, both closed' % r)
    a.close()
    b.close()
    ok(wait(lambda: sess_dir() is None), 'the session is gone')

    # ---- session reinstatement: a leading login with the same ISID
    s = Sess(0x59)
    a, b = Conn(s, 1), Conn(s, 2)
    a.login()
    b.login()
    s2 = Sess(0x59)
    n = Conn(s2, 1)
    st = n.login()
    ok(st == (0, 0) and s2.tsih != s.tsih and a.eof(5) and b.eof(5),
       'session reinstatement (RFC 7143 6.3.5): new TSIH %d, both old '
       'connections closed' % s2.tsih)
    a.close()
    b.close()
    ok(wait(lambda: conn_dirs() == {'127.0.0.1': 1}) and
       open(sess_dir() + '/reinstating').read().strip() == '0',
       'one session left, one connection, reinstating 0 once done')
    n.logout(0)
    n.close()
    ok(wait(lambda: sess_dir() is None), 'logged out')

    # ---- the last connection logged out by reason 1 ends the session
    s = Sess(0x58)
    a = Conn(s, 1)
    a.login()
    r = a.logout(1)
    ok(r == 0 and a.eof(5) and wait(lambda: sess_dir() is None),
       'Logout reason 1 of the only connection ends the session '
       '(RFC 7143 6.3.5)')
    a.close()
    return fails


if __name__ == '__main__':
    try:
        sys.exit(1 if main() else 0)
    except Exception as e:
        print('FAIL: %s: %s' % (type(e).__name__, e), flush=True)
        sys.exit(1)
