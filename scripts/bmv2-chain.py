#!/usr/bin/python3
"""Drives a chain of bmv2 simple_switch processes for `dune p4 bmv2` (run with /usr/bin/python3).

Usage: bmv2-chain.py JOB.json

The Swift command prepares everything pure (programs compiled with -DDUNE_REPLAY_TIME, command
files, the frames to send, each with the 8-byte capture-time header) and compares the outcome; this
script only does the IO it cannot: one simple_switch per switch, packets over bmv2's nanomsg
packet interface, learning notifications (digests) over nanomsg, and the controller over Thrift.

Lockstep with the emulator's controller (ChainProtocol.controllerActionIndex): the merged stream is
processed in batches of P packets. Switch 1 processes the whole batch, switch 2 gets switch 1's
outputs, and so on; then the controller handles every digest of the batch (flow_class entry on
every switch, first decision kept; every per-flow register of every switch zeroed at the slot;
the learning buffer acknowledged), then the next batch.

JOB.json: {"simpleSwitch", "cli", "bmv2Python", "socketDir", "frames", "output", "result",
           "period", "window", "digestQuietMs", "packetTimeoutS",
           "switches": [{"name", "json", "commands", "controller", "log"}]}
frames/output: records of a 4-byte big-endian length and the frame bytes.
result: {"entries": [..], "digests": [..], "flowEntries", "duplicateFlowEntries", "registerWrites",
         "batches", "packetSeconds", "loadSeconds"} or {"error": "..."}.
"""

import ctypes
import ctypes.util
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time

# nanomsg (nn.h, pair.h, pubsub.h)
AF_SP = 1
NN_PAIR = 1 * 16 + 0
NN_SUB = 2 * 16 + 1
NN_SUB_SUBSCRIBE = 1
NN_SOL_SOCKET = 0
NN_RCVTIMEO = 5
NN_DONTWAIT = 1
NN_POLLIN = 1
NN_MSG = ctypes.c_size_t(-1).value
EAGAIN = 11
ETIMEDOUT = 110

# bmv2 packet interface (src/bm_sim/dev_mgr_packet_in.cpp): {int type, int port, int more} + frame
MSG_PACKET_IN = 3
MSG_PACKET_OUT = 4
PKT_HDR = struct.Struct("<iii")
# learning notification header (include/bm/bm_sim/learning.h, 32 bytes, packed, host order)
LEA_HDR = struct.Struct("<4sQIiQI")

IPV4 = 0x0800


class Failure(Exception):
    pass


class NN:
    def __init__(self):
        path = ctypes.util.find_library("nanomsg") or "libnanomsg.so.5"
        lib = ctypes.CDLL(path, use_errno=True)
        lib.nn_socket.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.nn_connect.argtypes = [ctypes.c_int, ctypes.c_char_p]
        lib.nn_setsockopt.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        lib.nn_send.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        lib.nn_recv.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        lib.nn_freemsg.argtypes = [ctypes.c_void_p]
        lib.nn_close.argtypes = [ctypes.c_int]
        lib.nn_errno.restype = ctypes.c_int
        lib.nn_strerror.argtypes = [ctypes.c_int]
        lib.nn_strerror.restype = ctypes.c_char_p

        class PollFd(ctypes.Structure):
            _fields_ = [("fd", ctypes.c_int), ("events", ctypes.c_short), ("revents", ctypes.c_short)]

        self.PollFd = PollFd
        lib.nn_poll.argtypes = [ctypes.POINTER(PollFd), ctypes.c_int, ctypes.c_int]
        self.lib = lib

    def error(self, what):
        e = self.lib.nn_errno()
        return Failure("nanomsg %s: %s" % (what, self.lib.nn_strerror(e).decode()))

    def socket(self, protocol, address):
        s = self.lib.nn_socket(AF_SP, protocol)
        if s < 0:
            raise self.error("socket")
        if self.lib.nn_connect(s, address.encode()) < 0:
            raise self.error("connect " + address)
        return s

    def set_int(self, s, level, option, value):
        v = ctypes.c_int(value)
        if self.lib.nn_setsockopt(s, level, option, ctypes.byref(v), ctypes.sizeof(v)) < 0:
            raise self.error("setsockopt")

    def send(self, s, data):
        if self.lib.nn_send(s, data, len(data), 0) != len(data):
            raise self.error("send")

    def recv(self, s, flags=0):
        """One message, or None on timeout (NN_RCVTIMEO) / nothing pending (NN_DONTWAIT)."""
        buf = ctypes.c_void_p()
        n = self.lib.nn_recv(s, ctypes.byref(buf), NN_MSG, flags)
        if n < 0:
            if self.lib.nn_errno() in (EAGAIN, ETIMEDOUT):
                return None
            raise self.error("recv")
        data = ctypes.string_at(buf, n)
        self.lib.nn_freemsg(buf)
        return data

    def poll(self, sockets, timeout_ms):
        fds = (self.PollFd * len(sockets))(*[self.PollFd(s, NN_POLLIN, 0) for s in sockets])
        n = self.lib.nn_poll(fds, len(sockets), timeout_ms)
        if n < 0:
            raise self.error("poll")
        return [fds[i].revents & NN_POLLIN != 0 for i in range(len(sockets))]


