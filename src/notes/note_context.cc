#include "notes/note_context.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ts {

extern const std::string_view kNoteContext;

namespace {

struct CategoryName {
  std::string_view name;
  NoteTrigger trigger;
};
constexpr CategoryName kCategories[] = {
    {"negated", NoteTrigger::kNegated},
    {"negated_post", NoteTrigger::kNegatedPost},
    {"historical", NoteTrigger::kHistorical},
    {"historical_post", NoteTrigger::kHistoricalPost},
    {"hypothetical", NoteTrigger::kHypothetical},
    {"family", NoteTrigger::kFamily},
    {"possible", NoteTrigger::kPossible},
    {"possible_post", NoteTrigger::kPossiblePost},
    {"pseudo", NoteTrigger::kPseudo},
    {"terminate", NoteTrigger::kTerminate},
    {"complete_conditions", NoteTrigger::kCompleteConditions},
    {"complete_medications", NoteTrigger::kCompleteMedications},
    {"complete_procedures", NoteTrigger::kCompleteProcedures},
    {"complete_allergies", NoteTrigger::kCompleteAllergies},
    {"female", NoteTrigger::kFemale},
    {"male", NoteTrigger::kMale},
    {"female_pronoun", NoteTrigger::kFemalePronoun},
    {"male_pronoun", NoteTrigger::kMalePronoun},
    {"pregnant", NoteTrigger::kPregnant},
    {"breastfeeding", NoteTrigger::kBreastfeeding},
    {"postmenopausal", NoteTrigger::kPostmenopausal},
    {"smoking", NoteTrigger::kSmoking},
    {"consent", NoteTrigger::kConsent},
    {"compliance", NoteTrigger::kCompliance},
    {"time_phrase", NoteTrigger::kTimePhrase},
    {"allergy", NoteTrigger::kAllergy},
    {"blood_pressure", NoteTrigger::kBloodPressure},
    {"ended", NoteTrigger::kEnded},
    {"generic", NoteTrigger::kGeneric},
};

bool IsWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c & 0x80) != 0; }

bool AtWordBoundaries(std::string_view s, size_t begin, size_t end) {
  return (begin == 0 || !IsWordByte(s[begin - 1])) && (end >= s.size() || !IsWordByte(s[end]));
}

// Where a scope opened at `from` going forward (or back) stops: the nearest terminate phrase or ';'.
size_t ForwardEnd(std::string_view lower, size_t from, const std::vector<PhraseMatch>& stops) {
  size_t end = lower.size();
  for (const PhraseMatch& m : stops) {
    if (m.begin >= from) { end = m.begin; break; }
  }
  size_t semi = lower.find(';', from);
  return std::min(end, semi == std::string_view::npos ? lower.size() : semi);
}

size_t BackwardBegin(std::string_view lower, size_t to, const std::vector<PhraseMatch>& stops) {
  size_t begin = 0;
  for (const PhraseMatch& m : stops) {
    if (m.end <= to) begin = m.end;
  }
  size_t semi = lower.rfind(';', to == 0 ? 0 : to - 1);
  if (semi != std::string_view::npos && semi < to) begin = std::max(begin, semi + 1);
  return begin;
}

int Rank(NoteContext c) {
  switch (c) {
    case NoteContext::kFamily: return 5;
    case NoteContext::kNegated: return 4;
    case NoteContext::kHypothetical: return 3;
    case NoteContext::kPossible: return 2;
    case NoteContext::kHistorical: return 1;
    case NoteContext::kAffirmed: return 0;
  }
  return 0;
}

}  // namespace

std::string_view NoteContextName(NoteContext c) {
  switch (c) {
    case NoteContext::kAffirmed: return "affirmed";
    case NoteContext::kNegated: return "negated";
    case NoteContext::kHistorical: return "historical";
    case NoteContext::kHypothetical: return "hypothetical";
    case NoteContext::kFamily: return "family";
    case NoteContext::kPossible: return "possible";
  }
  return "affirmed";
}

