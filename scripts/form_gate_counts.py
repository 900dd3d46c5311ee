#!/usr/bin/env python3
"""Counts, by rule form, the reviewed parser outputs of the fresh review rounds (the rows each round
added to tests/cases/criteria/reviewed/shared_corpus.cases, read from the commit that added them), and
prints the table resources/eligibility_form_gate.tsv is derived from.

A form is (section, leaf kind, polarity): polarity is 'required' for a leaf under an even number of NOTs
in an inclusion or an odd number in an exclusion (the patient must meet it), else 'excluding'. A reviewed
output counts once for each form among its leaves; a wrong output (wrong:, open:, gap:) is charged to the
forms of the leaves the clinician's rule does not contain (to all its forms if there is none).

  scripts/form_gate_counts.py [COMMIT...]   (default: the commits of rounds 6, 7 and 8, then round 12)

Rounds 12 and 14 reviewed the readings of gated forms on fresh trials with the parser of their day (the other
rounds since 9 reviewed served rules only, in which gated leaves are not typed). For those forms the table counts
the latest such round alone: it measures today's parser, rounds 6-8 an older one.
"""
import collections
import subprocess
import sys

CASES = "tests/cases/criteria/reviewed/shared_corpus.cases"
ROUNDS = ["14826ed", "f709788", "a38d5a2"]  # rounds 6 (seed 66666), 7 (77777), 8 (88888)
# Later rounds that reviewed the readings of gated forms, each with the forms it re-reviewed (the latest counts win).
REREVIEWS = [
    ("684a456", {("inclusion", "age", "required"), ("exclusion", "condition", "excluding"),  # round 12, seed 121212
                 ("inclusion", "condition", "required"), ("inclusion", "contraception", "required"),
                 ("inclusion", "life_expectancy", "required"), ("exclusion", "pregnancy", "excluding"),
                 ("exclusion", "therapy", "excluding"), ("exclusion", "lab", "excluding")}),
    ("5c8d810", {("exclusion", "condition", "excluding"), ("exclusion", "therapy", "excluding"),  # round 14, seed 141414
                  ("inclusion", "condition", "required"), ("exclusion", "lab", "excluding")}),
]


def parse_rule(s):
    """The rule string (Rule::ToString) as a tree: ('and'|'or', [kids]), ('not', kid) or ('leaf', text)."""
    pos = 0

    def expr():
        nonlocal pos
        parts, op = [term()], None
        while True:
            for word, name in ((" AND ", "and"), (" OR ", "or")):
                if s.startswith(word, pos):
                    pos += len(word)
                    op = name
                    parts.append(term())
                    break
            else:
                return parts[0] if len(parts) == 1 else (op, parts)

    def term():
        nonlocal pos
        if s.startswith("NOT ", pos):
            pos += 4
            return ("not", term())
        if s.startswith("(", pos):
            pos += 1
            e = expr()
            if s.startswith(")", pos):
                pos += 1
            return e
        start, depth, quoted = pos, 0, False
        while pos < len(s):
            c = s[pos]
            if quoted:
                if c == "\\":
                    pos += 1
                elif c == '"':
                    quoted = False
            elif c == '"':
                quoted = True
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (s.startswith(" AND ", pos) or s.startswith(" OR ", pos)):
                break
            pos += 1
        return ("leaf", s[start:pos])

    return expr()


def leaf_kind(text):
    for prefix, kind in (("not computable", None), ("condition:", "condition"), ("therapy:", "therapy"),
                         ("procedure:", "procedure"), ("allergy:", "allergy"), ("age ", "age"), ("sex = ", "sex"),
                         ("pregnant", "pregnancy"), ("breastfeeding", "breastfeeding"),
                         ("uses effective contraception", "contraception"), ("life expectancy", "life_expectancy"),
                         ("other clinical trial", "trial_participation")):
        if text.startswith(prefix):
            return kind
    if any(text.startswith(s) for s in ("ECOG", "Karnofsky", "NYHA", "Lansky", "WHO performance", "Zubrod")):
        return "score"
    return "lab"


def forms(rule, section):
    """(form, leaf text) for every typed leaf."""
    out = []

    def walk(node, nots):
        if node[0] == "leaf":
            kind = leaf_kind(node[1])
            if kind:
                required = (nots % 2 == 0) == (section == "inclusion")
                out.append(((section, kind, "required" if required else "excluding"), node[1]))
        elif node[0] == "not":
            walk(node[1], nots + 1)
        else:
            for kid in node[1]:
                walk(kid, nots)

    walk(parse_rule(rule), 0)
    return out


def count(commits):
    right, wrong = collections.Counter(), collections.Counter()
    for commit in commits:
        diff = subprocess.run(["git", "diff", commit + "^", commit, "--", CASES], capture_output=True, text=True,
                              check=True).stdout
        for line in diff.splitlines():
            if not line.startswith("+NCT"):
                continue
            fields = line[1:].split(" | ")
            section = fields[1].split()[0]
            clinician = next(f[len("clinician: "):] for f in fields if f.startswith("clinician: "))
            tag, rule = "ok", clinician  # the output at review time: the first label after the clinician's
            for f in fields[3:]:
                tag, _, rule = f.partition(": ")
                break
            found = forms(rule, section)
            if tag in ("wrong", "open", "gap"):
                clinician_leaves = {text for _, text in forms(clinician, section)}
                blamed = {form for form, text in found if text not in clinician_leaves} or {form for form, _ in found}
                for form in blamed:
                    wrong[form] += 1
                for form in {form for form, _ in found} - blamed:
                    right[form] += 1
            else:
                for form in {form for form, _ in found}:
                    right[form] += 1
    return right, wrong


def main(commits):
    right, wrong = count(commits or ROUNDS)
    if not commits:
        for commit, forms_reviewed in REREVIEWS:
            right2, wrong2 = count([commit])
            for form in forms_reviewed:
                right[form], wrong[form] = right2[form], wrong2[form]
    print("# section\tkind\tpolarity\treviewed_right\treviewed_wrong")
    for form in sorted(set(right) | set(wrong)):
        print("\t".join(form) + "\t%d\t%d" % (right[form], wrong[form]))


if __name__ == "__main__":
    main(sys.argv[1:])