def read_records(path):
    with open(path, "rb") as f:
        data = f.read()
    out, i = [], 0
    while i < len(data):
        (n,) = struct.unpack_from(">I", data, i)
        out.append(data[i + 4:i + 4 + n])
        i += 4 + n
    return out


def write_records(path, frames):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        for fr in frames:
            f.write(struct.pack(">I", len(fr)))
            f.write(fr)
    os.replace(tmp, path)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Switch:
    def __init__(self, index, spec, job, nn):
        self.index = index
        self.name = spec["name"]
        self.spec = spec
        with open(spec["json"]) as f:
            self.bmv2 = json.load(f)
        with open(spec["controller"]) as f:
            self.controller = json.load(f)
        sock_dir = job["socketDir"]
        self.packet_addr = "ipc://%s/%d-pkt.ipc" % (sock_dir, index)
        self.notify_addr = "ipc://%s/%d-ntf.ipc" % (sock_dir, index)
        self.port = free_port()
        self.device_id = index
        self.log = open(spec["log"], "wb")
        self.process = subprocess.Popen(
            [job["simpleSwitch"], "--packet-in", self.packet_addr, "--notifications-addr", self.notify_addr,
             "--thrift-port", str(self.port), "--device-id", str(self.device_id), spec["json"]],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.nn = nn
        self.client = None
        self.transport = None
        self.pkt = None
        self.sub = None

    def connect(self, bm, timeout_s=60):
        from thrift.protocol import TBinaryProtocol, TMultiplexedProtocol
        from thrift.transport import TSocket, TTransport
        deadline = time.time() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise Failure("%s: simple_switch exited with status %d (log: %s)"
                              % (self.name, self.process.returncode, self.spec["log"]))
            try:
                transport = TTransport.TBufferedTransport(TSocket.TSocket("127.0.0.1", self.port))
                protocol = TMultiplexedProtocol.TMultiplexedProtocol(
                    TBinaryProtocol.TBinaryProtocol(transport), "standard")
                client = bm.Standard.Client(protocol)
                transport.open()
                client.bm_get_config_md5()
                self.client, self.transport = client, transport
                break
            except Exception:
                if time.time() > deadline:
                    raise Failure("%s: no Thrift server on port %d after %d s" % (self.name, self.port, timeout_s))
                time.sleep(0.2)
        # Subscribe before any packet is sent: a PUB socket drops what no subscriber takes.
        self.sub = self.nn.socket(NN_SUB, self.notify_addr)
        self.nn.lib.nn_setsockopt(self.sub, NN_SUB, NN_SUB_SUBSCRIBE, b"", 0)
        self.pkt = self.nn.socket(NN_PAIR, self.packet_addr)

    def stop(self):
        if self.transport is not None:
            try:
                self.transport.close()
            except Exception:
                pass
        for s in (self.pkt, self.sub):
            if s is not None:
                self.nn.lib.nn_close(s)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def load_commands(sw, cli):
    """Feeds the command file to simple_switch_CLI; every line must be accepted."""
    path = sw.spec["commands"]
    with open(path) as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, line in enumerate(lines):
        # The CLI (Python's cmd) repeats the previous command on an empty line.
        if not line.strip():
            raise Failure("%s:%d: empty line (simple_switch_CLI would repeat the previous command)" % (path, i + 1))
    if not lines:
        # A switch whose tables are all empty (e.g. a one-class sub-model: every tree is one leaf):
        # an empty input line would make the CLI repeat the previous command.
        return 0
    run = subprocess.run([cli, "--thrift-port", str(sw.port)], input="\n".join(lines) + "\n",
                         capture_output=True, text=True)
    # One prompt before each input line and one before end of input.
    chunks = run.stdout.split("RuntimeCmd: ")
    if run.returncode != 0 or len(chunks) != len(lines) + 2:
        raise Failure("%s: simple_switch_CLI exited with %d after %d of %d lines: %s"
                      % (path, run.returncode, max(len(chunks) - 2, 0), len(lines),
                         (run.stderr or run.stdout)[-2000:]))
    added = 0
    for i, (line, out) in enumerate(zip(lines, chunks[1:])):
        bad = [l for l in out.split("\n")
               if l.startswith(("Error", "Invalid", "*** ", "Traceback")) or "exception" in l.lower()]
        ok = not bad and (not line.startswith("table_add") or "Entry has been added with handle" in out)
        if not ok:
            raise Failure("%s:%d: simple_switch_CLI refused '%s': %s"
                          % (path, i + 1, line, (bad[0] if bad else out.strip())[:500]))
        if line.startswith("table_add"):
            added += 1
    return added


def learn_list_id(sw):
    lists = sw.bmv2.get("learn_lists", [])
    if len(lists) > 1:
        raise Failure("%s: %d learn lists, expected at most one digest" % (sw.name, len(lists)))
    return lists[0]["id"] if lists else None


def qualified_action(sw, table, action):
    for t in sw.bmv2["pipelines"][0]["tables"]:
        if t["name"] == table:
            for a in t["actions"]:
                if a == action or a.endswith("." + action):
                    return a
            raise Failure("%s: table %s has no action %s" % (sw.name, table, action))
    raise Failure("%s: no table %s in the compiled program" % (sw.name, table))


def ip_part(frame):
    """(capture time, bytes from the IPv4 header on): what no switch changes."""
    ether_type = struct.unpack_from(">H", frame, 20)[0]
    start = 22 if ether_type == IPV4 else 30  # DUNE shim: 8 bytes after Ethernet
    return frame[:8], frame[start:]


def five_tuple(frame):
    _, ip = ip_part(frame)
    ihl = (ip[0] & 0x0F) * 4
    proto = ip[9]
    sport, dport = struct.unpack_from(">HH", ip, ihl) if proto in (6, 17) and len(ip) >= ihl + 4 else (0, 0)
    return (ip[12:16], ip[16:20], sport, dport, proto)


def main():
    job_path = sys.argv[1]
    with open(job_path) as f:
        job = json.load(f)
    result_path = job["result"]
    nn = NN()
    switches = []
    try:
        sys.path.insert(0, job["bmv2Python"])
        from bm_runtime.standard import Standard
        from bm_runtime.standard.ttypes import (BmAddEntryOptions, BmMatchParam, BmMatchParamExact,
                                                BmMatchParamType, InvalidTableOperation, TableOperationErrorCode)

        class BM:
            pass
        bm = BM()
        bm.Standard = Standard

        t0 = time.time()
        for i, spec in enumerate(job["switches"]):
            switches.append(Switch(i, spec, job, nn))
        for sw in switches:
            sw.connect(bm)
        entries = [load_commands(sw, job["cli"]) for sw in switches]
        lists = []
        for sw in switches:
            lid = learn_list_id(sw)
            if lid is not None:
                # One sample per notification, sent as soon as it is learnt.
                sw.client.bm_learning_set_buffer_size(0, lid, 1)
            lists.append(lid)
        for sw in switches:
            sw.nn.set_int(sw.pkt, NN_SOL_SOCKET, NN_RCVTIMEO, int(job["packetTimeoutS"] * 1000))
        # Controller tables: where each switch takes a digest's 5-tuple and class.
        flow_tables = []
        for sw in switches:
            ft = sw.controller["flowTable"]
            flow_tables.append((ft["table"], qualified_action(sw, ft["table"], ft["action"]),
                                [(k["digestField"], (k["bits"] + 7) // 8) for k in ft["keys"]]))
        load_seconds = time.time() - t0

        frames = read_records(job["frames"])
        period, window = job["period"], job["window"]
        quiet = job["digestQuietMs"]
        digests = [0] * len(switches)
        counters = {"flowEntries": 0, "duplicateFlowEntries": 0, "registerWrites": 0}
        final = []
        subs = [sw.sub for sw in switches]
        t1 = time.time()
        last_report = t1
        batches = (len(frames) + period - 1) // period
        for b in range(batches):
            batch = frames[b * period:(b + 1) * period]
            cur = batch
            for sw in switches:
                out = []
                sent = 0
                # At most `window` packets in flight: simple_switch's egress queues drop when full.
                while len(out) < len(cur):
                    while sent < len(cur) and sent - len(out) < window:
                        fr = cur[sent]
                        nn.send(sw.pkt, PKT_HDR.pack(MSG_PACKET_IN, 0, len(fr)) + fr)
                        sent += 1
                    msg = nn.recv(sw.pkt)
                    if msg is None:
                        raise Failure("%s: %d of %d packets of batch %d did not come out within %s s (dropped?)"
                                      % (sw.name, len(cur) - len(out), len(cur), b, job["packetTimeoutS"]))
                    kind, _, n = PKT_HDR.unpack_from(msg)
                    if kind != MSG_PACKET_OUT:
                        continue
                    out.append(msg[PKT_HDR.size:PKT_HDR.size + n])
                for k, (i, o) in enumerate(zip(cur, out)):
                    if ip_part(i) != ip_part(o):
                        raise Failure("%s: packet %d of batch %d came out altered or out of order"
                                      % (sw.name, b * period + k, b))
                cur = out
            final.extend(cur)
            # The batch's digests: every switch has finished the batch; wait until the sockets are quiet.
            received = []
            while True:
                ready = nn.poll(subs, quiet)
                if not any(ready):
                    break
                for k, r in enumerate(ready):
                    while r:
                        msg = nn.recv(subs[k], NN_DONTWAIT)
                        if msg is None:
                            break
                        received.append((k, msg))
            tuples = set(five_tuple(fr) for fr in batch)
            for k, msg in sorted(received, key=lambda x: x[0]):
                topic, switch_id, cxt, list_id, buffer_id, samples = LEA_HDR.unpack_from(msg)
                if topic != b"LEA|":
                    continue
                sw = switches[k]
                if switch_id != sw.device_id or list_id != lists[k]:
                    raise Failure("%s: notification for device %d list %d" % (sw.name, switch_id, list_id))
                fields = [(f["name"], (f["bits"] + 7) // 8) for f in sw.controller["digest"]["fields"]]
                size = sum(w for _, w in fields)
                body = msg[LEA_HDR.size:]
                if len(body) != samples * size:
                    raise Failure("%s: learning message of %d bytes for %d samples of %d" % (sw.name, len(body),
                                                                                           samples, size))
                for s in range(samples):
                    raw, at = {}, s * size
                    for name, w in fields:
                        raw[name] = body[at:at + w]
                        at += w
                    tup = (raw["src_addr"], raw["dst_addr"], int.from_bytes(raw["src_port"], "big"),
                           int.from_bytes(raw["dst_port"], "big"), int.from_bytes(raw["protocol"], "big"))
                    if tup not in tuples:
                        raise Failure("%s: digest for a flow with no packet in batch %d (late notification?)"
                                      % (sw.name, b))
                    digests[k] += 1
                    slot = int.from_bytes(raw[sw.controller["registers"]["slotField"]], "big")
                    cls = raw[sw.controller["flowTable"]["classField"]]
                    for t, target in enumerate(switches):
                        table, action, keys = flow_tables[t]
                        match = [BmMatchParam(type=BmMatchParamType.EXACT,
                                              exact=BmMatchParamExact(raw[f][-w:].rjust(w, b"\0")))
                                 for f, w in keys]
                        try:
                            target.client.bm_mt_add_entry(0, table, match, action, [cls], BmAddEntryOptions())
                            counters["flowEntries"] += 1
                        except InvalidTableOperation as e:
                            if e.code != TableOperationErrorCode.DUPLICATE_ENTRY:
                                raise Failure("%s: adding %s entry: %s" % (target.name, table, e))
                            counters["duplicateFlowEntries"] += 1  # the first decision is kept
                        for reg in target.controller["registers"]["clear"]:
                            target.client.bm_register_write(0, reg, slot, 0)
                            counters["registerWrites"] += 1
                sw.client.bm_learning_ack_buffer(0, list_id, buffer_id)
            if time.time() - last_report > 10:
                last_report = time.time()
                print("bmv2: batch %d of %d (%d packets, %.0f s)" % (b + 1, batches, len(final), last_report - t1),
                      file=sys.stderr, flush=True)
        packet_seconds = time.time() - t1
        # Nothing may arrive after the last batch was settled.
        if any(nn.poll(subs, 500)):
            raise Failure("a learning notification arrived after the last batch was settled")
        write_records(job["output"], final)
        result = {"entries": entries, "digests": digests, "batches": batches, "packetSeconds": packet_seconds,
                  "loadSeconds": load_seconds}
        result.update(counters)
    except Failure as e:
        result = {"error": str(e)}
    except Exception as e:  # a Thrift or OS error: report it the same way
        result = {"error": "%s: %s" % (type(e).__name__, e)}
    finally:
        for sw in switches:
            sw.stop()
    with open(result_path + ".tmp", "w") as f:
        json.dump(result, f, sort_keys=True)
    os.replace(result_path + ".tmp", result_path)
    if "error" in result:
        print("bmv2: " + result["error"], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
