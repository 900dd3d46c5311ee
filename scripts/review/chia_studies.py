#!/usr/bin/env python3
"""Writes the Chia corpus's criteria as ClinicalTrials.gov API v2 studies, for review rounds on trials that no
file of the repository names and that the shared ctgov corpus does not hold.

  scripts/review/chia_studies.py ../shared/data/chia/without_scope OUT.json

Each Chia trial (NCTxxxxxxxx_inc.txt and _exc.txt, one criterion a line) becomes a study with only an NCT ID, a
title saying where it came from, and an eligibility block "Inclusion Criteria:" / "Exclusion Criteria:" with one
"* " item a line. Chia has no conditions, titles or age limits, so the parser reads these criteria without the
study context it has for registry records ("other malignancy" cannot be told from the trial's own disease).
Write OUT outside the repository: it is derived from shared data (CC BY 4.0, Kury et al., Scientific Data 2020)."""
import json, os, re, sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
src, out = sys.argv[1], sys.argv[2]
ids = sorted({m.group(1) for f in os.listdir(src) if (m := re.match(r"(NCT\d{8})_(inc|exc)\.txt$", f))})
studies = []
for nct in ids:
    parts = []
    for name, head in (("inc", "Inclusion Criteria:"), ("exc", "Exclusion Criteria:")):
        path = os.path.join(src, f"{nct}_{name}.txt")
        if not os.path.exists(path):
            continue
        lines = [l.strip() for l in open(path, encoding="utf-8", errors="replace").read().splitlines()]
        lines = [l for l in lines if l]
        if lines:
            parts.append(head + "\n\n" + "\n".join("* " + l for l in lines))
    if not parts:
        continue
    studies.append({"protocolSection": {
        "identificationModule": {"nctId": nct, "briefTitle": f"Chia corpus criteria of {nct}"},
        "eligibilityModule": {"eligibilityCriteria": "\n\n".join(parts)}}})
json.dump(studies, open(out, "w"), indent=1)
print(f"{len(studies)} studies written to {out}")
