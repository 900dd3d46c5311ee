// The context of a mention in a clinical note, ConText-style: triggers from resources/note_context.tsv open
// scopes in a sentence; a mention inside a scope is negated, historical, hypothetical, about family or only
// possible. The file's header documents the categories.
//   Result<NoteLexicon> lex = NoteLexicon::Builtin();
//   std::vector<ContextScope> scopes = lex->Scopes("she denies chest pain");
//   ContextIn(scopes, 11, 21) == NoteContext::kNegated
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

enum class NoteContext { kAffirmed, kNegated, kHistorical, kHypothetical, kFamily, kPossible };
std::string_view NoteContextName(NoteContext c);  // "affirmed", "negated", "historical", ...

// The categories of resources/note_context.tsv.
enum class NoteTrigger {
  kNegated,
  kNegatedPost,
  kHistorical,
  kHistoricalPost,
  kHypothetical,
  kFamily,
  kPossible,
  kPossiblePost,
  kPseudo,
  kTerminate,
  kCompleteConditions,
  kCompleteMedications,
  kCompleteProcedures,
  kCompleteAllergies,
  kFemale,
  kMale,
  kFemalePronoun,
  kMalePronoun,
  kPregnant,
  kBreastfeeding,
  kPostmenopausal,
  kSmoking,
  kConsent,
  kCompliance,
  kTimePhrase,
  kAllergy,
  kBloodPressure,
  kEnded,
  kGeneric,
  kCount,
};

struct ContextScope {
  NoteContext context = NoteContext::kAffirmed;
  size_t begin = 0;  // the span the trigger governs, in the sentence
  size_t end = 0;
  size_t trigger_begin = 0;
  size_t trigger_end = 0;
};

// The context of the span [begin, end) of a sentence with these scopes. When several scopes cover it, family
// wins over negated, then hypothetical, possible, historical (a negated family fact is about family).
NoteContext ContextIn(const std::vector<ContextScope>& scopes, size_t begin, size_t end);

struct PhraseMatch {
  size_t begin = 0;  // in the searched text
  size_t end = 0;
};

class NoteLexicon {
 public:
  // Parses the format of resources/note_context.tsv. InvalidArgument names `source`, the line and the problem
  // (an unknown category, a missing tab, an upper-case phrase).
  static Result<NoteLexicon> Parse(std::string_view tsv, std::string_view source);
  // The table built into the binary.
  static Result<NoteLexicon> Builtin();

  // Every match of the category's phrases in `lower` (lower-cased text) on word boundaries, by position; at
  // one position the longest phrase wins.
  std::vector<PhraseMatch> FindAll(NoteTrigger t, std::string_view lower) const;
  // The scopes the triggers open in the lower-cased sentence `lower`.
  std::vector<ContextScope> Scopes(std::string_view lower) const;
  // True when the lower-case word is in the `generic` list: a word that names no topic ("patient", "history",
  // "within"), so that a criterion sharing only such words with a note is one the note is silent on.
  bool Generic(std::string_view lower_word) const;

 private:
  std::array<std::vector<std::string>, static_cast<size_t>(NoteTrigger::kCount)> phrases_;
};

// ASCII lower-case copy with the same byte offsets.
std::string LowerNote(std::string_view s);

}  // namespace ts
