#!/usr/bin/env python3
"""A small stand-in for the ClinicalTrials.gov API v2, for the sync tests and bench. Loopback only.

    ctgov_standin.py --corpus tests/fixtures/studies [--corpus ../shared/data/ctgov/v2] [--repeat 100000]
                     [--tls-cert cert.pem --tls-key key.pem]

Prints one line "PORT <api port> CONTROL <control port>" on stdout when it listens, then serves:
  GET /api/v2/version   {"apiVersion": "2.0.3-standin", "dataTimestamp": ...}
  GET /api/v2/studies   pageSize (1..1000), pageToken, filter.advanced=AREA[LastUpdatePostDate]RANGE[d,MAX],
                        sorted by LastUpdatePostDate then study id (the registry's sort=LastUpdatePostDate:asc).
A record without a LastUpdatePostDate counts as 2000-01-01 for filtering and sorting (it is served as it is).
The corpus is every study object of the JSON files given (arrays or single objects), one per study id (the
newest LastUpdatePostDate wins). --repeat N serves N studies: the corpus again and again under new NCT ids.

The control port (plain HTTP) takes:
  POST /faults   a JSON list of faults queued for the next matching requests, each
                 {"kind": K, "on": "studies"|"version" (default studies), "skip": n (matching requests first
                 served normally), "retry_after": "1", "stall_ms": 3000}; K is one of
                 429, 500, 503 (status), truncate (Content-Length of the whole body, half of it sent, then
                 the connection closed), short (half the body, with its own Content-Length: bad JSON),
                 no_studies (200 without "studies"), reset (the connection closed with a TCP reset),
                 stall (headers and a few bytes, then silence for stall_ms), change_timestamp (the page is
                 served, then dataTimestamp changes).
  POST /config   {"duplicate": true} (each page starts with the last study of the page before),
                 {"page_delay_ms": n}
  GET /log       every API request so far: [{"t": monotonic seconds at its arrival, "path", "query", "status", "fault",
                 "user_agent", "ids": [study ids served], "bytes": body size}]
  GET /served    the study ids and content hashes of the whole corpus as filtered by a RANGE start
                 (?since=YYYY-MM-DD): what a complete sync from that date must hold.
"""
import argparse
import base64
import glob
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NO_DATE = "2000-01-01"


def study_id(study):
    ident = study.get("protocolSection", {}).get("identificationModule", {})
    return ident.get("nctId") or "org:" + str(ident.get("orgStudyIdInfo", {}).get("id", ""))


def update_date(study):
    return (study.get("protocolSection", {}).get("statusModule", {})
            .get("lastUpdatePostDateStruct", {}).get("date")) or NO_DATE