std::string LowerNote(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<NoteLexicon> NoteLexicon::Parse(std::string_view tsv, std::string_view source) {
  NoteLexicon lex;
  size_t line_no = 0;
  while (!tsv.empty()) {
    size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view() : tsv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto where = [&] { return std::string(source) + ":" + std::to_string(line_no) + ": "; };
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab + 1 >= line.size()) {
      return Status::InvalidArgument(where() + "expected CATEGORY<TAB>PHRASE");
    }
    std::string_view cat = line.substr(0, tab), phrase = line.substr(tab + 1);
    auto it = std::find_if(std::begin(kCategories), std::end(kCategories),
                           [&](const CategoryName& c) { return c.name == cat; });
    if (it == std::end(kCategories)) return Status::InvalidArgument(where() + "unknown category '" + std::string(cat) + "'");
    if (LowerNote(phrase) != phrase) return Status::InvalidArgument(where() + "phrases are lower case");
    lex.phrases_[static_cast<size_t>(it->trigger)].emplace_back(phrase);
  }
  for (auto& list : lex.phrases_) {
    std::sort(list.begin(), list.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
  }
  return lex;
}

Result<NoteLexicon> NoteLexicon::Builtin() { return Parse(kNoteContext, "note_context.tsv"); }

bool NoteLexicon::Generic(std::string_view lower_word) const {
  const std::vector<std::string>& list = phrases_[static_cast<size_t>(NoteTrigger::kGeneric)];
  return std::find(list.begin(), list.end(), lower_word) != list.end();
}

std::vector<PhraseMatch> NoteLexicon::FindAll(NoteTrigger t, std::string_view lower) const {
  std::vector<PhraseMatch> out;
  const auto& list = phrases_[static_cast<size_t>(t)];
  for (size_t i = 0; i < lower.size(); ++i) {
    if (i > 0 && IsWordByte(lower[i - 1]) && IsWordByte(lower[i])) continue;  // not a word start
    for (const std::string& p : list) {  // longest first
      if (lower.compare(i, p.size(), p) == 0 && AtWordBoundaries(lower, i, i + p.size())) {
        out.push_back({i, i + p.size()});
        i += p.size() - 1;
        break;
      }
    }
  }
  return out;
}

NoteContext ContextIn(const std::vector<ContextScope>& scopes, size_t begin, size_t end) {
  NoteContext best = NoteContext::kAffirmed;
  for (const ContextScope& s : scopes) {
    if (begin < s.trigger_end && s.trigger_begin < end) continue;  // a trigger is not its own scope
    if (begin >= s.begin && end <= s.end && Rank(s.context) > Rank(best)) best = s.context;
  }
  return best;
}

std::vector<ContextScope> NoteLexicon::Scopes(std::string_view lower) const {
  std::vector<PhraseMatch> pseudo = FindAll(NoteTrigger::kPseudo, lower);
  std::vector<PhraseMatch> stops = FindAll(NoteTrigger::kTerminate, lower);
  auto in_pseudo = [&](const PhraseMatch& m) {
    return std::any_of(pseudo.begin(), pseudo.end(), [&](const PhraseMatch& p) { return m.begin < p.end && p.begin < m.end; });
  };
  struct Kind {
    NoteTrigger trigger;
    NoteContext context;
    bool forward;
  };
  constexpr Kind kKinds[] = {
      {NoteTrigger::kNegated, NoteContext::kNegated, true},
      {NoteTrigger::kNegatedPost, NoteContext::kNegated, false},
      {NoteTrigger::kHistorical, NoteContext::kHistorical, true},
      {NoteTrigger::kHistoricalPost, NoteContext::kHistorical, false},
      {NoteTrigger::kHypothetical, NoteContext::kHypothetical, true},
      {NoteTrigger::kFamily, NoteContext::kFamily, true},
      {NoteTrigger::kPossible, NoteContext::kPossible, true},
      {NoteTrigger::kPossiblePost, NoteContext::kPossible, false},
  };
  std::vector<ContextScope> out;
  for (const Kind& k : kKinds) {
    for (const PhraseMatch& m : FindAll(k.trigger, lower)) {
      if (in_pseudo(m)) continue;
      if (k.forward) {
        out.push_back({k.context, m.end, ForwardEnd(lower, m.end, stops), m.begin, m.end});
      } else {
        out.push_back({k.context, BackwardBegin(lower, m.begin, stops), m.begin, m.begin, m.end});
      }
    }
  }
  return out;
}

}  // namespace ts
