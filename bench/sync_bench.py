#!/usr/bin/env python3
"""Throughput and memory of `trialscope sync` against the ClinicalTrials.gov stand-in (rate limit off).

    bench/sync_bench.py build/apps/trialscope [--studies 100000 10000] [--page-size 1000]
    bench/sync_bench.py build/apps/trialscope --smoke          # 2,000 studies, for CI (a few seconds)

For each size: starts tests/support/ctgov_standin.py serving that many studies (the seed fixtures and
../shared/data/ctgov/v2 when present, repeated under new NCT ids), runs one complete `trialscope sync` into a
fresh database, and prints studies/s, the peak resident memory (RSS) of the sync process and the largest page
the stand-in sent. Memory is bounded by a page, not by the registry: the peak follows the largest page (copies of
one record sort together, so at 100,000 studies a page can be 1,000 copies of one big record with results).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDIN = os.path.join(SOURCE, "tests", "support", "ctgov_standin.py")
CORPORA = [os.path.join(SOURCE, "tests", "fixtures", "studies"),
           os.path.join(os.path.dirname(SOURCE), "shared", "data", "ctgov", "v2")]


def one(binary, studies, page_size, tmp):
    args = [sys.executable, STANDIN, "--repeat", str(studies)]
    for c in CORPORA:
        if os.path.isdir(c):
            args += ["--corpus", c]
    standin = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        line = standin.stdout.readline().split()
        port, control, served = int(line[1]), int(line[3]), int(line[5])
        db = os.path.join(tmp, "sync-%d.db" % studies)
        cmd = [binary, "sync", "--db", db, "--api", "http://127.0.0.1:%d" % port, "--since", "2000-01-01",
               "--rate", "0", "--page-size", str(page_size), "--no-index", "--quiet", "--jitter-seed", "1"]
        start = time.monotonic()
        # Run under /usr/bin/time so that the peak RSS is the sync's own, not the stand-in's.
        p = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB %M"] + cmd, capture_output=True, text=True)
        secs = time.monotonic() - start
        if p.returncode != 0:
            sys.exit("sync failed (%d): %s" % (p.returncode, p.stderr[-2000:]))
        rss = next(int(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("MAXRSS_KB"))
        summary = p.stdout.strip().splitlines()[-1]
        log = json.loads(urllib.request.urlopen("http://127.0.0.1:%d/log" % control, timeout=30).read())
        pages = [e["bytes"] for e in log if e["path"] == "/api/v2/studies"]
        return served, secs, rss, summary, max(pages), sum(pages)
    finally:
        standin.terminate()
        standin.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--studies", type=int, nargs="+", default=[100000, 10000])
    ap.add_argument("--page-size", type=int, default=1000)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    sizes = [2000] if a.smoke else a.studies
    print("== sync bench (stand-in on loopback, --rate 0, --page-size %d)" % a.page_size)
    with tempfile.TemporaryDirectory(prefix="trialscope-sync-bench-") as tmp:
        for n in sizes:
            served, secs, rss, summary, biggest, total = one(a.binary, n, a.page_size, tmp)
            print("studies %d: %.1f s, %.0f studies/s, %.1f MB/s; peak RSS %.1f MB; largest page %.1f MB, all pages "
                  "%.1f MB" % (served, secs, served / secs, total / secs / 1e6, rss / 1024, biggest / 1e6, total / 1e6))
            print("  " + summary)


if __name__ == "__main__":
    main()
