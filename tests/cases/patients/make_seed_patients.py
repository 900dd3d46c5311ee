#!/usr/bin/env python3
"""Writes the FHIR R4 patient bundles for the seed studies that verdicts.cases uses:
a possibly-eligible patient per seed, a not-eligible variant, and an "answered" variant that adds a
QuestionnaireResponse in which the screener answers every criterion the rules leave open (which makes
the patient eligible). Run from the repository root after building:
    python3 tests/cases/patients/make_seed_patients.py build/apps/trialscope
The answers are read from `trialscope check --json` on the base bundle, so they follow the parser."""
import copy, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
AS_OF = "2026-11-20"
COMPLETE = {"tag": [{"system": "https://trialscope.dev/fhir/complete", "code": c}
                    for c in ("conditions", "medications", "procedures", "allergies")]}


def bundle(pid, gender, birth, *resources):
    entries = [{"resource": {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": birth}}]
    entries += [{"resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "collection", "meta": copy.deepcopy(COMPLETE), "entry": entries}


def condition(cid, text, onset, code=None, status="active"):
    c = {"resourceType": "Condition", "id": cid,
         "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}]},
         "code": {"text": text}, "onsetDateTime": onset}
    if code:
        c["code"]["coding"] = [code]
    return c


def medication(mid, text, start, end=None):
    period = {"start": start}
    if end:
        period["end"] = end
    return {"resourceType": "MedicationStatement", "id": mid, "status": "completed" if end else "active",
            "medicationCodeableConcept": {"text": text}, "effectivePeriod": period}


def lab(oid, loinc, display, value, unit, date, high=None):
    o = {"resourceType": "Observation", "id": oid, "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": display}]},
         "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
         "effectiveDateTime": date}
    if high is not None:
        o["referenceRange"] = [{"high": {"value": high, "unit": unit}}]
    return o


def score(oid, loinc, display, value, date):
    return {"resourceType": "Observation", "id": oid, "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": loinc, "display": display}]},
            "valueInteger": value, "effectiveDateTime": date}


def flag(oid, text, value, date):
    return {"resourceType": "Observation", "id": oid, "status": "final", "code": {"text": text},
            "valueBoolean": value, "effectiveDateTime": date}


def life_expectancy(months, date):
    return {"resourceType": "Observation", "id": "o-life", "status": "final", "code": {"text": "Estimated life expectancy"},
            "valueQuantity": {"value": months, "unit": "months"}, "effectiveDateTime": date}


POSTMENOPAUSAL = condition("c-meno", "Postmenopausal state", "2018-01-01",
                           {"system": "http://snomed.info/sct", "code": "76498008", "display": "Postmenopausal state"})

