"""Probe of a SQLite FTS5 benchmark database (while search_bench keeps it in its temp dir):
40 text and status-filtered queries of the search_bench shape, without distance. Usage: python3 bench/fts5_probe.py"""
import sqlite3, time, glob, random, statistics
import sqlite3, time, glob, random, statistics
db = glob.glob('/tmp/trialscope-search-bench-*/fts5.db')[0]
con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
random.seed(7)
vocab = ["anemia","thrombocytopenia","carcinoma","diabetes","breast","insulin","leukemia","lymphoma","vaccine","pain",
         "hepatitis","asthma","obesity","depression","stroke","pediatric","chronic","kidney","arthritis","melanoma"]
times = []
for i in range(40):
    ws = random.sample(vocab, 1 + i % 3)
    match = " AND ".join('"%s"' % w for w in ws)
    where = "docs MATCH ?" + (" AND meta.status = 'RECRUITING'" if i % 3 == 0 else "")
    frm = " FROM docs JOIN meta ON meta.id = docs.rowid WHERE " + where
    t = time.perf_counter()
    con.execute("SELECT count(*)" + frm, (match,)).fetchone()
    con.execute("SELECT count(*) FROM (SELECT docs.rowid" + frm + " ORDER BY bm25(docs, 3.0, 2.5, 2.0, 1.0, 0.5) LIMIT 10)", (match,)).fetchone()
    if i % 3 == 0:
        con.execute("SELECT count(*) FROM (SELECT meta.status, count(*)" + frm + " GROUP BY meta.status)", (match,)).fetchone()
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print("fts5 probe: 40 queries, p50 %.1f ms, max %.1f ms, mean %.1f ms" % (times[20], times[-1], statistics.mean(times)))
