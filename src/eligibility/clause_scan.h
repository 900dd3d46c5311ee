// Internal to the criteria parser: the passes that read the context of one clause and of each concept
// mention in it. Each pass is a function of the lower-cased clause (and the lexicon), testable alone.
//   auto gate = clause::Gate(lex, "prior radiotherapy is allowed", true);   // gate->why == kPermission
//   clause::Polarity p = clause::ReadPolarity(lex, masked, mention, floor, next);
// Contract of every pass: when it is unsure, it says so (an Uncertainty), never a guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligibility/criteria_lexicon.h"
#include "eligibility/rule.h"
#include "eligibility/units.h"

namespace ts::clause {

struct Span {
  size_t begin = 0, end = 0;
};
bool Inside(const std::vector<Span>& spans, size_t pos);

// Parenthesised spans at depth 1: [open, close] inclusive; an unclosed one runs to the end.
std::vector<Span> Parens(std::string_view s);

// The bracketed span (of `parens`) that opens right after `end`, with only spaces between, if any:
// "Karnofsky 70-100% (unrelated to ...)" after the score.
std::optional<Span> BracketsRightAfter(std::string_view text, const std::vector<Span>& parens, size_t end);

// Example lists ("(e.g. ...)", "such as ...", quoted text): illustrations, not facts.
std::vector<Span> ExampleSpans(std::string_view lower, const std::vector<Span>& parens);

struct GateHit {
  Uncertainty why;
  std::string phrase;
};
// Clause-wide reasons to type nothing: the study team decides (consent, judgement, compliance,
// willingness unless the clause is about contraception), or the clause is conditional, an exemption,
// a permission, a plan or a possibility (a suspicion only in an inclusion), or a threshold for a subgroup.
std::optional<GateHit> Gate(const CriteriaLexicon& lex, std::string_view lower, bool contraception, bool inclusion);

// The polarity of a concept mention at [begin, end) of `masked` (lower case, examples blanked).
// `floor` is where its phrase starts (the previous clause part), `ceiling` where the next mention
// that is not part of its list starts.
struct Polarity {
  bool negated = false;
  bool after = false;  // negated by words after the mention ("HIV negative")
  std::optional<Uncertainty> unsure;  // kNegationScope when a negation is near but its reach unclear
};
Polarity ReadPolarity(const CriteriaLexicon& lex, std::string_view masked, size_t begin, size_t end, size_t floor,
                      size_t ceiling);

// The words right before a mention (back to `floor`, a negation trigger, punctuation or a filler
// word) that narrow it: "metastatic breast cancer", "chronic hepatitis B". Empty span when none.
Span PreModifiers(const CriteriaLexicon& lex, std::string_view masked, size_t begin, size_t floor);

// True if the parenthesis [open, close] holds one short word: an abbreviation ("(MI)", "(CHF)").
bool IsAbbreviationParen(std::string_view s, size_t open, size_t close);

// The words after a mention, up to `stop`, a connector ("and", "or", "with", "but"), punctuation or a
// typed part in `consumed`, that narrow it ("to marker lesions", "in pelvic lymph nodes"): the span from
// the mention's end to the last such word that is not a filler. Empty span when there is none.
Span PostModifiers(const CriteriaLexicon& lex, std::string_view masked, size_t end, size_t stop,
                   const std::vector<Span>& consumed);

// "At least 4 weeks since prior chemotherapy", "> 6 months from the last dose": the minimum gap
// since a concept, anywhere in the clause.
struct Washout {
  Duration gap;
  size_t begin = 0, end = 0;
};
std::optional<Washout> FindWashout(const CriteriaLexicon& lex, std::string_view lower);

// Every duration ("3 months", "six weeks") in `lower` outside `consumed`: times the rules do not hold.
std::vector<Span> LooseDurations(std::string_view lower, const std::vector<Span>& consumed);

// Lower-cased words of `s` with their offsets (letters, digits, '-', '.', bytes >= 0x80).
struct Word {
  std::string text;
  size_t begin = 0, end = 0;
};
std::vector<Word> Words(std::string_view s);

}  // namespace ts::clause
