#!/usr/bin/env python3
"""Turns a reviewed round into case-file rows and counts it.

  scripts/review/case_rows.py DIR     (DIR/all.json from draw_round.py, the reviewers' DIR/out1.json, DIR/out2.json)

Each reviewer file is a JSON list of {"i", "verdict": "correct" | "false_exclusion" | "false_pass", "clinician",
"why"} (GUIDE.md). Writes DIR/rows.txt, one row a criterion for tests/cases/criteria/reviewed/shared_corpus.cases:
the served rule as `ok:` (correct), `open:` (a false exclusion, until fixed; then `wrong:`) or `gap:` (a false
pass). Prints the counts and every wrong verdict with its text, rule and reason."""
import json, os, sys

d = sys.argv[1]
items = {r["i"]: r for r in json.load(open(os.path.join(d, "all.json")))}
tag = {"correct": "ok", "false_exclusion": "open", "false_pass": "gap"}
reviews = [v for k in (1, 2) for v in json.load(open(os.path.join(d, f"out{k}.json")))]
missing = sorted(set(items) - {v["i"] for v in reviews})
if missing:
    sys.exit(f"{d}: no verdict for items {missing}")
rows, counts = [], {t: 0 for t in tag}
for v in reviews:
    r = items[v["i"]]
    counts[v["verdict"]] += 1
    clinician = " ".join(str(v.get("clinician") or "not computable").split()).replace("|", "/")
    rows.append((v["i"], f'{r["study"]} | {r["kind"]} {r["label"]} | clinician: {clinician} | {tag[v["verdict"]]}: {r["rule"]}'))
open(os.path.join(d, "rows.txt"), "w").write("".join(x + "\n" for _, x in sorted(rows)))
n = len(reviews)
print(f"{counts['correct']}/{n} correct ({100 * counts['correct'] / n:.1f} %), {counts['false_exclusion']} false exclusions "
      f"({100 * counts['false_exclusion'] / n:.1f} %), {counts['false_pass']} false passes")
for v in sorted(reviews, key=lambda v: v["i"]):
    if v["verdict"] != "correct":
        r = items[v["i"]]
        print(f'{v["i"]} {v["verdict"]} {r["study"]} {r["kind"]} {r["label"]}: {" ".join(r["source"].split())[:300]}\n'
              f'   rule: {r["rule"][:300]}\n   why:  {v["why"][:400]}')
