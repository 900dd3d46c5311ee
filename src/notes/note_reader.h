// Reads a free-text clinical note into the Patient that eligibility rules evaluate, and keeps every fact
// it read with its sentence number, context and byte span (the evidence a screener sees).
//   NoteReader reader(concepts, *NoteLexicon::Builtin());
//   Result<NoteReading> r = reader.Read("0. A 58-year-old woman ...\n1. She denies smoking.", as_of);
//   r->patient.sex == "female"; r->facts.facts[k].sentence == 1, .context == NoteContext::kNegated
// Deterministic: the same note and date give the same reading. Nothing is stored or logged.
// What the note's silence means (docs/PATIENT.md): a fact it does not mention stays unknown in the Patient;
// a list is complete only when the note says so ("takes no medications"); a negated mention is an explicit
// absent record. Family, hypothetical and possible mentions are facts of the note, not of the Patient.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "eligibility/concepts.h"
#include "eligibility/patient.h"
#include "notes/note_context.h"

namespace ts {

enum class NoteFactKind {
  kAge,
  kSex,
  kCondition,     // conditions, symptoms and findings
  kMedication,
  kProcedure,
  kAllergy,
  kObservation,   // a lab value or vital sign with its unit, or a score (ECOG, NYHA)
  kVital,         // a vital sign Patient has no field for ("BP 150/95"): a fact of the note only
  kPregnancy,
  kBreastfeeding,
  kPostmenopausal,
  kSmoking,
  kConsent,
  kCompliance,
  kTime,          // "2 years ago", "since childhood"
  kListComplete,  // a whole-list statement; `concept_id` names the list ("medications")
};
std::string_view NoteFactKindName(NoteFactKind k);  // "age", "sex", "condition", ...

struct NoteSentence {
  int number = 0;    // the note's own line number ("3. ..."), else counted from 0
  size_t begin = 0;  // byte span in the note
  size_t end = 0;
};

struct NoteFact {
  NoteFactKind kind = NoteFactKind::kCondition;
  NoteContext context = NoteContext::kAffirmed;
  int sentence = 0;        // NoteSentence::number
  size_t begin = 0;        // byte span in the note
  size_t end = 0;
  std::string concept_id;  // the concept, list name or "" (age, sex, vitals ...)
  std::string text;        // the words of the span
  std::string value;       // "58 a", "female", "8.2 g/dL", "150/95 mm[Hg]", "2 a ago"; "" when none
};

struct NoteFacts {
  std::vector<NoteSentence> sentences;
  std::vector<NoteFact> facts;
};

struct NoteReading {
  std::string text;  // the note as read (spans index it)
  Patient patient;
  NoteFacts facts;
  // The note's topics, crudely: TopicStems of its words that the lexicon's `generic` list does not hold.
  std::set<std::string> topic_stems;
};

// The stems of `text`'s words of at least kTopicStemBytes letters, each cut to its first kTopicStemBytes and
// lower-cased ("arrhythmias" and "arrhythmia" meet), leaving out the words for which `skip` is true.
constexpr size_t kTopicStemBytes = 5;
std::set<std::string> TopicStems(std::string_view text, const NoteLexicon* skip_generic);

class NoteReader {
 public:
  static constexpr size_t kMaxNoteBytes = 1 << 20;   // a longer note is refused
  static constexpr size_t kMaxSentenceBytes = 4000;  // a longer sentence is cut into pieces of this size,
                                                     // which keep its number

  // `concepts` and `lexicon` must outlive the reader. Thread-safe: Read does not modify the reader.
  NoteReader(const ConceptTable& concepts, const NoteLexicon& lexicon) : concepts_(concepts), lexicon_(lexicon) {}

  // Reads `note` as of `as_of` (ages become birth dates, "2 years ago" a start date). InvalidArgument for a note
  // over kMaxNoteBytes, with NUL or other control bytes, or invalid UTF-8. An empty note, or one in which
  // nothing is recognised, gives a Patient with no facts and a warning.
  Result<NoteReading> Read(std::string_view note, PartialDate as_of) const;

 private:
  const ConceptTable& concepts_;
  const NoteLexicon& lexicon_;
};

// Splits a note into sentences: lines numbered "0. ", "1. " keep their numbers; otherwise sentences end at a
// line break or at ". ", "? ", "! " and are counted from 0. Exposed for tests.
std::vector<NoteSentence> SplitNoteSentences(std::string_view note);

}  // namespace ts
