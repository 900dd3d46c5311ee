// A patient as eligibility rules see them: demographics, observations (labs and scores), conditions,
// medications, procedures, allergies, and a few facts a form asks for directly.
//   Result<Patient> p = ParsePatientJson(text, concepts, "patient.json");  // FHIR R4 Bundle or native JSON
// Absence of a record is not absence of the fact: a missing condition is "unknown" unless the
// patient says the list is complete ("complete": ["conditions"], or a Bundle meta.tag, see
// docs/PATIENT.md). Parse errors name the source and the JSON path.
#pragma once

#include <optional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "eligibility/concepts.h"
#include "eligibility/units.h"

namespace ts {

struct PatientObservation {
  std::string ref;          // "Observation/obs-1" or "labs[0]": where the fact came from
  std::string concept_id;   // analyte or score id; "" when the code is not one we know
  std::string name;         // text or display, for explanations
  double value = 0;
  std::string unit;         // UCUM code ("" for scores)
  std::optional<double> ref_low, ref_high;  // reference range in the same unit
  PartialDate date;         // empty when unknown
};

enum class RecordStatus { kActive, kInactive, kAbsent };  // absent = refuted / not taken / denied

struct PatientRecord {
  std::string ref;
  std::string concept_id;   // "" when unknown to the concept table
  // Further curated concepts the record falls under through the vocabulary graph (ConceptTable::Classify):
  // a docetaxel record is under "chemotherapy" and "anticancer". Never holds concept_id itself.
  std::vector<std::string> broader_ids;
  std::string name;
  RecordStatus status = RecordStatus::kActive;
  PartialDate start;        // onset / period start / performed date
  PartialDate end;          // abatement / period end; empty = ongoing (or a point event)
  bool remission = false;   // a condition in remission (FHIR clinicalStatus "remission"): not active, not gone
  // Concepts only some readings of the record's code or name fall under (ConceptTable::ClassifyPossible): it may
  // be one of them, so it neither shows nor rules one out.
  std::vector<std::string> possible_ids;
};

// What a screener confirmed about one criterion of one study (e.g. at the screening visit), for the
// criteria the rules leave open. Keyed "<study key>|<inclusion|exclusion> <label>": "NCT05236582|inclusion 2".
struct PatientAnswer {
  bool value = false;  // whether the criterion's statement holds for the patient
  std::string ref;     // "QuestionnaireResponse/qr-1" or "answers.NCT05236582"
};
std::string AnswerKey(std::string_view study_key, std::string_view kind, std::string_view label);

struct Patient {
  std::string id;
  PartialDate birth_date;
  std::optional<std::string> sex;                 // "female" / "male"
  std::optional<bool> pregnant;
  std::optional<bool> breastfeeding;
  std::optional<bool> contraception;
  std::optional<bool> childbearing_potential;
  std::optional<Duration> life_expectancy;
  std::optional<bool> in_other_trial;             // false: no other trial at all
  PartialDate last_trial_date;                    // when the last other trial ended
  std::vector<PatientObservation> observations;
  std::vector<PatientRecord> conditions;
  std::vector<PatientRecord> medications;
  std::vector<PatientRecord> procedures;
  std::vector<PatientRecord> allergies;
  std::set<std::string> complete;                 // "conditions", "medications", "procedures", "allergies"
  std::map<std::string, PatientAnswer> answers;   // by AnswerKey
  std::vector<std::string> warnings;              // entries skipped, with their place
};

// Reads a FHIR R4 Bundle (resourceType "Bundle") or a native patient object. Codes and names are
// resolved to concepts through `concepts`. InvalidArgument names `source`, the path and the problem.
Result<Patient> ParsePatientJson(std::string_view json, const ConceptTable& concepts, std::string_view source);

}  // namespace ts