PATIENTS = {
    # NCT05236582: herombopag for chemotherapy-induced thrombocytopenia.
    "cit_possibly_eligible.json": bundle(
        "cit-1", "female", "1970-03-02",
        POSTMENOPAUSAL,
        condition("c-tumour", "Gastric adenocarcinoma (malignant solid tumor)", "2025-11-01"),
        condition("c-cit", "Chemotherapy-induced thrombocytopenia", "2026-09-20",
                  {"system": "http://hl7.org/fhir/sid/icd-10", "code": "D69.59"}),
        medication("m-chemo", "Chemotherapy (oxaliplatin + capecitabine)", "2026-05-01", "2026-09-15"),
        medication("m-rhtpo", "rhTPO", "2026-09-20", "2026-10-10"),
        lab("o-plt", "777-3", "Platelets", 22000, "/uL", "2026-11-14"),
        lab("o-alt", "1742-6", "ALT", 30, "U/L", "2026-11-14", 40),
        lab("o-ast", "1920-8", "AST", 28, "U/L", "2026-11-14", 40),
        lab("o-bili", "1975-2", "Bilirubin total", 0.8, "mg/dL", "2026-11-14", 1.2),
        lab("o-crea", "2160-0", "Creatinine", 70, "umol/L", "2026-11-14", 97),
        flag("o-preg", "Pregnancy", False, "2026-11-14"),
        flag("o-bf", "Breastfeeding", False, "2026-11-14"),
        life_expectancy(12, "2026-11-14")),
    # NCT06898983: romiplostim N01 for CTIT in leukaemia.
    "leukemia_possibly_eligible.json": bundle(
        "aml-1", "male", "1975-06-10",
        condition("c-aml", "Acute myeloid leukemia", "2026-03-01",
                  {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C92.0"}),
        condition("c-ctit", "Cancer therapy-induced thrombocytopenia", "2026-10-25"),
        medication("m-chemo", "Chemotherapy (azacitidine + venetoclax)", "2026-09-01"),
        lab("o-plt", "777-3", "Platelets", 38, "10*9/L", "2026-11-15"),
        score("o-ecog", "89247-1", "ECOG performance status", 1, "2026-11-15"),
        flag("o-contra", "Contraception", True, "2026-11-15")),
    # NCT06964971: luspatercept for transfusion-dependent non-severe aplastic anaemia.
    "td_nsaa_possibly_eligible.json": bundle(
        "aa-1", "female", "1984-09-23",
        condition("c-aa", "TD-NSAA (transfusion-dependent non-severe aplastic anemia)", "2025-12-01"),
        lab("o-ferritin", "2276-4", "Ferritin", 1500, "ng/mL", "2026-11-10"),
        lab("o-alt", "1742-6", "ALT", 25, "U/L", "2026-11-10", 40),
        lab("o-ast", "1920-8", "AST", 22, "U/L", "2026-11-10", 40),
        lab("o-egfr", "62238-1", "eGFR", 95, "mL/min/{1.73_m2}", "2026-11-10"),
        score("o-nyha", "88020-3", "NYHA class", 1, "2026-11-10"),
        lab("o-pnh", "TS-pnh", "PNH clone size", 0.4, "%", "2026-11-10"),
        flag("o-preg", "Pregnancy", False, "2026-11-10")),
}


def variant(name, base, change):
    b = copy.deepcopy(PATIENTS[base])
    change(b)
    PATIENTS[name] = b


def set_lab(oid, value):
    def change(b):
        for e in b["entry"]:
            r = e["resource"]
            if r.get("id") == oid:
                if "valueQuantity" in r:
                    r["valueQuantity"]["value"] = value
                else:
                    r["valueInteger"] = value
    return change


variant("cit_not_eligible_platelets.json", "cit_possibly_eligible.json", set_lab("o-plt", 45000))
variant("leukemia_not_eligible_ecog.json", "leukemia_possibly_eligible.json", set_lab("o-ecog", 3))
variant("td_nsaa_not_eligible_ferritin.json", "td_nsaa_possibly_eligible.json", set_lab("o-ferritin", 600))
# The PNH clone has no LOINC code: our own code system.
for e in PATIENTS["td_nsaa_possibly_eligible.json"]["entry"] + PATIENTS["td_nsaa_not_eligible_ferritin.json"]["entry"]:
    r = e["resource"]
    if r.get("id") == "o-pnh":
        r["code"] = {"coding": [{"system": "https://trialscope.dev/fhir/concept", "code": "pnh-clone"}], "text": "PNH clone size"}

# Answered variants: base bundle + the screener's answers for every criterion left open.
ANSWERED = {
    "cit_eligible_answered.json": ("cit_possibly_eligible.json", "NCT05236582"),
    "leukemia_eligible_answered.json": ("leukemia_possibly_eligible.json", "NCT06898983"),
    "td_nsaa_eligible_answered.json": ("td_nsaa_possibly_eligible.json", "NCT06964971"),
    "ctit_eligible_answered.json": ("ctit_eligible.json", "NCT07334093"),
    "cams_eligible_answered.json": ("cams_possibly_eligible.json", "TS-618d5247ae70"),
}


def main():
    exe = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/apps/trialscope"))
    for name, b in PATIENTS.items():
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(b, f, indent=1)
            f.write("\n")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        subprocess.run([exe, "import", "--db", db, os.path.join(ROOT, "tests/fixtures/studies")], check=True,
                       stdout=subprocess.DEVNULL)
        for name, (base, study) in ANSWERED.items():
            out = subprocess.run([exe, "check", "--db", db, "--patient", os.path.join(HERE, base), "--study", study,
                                  "--as-of", AS_OF, "--json"], capture_output=True, text=True)
            check = json.loads(out.stdout)
            items = []
            for c in check["criteria"]:
                if c["result"] != "unknown":
                    continue
                items.append({"linkId": f"{study}|{c['kind']} {c['label']}",
                              "text": c["text"][:200],
                              "answer": [{"valueBoolean": c["kind"] == "inclusion"}]})
            with open(os.path.join(HERE, base)) as f:
                b = json.load(f)
            b["entry"].append({"resource": {"resourceType": "QuestionnaireResponse", "id": "qr-screening",
                                            "status": "completed", "authored": AS_OF, "item": items}})
            with open(os.path.join(HERE, name), "w") as f:
                json.dump(b, f, indent=1, ensure_ascii=False)
                f.write("\n")


if __name__ == "__main__":
    main()
