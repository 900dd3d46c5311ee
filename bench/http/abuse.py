#!/usr/bin/env python3
"""Attacks a running `trialscope serve` the way issue 14 found it stalled, and reports what a normal client sees.

  bench/http/abuse.py --port 8080                      # all of it
  bench/http/abuse.py --port 8080 --only attack --slowloris 200 --idle 500 --requests 200

Phases:
  attack   S slowloris connections (one header byte a second) and I idle keep-alive connections (one request,
           then silence), while a normal client makes R requests on new connections: p50, p99, max, failures.
  framing  pipelined requests, conflicting / negative Content-Length, a raw NUL, every method, an oversized header
           section, a long URI: the status of each and how long the answer took.
  stuck    a client that pipelines large requests and stops reading; a normal request meanwhile.
On loopback the attack connections come from 127.0.0.10-39 so that a per-address cap does not hide the attack.
The same attack runs in CI as src/api/http_abuse_test.cc.
"""
import argparse
import concurrent.futures
import resource
import socket
import statistics
import threading
import time


def connect(host, port, source=None, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if source:
        s.bind((source, 0))
    s.connect((host, port))
    return s


def read_response(s, head=False):
    """Reads one response: (status, headers dict, body) or None on EOF / timeout."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
        head_bytes, rest = data.split(b"\r\n\r\n", 1)
        lines = head_bytes.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        length = 0 if head or status in (204, 304) else int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return status, headers, rest[:length], rest[length:]
    except (socket.timeout, OSError):
        return None


def exchange(host, port, raw, timeout=5.0, head=False):
    start = time.monotonic()
    try:
        s = connect(host, port, timeout=timeout)
        s.sendall(raw)
        r = read_response(s, head)
        s.close()
    except OSError:
        r = None
    return r, (time.monotonic() - start) * 1000


def get(path, extra=""):
    return ("GET %s HTTP/1.1\r\nHost: bench\r\n%s\r\n" % (path, extra)).encode()


def attacker_source(host, i):
    return "127.0.0.%d" % (10 + i % 30) if host == "127.0.0.1" else None


def open_nonblocking(host, port, source):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.setblocking(False)
    s.connect_ex((host, port))
    return s


def slowloris(host, port, count, stop, stats):
    """Keeps `count` connections each sending one byte of an endless header a second; reconnects cut ones."""
    socks = [None] * count
    sent = [0] * count
    prefix = b"GET /api/v2/version HTTP/1.1\r\nHost: bench\r\nX-a: "
    while not stop.is_set():
        for i in range(count):
            if socks[i] is None:
                socks[i] = open_nonblocking(host, port, attacker_source(host, i))
                sent[i] = 0
                stats["connects"] += 1
            byte = prefix[sent[i]:sent[i] + 1] or b"x"
            try:
                if socks[i].send(byte) == 1:
                    sent[i] += 1
            except BlockingIOError:
                pass  # still connecting (a full backlog) or a full send buffer
            except OSError:
                socks[i].close()
                socks[i] = None
        stop.wait(1.0)
    for s in socks:
        if s:
            s.close()


def open_idle(host, port, i):
    """One keep-alive connection that makes one request and then stays silent; None if that failed."""
    try:
        s = connect(host, port, attacker_source(host, i + 7), timeout=2.0)
        s.sendall(get("/api/v2/version"))
        if read_response(s) is not None:
            return s
        s.close()
    except OSError:
        pass
    return None


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100.0 * len(values))) - 1))]


def attack(args):
    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        opened = list(pool.map(lambda i: open_idle(args.host, args.port, i), range(args.idle)))
    idle = [s for s in opened if s is not None]
    failed_idle = len(opened) - len(idle)
    stop = threading.Event()
    stats = {"connects": 0}
    t = threading.Thread(target=slowloris, args=(args.host, args.port, args.slowloris, stop, stats))
    t.start()
    time.sleep(2.0)
    times, failures = [], 0
    for i in range(args.requests):
        path = "/api/v2/studies?query.cond=aplastic%20anemia&pageSize=2" if i % 2 else "/api/v2/version"
        r, ms = exchange(args.host, args.port, get(path), timeout=args.timeout)
        times.append(ms)
        if r is None or r[0] != 200:
            failures += 1
        time.sleep(0.015)
    stop.set()
    t.join()
    for s in idle:
        s.close()
    print("attack: %d slowloris + %d idle keep-alive (%d idle setups failed; slowloris connects %d)"
          % (args.slowloris, args.idle, failed_idle, stats["connects"]))
    print("  normal client, %d requests on new connections: p50 %.1f ms, p99 %.1f ms, max %.1f ms, failed %d"
          % (len(times), statistics.median(times), percentile(times, 99), max(times), failures))


def framing(args):
    h, p = args.host, args.port
    post = b"POST /api/match HTTP/1.1\r\nHost: bench\r\n"
    cases = [
        ("pipelined x3 (answers)", get("/api/v2/version") * 3, "pipeline"),
        ("two Content-Length 5 / 6", post + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}   ", None),
        ("Content-Length: -1", post + b"Content-Length: -1\r\n\r\n", None),
        ("Content-Length + chunked", post + b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", None),
        ("raw NUL in a header", post + b"X-Bad: a\x00b\r\nContent-Length: 0\r\n\r\n", None),
        ("header section 9 KB", get("/api/v2/version", "X-Filler: " + "a" * 9000 + "\r\n"), None),
        ("URI 20 KB", get("/api/v2/studies?query.term=" + "a" * 20000), None),
        ("HEAD /api/v2/version", b"HEAD /api/v2/version HTTP/1.1\r\nHost: bench\r\n\r\n", "head"),
    ]
    for m in ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FROB"]:
        cases.append(("%s /api/v2/studies" % m, ("%s /api/v2/studies HTTP/1.1\r\nHost: bench\r\nContent-Length: 0\r\n\r\n" % m).encode(), None))
    for name, raw, kind in cases:
        start = time.monotonic()
        if kind == "pipeline":
            try:
                s = connect(h, p, timeout=args.timeout)
                s.sendall(raw)
                answered, rest = 0, b""
                for _ in range(3):
                    r = read_response(s)
                    if r is None:
                        break
                    answered += 1
                s.close()
            except OSError:
                answered = 0
            print("  %-28s %d of 3 answered in %.0f ms" % (name, answered, (time.monotonic() - start) * 1000))
            continue
        r, ms = exchange(h, p, raw, timeout=args.timeout, head=(kind == "head"))
        if r is None:
            print("  %-28s no answer (%.0f ms)" % (name, ms))
        else:
            shape = "error shape" if r[2].startswith(b'{"error":') else ("empty body" if not r[2] else "other body")
            print("  %-28s %d in %.0f ms, %s, nosniff=%s" % (name, r[0], ms, shape,
                                                          r[1].get("x-content-type-options", "-")))


def stuck(args):
    s = connect(args.host, args.port, timeout=args.timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        s.sendall(get("/api/v2/studies?pageSize=100") * 200)
    except OSError:
        pass
    time.sleep(0.5)
    r, ms = exchange(args.host, args.port, get("/api/v2/version"), timeout=args.timeout)
    print("  a client that stops reading 200 large responses; a normal request meanwhile: %s in %.1f ms"
          % (r[0] if r else "no answer", ms))
    s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--slowloris", type=int, default=200)
    ap.add_argument("--idle", type=int, default=500)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=5.0, help="per request, seconds")
    ap.add_argument("--only", choices=["attack", "framing", "stuck"])
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    if args.only in (None, "framing"):
        print("framing (status, time to answer):")
        framing(args)
    if args.only in (None, "stuck"):
        print("stuck reader:")
        stuck(args)
    if args.only in (None, "attack"):
        attack(args)


if __name__ == "__main__":
    main()
