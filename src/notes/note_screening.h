// A study checked against a clinical note: the eligibility verdict, and for every criterion one of the six
// labels experts use, how the label was reached and the note's sentences that decide it.
//   NoteCheck nc = CheckNote(compiled_study, concepts, reading, as_of);
//   nc.labels[k].label == ExpertLabel::kNotExcluded, nc.labels[k].basis == LabelBasis::kPresumed
// Silence (docs/PATIENT.md): the verdict (`check`) reads the note as it stands, so an unmentioned fact is
// unknown. A second reading presumes that what a clinician's summary does not mention is absent (lists
// complete, in no other trial; pregnancy is never presumed, as experts do not presume it); a label reached only
// that way has basis kPresumed ("presumed absent: not mentioned") and `presumed_verdict` is that reading's
// verdict. Neither reading guesses a lab value.
#pragma once

#include <string_view>
#include <vector>

#include "common/date.h"
#include "eligibility/screening.h"
#include "notes/note_reader.h"

namespace ts {

enum class ExpertLabel { kIncluded, kNotIncluded, kExcluded, kNotExcluded, kNotEnoughInformation, kNotApplicable };
// "included", "not included", "excluded", "not excluded", "not enough information", "not applicable".
std::string_view ExpertLabelName(ExpertLabel l);

enum class LabelBasis {
  kStated,    // the note's facts decide it (a mention, a negation, a whole-list statement)
  kPresumed,  // decided only when the note's silence is read as absence
  kTeam,      // a criterion the study team settles, decided by what the note says (consent, compliance)
  kOpen,      // not enough information: no label could be reached honestly
};
std::string_view LabelBasisName(LabelBasis b);  // "stated", "presumed", "team", "open"

struct CriterionLabel {
  size_t index = 0;  // into CompiledStudy::criteria
  ExpertLabel label = ExpertLabel::kNotEnoughInformation;
  LabelBasis basis = LabelBasis::kOpen;
  std::vector<int> sentences;  // the note's sentence numbers that decide it (ascending); empty for silence
};

struct NoteCheck {
  StudyCheck check;                   // the verdict on the note as it stands
  Verdict presumed_verdict = Verdict::kPossiblyEligible;  // with silence read as absence
  std::vector<CriterionLabel> labels;  // one per top-level criterion, in the order of check.criteria
};

// `concepts` must be the table the study was compiled and the note read with.
NoteCheck CheckNote(const CompiledStudy& study, const ConceptTable& concepts, const NoteReading& reading,
                    PartialDate as_of);

// The Patient with silence read as absence: every list complete, in no other trial. Pregnancy and breastfeeding stay
// as the note states them (unknown when it is silent).
Patient PresumeAbsent(const Patient& patient);

}  // namespace ts
