#!/usr/bin/env python3
"""Draws a review round of typed eligibility rules from trials that no file of the repository names.

  scripts/review/draw_round.py --db DB --seed S --shuffle T --out DIR [--bin build/apps/trialscope] [--n 150]
                               [--gated [--form "SECTION KIND, POLARITY"]] [--skip DIR ...]

Runs `trialscope criteria --sample 100000 --seed S --json` on DB (a database of the shared corpus:
`trialscope --db DB import tests/fixtures/studies ../shared/data/ctgov`), keeps the served typed criteria of
studies with an NCT ID that no tracked file names, shuffles them with seed T and keeps one criterion a study,
N in all. Writes DIR/all.json and DIR/a1.json, DIR/a2.json (two halves, for two reviewers). Prints how many
candidates there were: the corpus runs out of unnamed studies as rounds are added to the case file.

--gated draws instead the criteria whose ungated reading (`criteria --ungated`) types a leaf that the form gate
leaves not computable, and gives the reviewers that ungated reading: a round that measures the gated forms again
(scripts/form_gate_counts.py counts its verdicts by form).

--form keeps, of those, the criteria whose served reading gates that form ("exclusion condition, excluding").

--skip DIR leaves out the studies of an earlier round's DIR/all.json (for sources whose studies no file of the
repository names, such as the Chia corpus)."""
import argparse, json, os, random, re, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--seed", required=True)
ap.add_argument("--shuffle", type=int, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--bin", default="build/apps/trialscope")
ap.add_argument("--n", type=int, default=150)
ap.add_argument("--gated", action="store_true")
ap.add_argument("--skip", nargs="*", default=[])
ap.add_argument("--form")
a = ap.parse_args()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
named = set(re.findall(r"NCT\d{8}", subprocess.run(["git", "-C", root, "grep", "-ohE", "NCT[0-9]{8}"],
                                                   capture_output=True, text=True).stdout))
for d in a.skip:
    named |= {r["study"] for r in json.load(open(os.path.join(d, "all.json")))}
def sample(*flags):
    return json.loads(subprocess.run([a.bin, "--db", a.db, "criteria", "--sample", "100000", "--seed", a.seed, "--json",
                                      *flags], capture_output=True, text=True, check=True).stdout)
rows = sample("--ungated") if a.gated else sample()
if a.gated:
    served = {(r["study"], r["kind"], r["label"]): r["rule"] for r in sample("--untyped")}
    rows = [r for r in rows if served.get((r["study"], r["kind"], r["label"])) != r["rule"]]
    if a.form:
        rows = [r for r in rows if f"form_gated ({a.form})" in served.get((r["study"], r["kind"], r["label"]), "")]
rows = [r for r in rows if r["computable"] and r["study"].startswith("NCT") and r["study"] not in named]
random.Random(a.shuffle).shuffle(rows)
seen, pick = set(), []
for r in rows:
    if r["study"] in seen:
        continue
    seen.add(r["study"])
    pick.append(r)
    if len(pick) == a.n:
        break
os.makedirs(a.out, exist_ok=True)
for i, r in enumerate(pick):
    r["i"] = i
json.dump(pick, open(os.path.join(a.out, "all.json"), "w"), indent=1)
half = (len(pick) + 1) // 2
for k, part in enumerate((pick[:half], pick[half:])):
    json.dump([{f: r[f] for f in ("i", "study", "kind", "label", "source", "rule")} for r in part],
              open(os.path.join(a.out, f"a{k + 1}.json"), "w"), indent=1)
print(f"{len(rows)} candidate criteria in studies no file names; {len(pick)} drawn; {len(named)} NCT IDs named")