def load_corpus(paths):
    by_id = {}
    for p in paths:
        files = sorted(glob.glob(os.path.join(p, "*.json"))) if os.path.isdir(p) else [p]
        for f in files:
            with open(f, encoding="utf-8") as fh:
                data = json.load(fh)
            for s in (data if isinstance(data, list) else [data]):
                sid, date = study_id(s), update_date(s)
                if sid not in by_id or by_id[sid][0] <= date:
                    by_id[sid] = (date, json.dumps(s, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return [(date, sid, text) for sid, (date, text) in by_id.items()]


class Registry:
    def __init__(self, corpus, repeat):
        self.lock = threading.Lock()
        self.base = corpus
        self.entries = []  # (date, id, base index)
        for i, (date, sid, _) in enumerate(corpus):
            self.entries.append((date, sid, i))
        # Copies under new NCT ids: only of records that carry an NCT id (another copy of a record without one
        # would be the same study again).
        with_id = [i for i, (_, sid, _) in enumerate(corpus) if sid.startswith("NCT")]
        for i in range(len(corpus), max(repeat, len(corpus))):
            b = with_id[i % len(with_id)]
            self.entries.append((corpus[b][0], "NCT9%07d" % i, b))
        self.entries.sort()
        self.stamp_n = 5
        self.faults = []
        self.duplicate = False
        self.page_delay_ms = 0
        self.log = []

    def stamp(self):
        return "2026-11-20T09:00:%02d" % self.stamp_n

    def text(self, entry):
        date, sid, b = entry
        base_date, base_id, text = self.base[b]
        return text if sid == base_id else text.replace(base_id.encode(), sid.encode())  # UTF-8 bytes

    def take_fault(self, on):
        with self.lock:
            for f in self.faults:
                if f.get("on", "studies") != on:
                    continue
                if f.get("skip", 0) > 0:
                    f["skip"] -= 1
                    continue
                self.faults.remove(f)
                return f
        return None

    def since_index(self, since):
        lo, hi = 0, len(self.entries)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.entries[mid][0] < since:
                lo = mid + 1
            else:
                hi = mid
        return lo


def parse_since(advanced):
    # AREA[LastUpdatePostDate]RANGE[2026-11-01,MAX]
    prefix = "AREA[LastUpdatePostDate]RANGE["
    if not advanced:
        return NO_DATE
    if not advanced.startswith(prefix) or not advanced.endswith(",MAX]"):
        raise ValueError("unsupported filter.advanced: " + advanced)
    return advanced[len(prefix):-len(",MAX]")].strip()


def make_api_handler(reg):
    class Api(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def record(self, status, fault, ids=(), size=0):
            u = urllib.parse.urlsplit(self.path)
            with reg.lock:
                reg.log.append({"t": self.arrived, "path": u.path, "query": dict(urllib.parse.parse_qsl(u.query)),
                                "status": status, "fault": fault, "user_agent": self.headers.get("User-Agent", ""),
                                "ids": list(ids), "bytes": size})

        def send(self, status, body, headers=()):
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def faulty(self, fault, body):
            kind = fault["kind"]
            self.record(int(kind) if kind.isdigit() else 200, kind)
            if kind in ("429", "500", "503"):
                headers = [("Retry-After", fault["retry_after"])] if "retry_after" in fault else []
                self.send(int(kind), json.dumps({"error": kind}), headers)
            elif kind == "truncate":
                data = body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif kind == "short":
                self.send(200, body[: len(body) // 2])
            elif kind == "no_studies":
                self.send(200, json.dumps({"totalCount": len(reg.entries)}))
            elif kind == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
            elif kind == "stall":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(b'{"studies":[')
                self.wfile.flush()
                time.sleep(fault.get("stall_ms", 3000) / 1000.0)
                self.close_connection = True

        def do_GET(self):
            self.arrived = time.monotonic()  # the log's time: when the request arrived
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if u.path == "/api/v2/version":
                fault = reg.take_fault("version")
                body = json.dumps({"apiVersion": "2.0.3-standin", "dataTimestamp": reg.stamp()}).encode()
                if fault:
                    return self.faulty(fault, body)
                self.send(200, body)
                return self.record(200, None)
            if u.path != "/api/v2/studies":
                self.send(404, json.dumps({"error": "not found"}))
                return self.record(404, None)
            try:
                since = parse_since(q.get("filter.advanced"))
                size = int(q.get("pageSize", "10"))
                if not 1 <= size <= 1000:
                    raise ValueError("pageSize must be 1..1000")
                start = reg.since_index(since)
                if "pageToken" in q:
                    tok = json.loads(base64.urlsafe_b64decode(q["pageToken"]))
                    if tok["t"] != reg.stamp() or tok["s"] != since:
                        raise ValueError("stale or foreign pageToken")
                    start = tok["o"]
            except (ValueError, KeyError, TypeError) as e:
                self.send(400, json.dumps({"error": str(e)}))
                return self.record(400, None)
            if reg.page_delay_ms:
                time.sleep(reg.page_delay_ms / 1000.0)
            with reg.lock:
                page = reg.entries[start:start + size]
                nxt = start + len(page)
                if reg.duplicate and len(page) > 1 and nxt < len(reg.entries):
                    nxt -= 1  # the next page starts again with this page's last study
                body = b'{"studies":[' + b",".join(reg.text(e) for e in page) + b"]"
                if nxt < len(reg.entries):
                    tok = json.dumps({"o": nxt, "t": reg.stamp(), "s": since}).encode()
                    body += b',"nextPageToken":"' + base64.urlsafe_b64encode(tok) + b'"'
                body += b"}"
            fault = reg.take_fault("studies")
            if fault and fault["kind"] != "change_timestamp":
                return self.faulty(fault, body)
            self.send(200, body)
            self.record(200, fault["kind"] if fault else None, [e[1] for e in page], len(body))
            if fault:
                with reg.lock:
                    reg.stamp_n += 1

    return Api


def make_control_handler(reg):
    class Control(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, obj):
            data = json.dumps(obj).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
            with reg.lock:
                if self.path == "/faults":
                    reg.faults.extend(body)
                elif self.path == "/config":
                    reg.duplicate = body.get("duplicate", reg.duplicate)
                    reg.page_delay_ms = body.get("page_delay_ms", reg.page_delay_ms)
            self.reply({"ok": True})

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            if u.path == "/log":
                with reg.lock:
                    return self.reply(reg.log)
            if u.path == "/served":
                since = dict(urllib.parse.parse_qsl(u.query)).get("since", NO_DATE)
                with reg.lock:
                    out = {e[1]: hashlib.sha256(reg.text(e)).hexdigest()
                           for e in reg.entries[reg.since_index(since):]}
                return self.reply(out)
            self.reply({"error": "unknown"})

    return Control


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument("--repeat", type=int, default=0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    corpus = load_corpus([p for p in a.corpus if os.path.exists(p)])
    reg = Registry(corpus, a.repeat)
    api = ThreadingHTTPServer(("127.0.0.1", 0), make_api_handler(reg))
    api.daemon_threads = True
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        api.socket = ctx.wrap_socket(api.socket, server_side=True)
    control = ThreadingHTTPServer(("127.0.0.1", 0), make_control_handler(reg))
    control.daemon_threads = True
    threading.Thread(target=control.serve_forever, daemon=True).start()
    print("PORT %d CONTROL %d STUDIES %d" % (api.server_address[1], control.server_address[1], len(reg.entries)),
          flush=True)
    try:
        api.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
