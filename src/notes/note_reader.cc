#include "notes/note_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "eligibility/atoms.h"
#include "eligibility/units.h"

namespace ts {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Empty when `s` is valid UTF-8 without control bytes (other than tab, CR, LF); else what is wrong.
std::string BadBytes(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        return "binary data (control byte " + std::to_string(c) + " at offset " + std::to_string(i) + ")";
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (c >= 0xf5) len = 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    if (!ok) return "invalid UTF-8 at offset " + std::to_string(i);
    i += len;
  }
  return "";
}

// The state the passes share for one sentence.
struct SentenceState {
  const NoteSentence& sentence;
  std::string_view text;   // the sentence
  std::string lower;
  std::vector<ContextScope> scopes;
  NoteContext ContextOf(size_t b, size_t e) const { return ContextIn(scopes, b, e); }
};

class Passes {
 public:
  Passes(const ConceptTable& concepts, const NoteLexicon& lexicon, NoteFacts* out)
      : concepts_(concepts), lexicon_(lexicon), out_(out) {}

  void Run(const SentenceState& s) {
    Age(s);
    Sex(s);
    Concepts(s);
    Labs(s);
    Scores(s);
    BloodPressure(s);
    Flags(s);
    Times(s);
    Complete(s);
  }
  // What the passes found across sentences: the first age, pronoun counts.
  const std::optional<Duration>& age() const { return age_; }
  int female_pronouns() const { return female_pronouns_; }
  int male_pronouns() const { return male_pronouns_; }

 private:
  void Add(const SentenceState& s, NoteFactKind kind, size_t b, size_t e, std::string concept_id, std::string value,
           std::optional<NoteContext> context = std::nullopt) {
    NoteFact f;
    f.kind = kind;
    f.context = context ? *context : s.ContextOf(b, e);
    f.sentence = s.sentence.number;
    f.begin = s.sentence.begin + b;
    f.end = s.sentence.begin + e;
    f.concept_id = std::move(concept_id);
    f.text = std::string(s.text.substr(b, e - b));
    f.value = std::move(value);
    out_->facts.push_back(std::move(f));
  }

  // "58-year-old", "58 year old", "45 yo", "3-month-old", "aged 3 months", "age 45".
  void Age(const SentenceState& s) {
    if (age_) return;
    const std::string& l = s.lower;
    for (size_t i = 0; i < l.size(); ++i) {
      if (!IsDigit(l[i]) || (i > 0 && (IsDigit(l[i - 1]) || l[i - 1] == '.'))) continue;
      auto n = atoms::ParseNumberAt(l, i);
      if (!n || n->value <= 0 || n->value > 130) continue;
      size_t j = n->end;
      auto skip = [&](size_t k) { while (k < l.size() && (l[k] == ' ' || l[k] == '-')) ++k; return k; };
      auto word_at = [&](size_t k) { size_t e = k; while (e < l.size() && (IsAlpha(l[e]) || l[e] == '/' || l[e] == '.')) ++e; return std::string_view(l).substr(k, e - k); };
      size_t k = skip(j);
      std::string_view w = word_at(k);
      std::string unit;
      size_t end = k + w.size();
      bool before_aged = i >= 5 && (l.compare(i - 5, 4, "aged") == 0 || l.compare(i - 4, 3, "age") == 0);
      if (w == "yo" || w == "y/o" || w == "y.o." || w == "y.o") {
        unit = "a";
      } else if (auto u = ParseDurationUnit(w); u && (*u == "a" || *u == "mo" || *u == "wk" || *u == "d") && w != "a") {
        size_t k2 = skip(end);
        std::string_view w2 = word_at(k2);
        if (w2 == "old") {
          unit = *u;
          end = k2 + 3;
        } else if (before_aged) {
          unit = *u;
        }
      } else if (before_aged && (w.empty() || w == "with" || w == "presents")) {
        unit = "a";
        end = j;
      }
      if (unit.empty()) continue;
      NoteContext c = s.ContextOf(i, end);
      if (c == NoteContext::kFamily) continue;
      Add(s, NoteFactKind::kAge, i, end, "", FormatNumber(n->value) + " " + unit, NoteContext::kAffirmed);
      age_ = Duration{n->value, unit};
      return;
    }
  }

  void Sex(const SentenceState& s) {
    for (NoteTrigger t : {NoteTrigger::kFemale, NoteTrigger::kMale}) {
      for (const PhraseMatch& m : lexicon_.FindAll(t, s.lower)) {
        if (have_sex_ || s.ContextOf(m.begin, m.end) == NoteContext::kFamily) continue;
        Add(s, NoteFactKind::kSex, m.begin, m.end, "", t == NoteTrigger::kFemale ? "female" : "male", NoteContext::kAffirmed);
        have_sex_ = true;
      }
    }
    female_pronouns_ += static_cast<int>(lexicon_.FindAll(NoteTrigger::kFemalePronoun, s.lower).size());
    male_pronouns_ += static_cast<int>(lexicon_.FindAll(NoteTrigger::kMalePronoun, s.lower).size());
  }

  void Concepts(const SentenceState& s) {
    std::vector<PhraseMatch> allergy = lexicon_.FindAll(NoteTrigger::kAllergy, s.lower);
    for (const ConceptMention& m :
         concepts_.FindMentions(s.text, {ConceptKind::kCondition, ConceptKind::kTherapy, ConceptKind::kProcedure})) {
      NoteFactKind kind = m.concept_ref->kind == ConceptKind::kCondition ? NoteFactKind::kCondition
                          : m.concept_ref->kind == ConceptKind::kTherapy ? NoteFactKind::kMedication
                                                                          : NoteFactKind::kProcedure;
      if (kind == NoteFactKind::kMedication) {
        for (const PhraseMatch& a : allergy) {
          if (a.end <= m.begin && m.begin - a.end < 80) kind = NoteFactKind::kAllergy;
        }
      }
      Add(s, kind, m.begin, m.end, m.concept_ref->id, "");
    }
  }

  // "<analyte> [count|level|of|is|was|:|=]* <number> <unit>": "platelets 45,000/µL", "Hb 8.2 g/dL".
  void Labs(const SentenceState& s) {
    const std::string& l = s.lower;
    for (const ConceptMention& m : concepts_.FindMentions(s.text, {ConceptKind::kAnalyte})) {
      size_t i = m.end;
      for (int guard = 0; guard < 6; ++guard) {
        while (i < l.size() && (l[i] == ' ' || l[i] == ':' || l[i] == '=' || l[i] == ',')) ++i;
        bool skipped = false;
        for (std::string_view w : {"count", "level", "levels", "of", "is", "was", "were", "at", "value", "concentration",
                                   "measured", "index"}) {
          if (l.compare(i, w.size(), w) == 0 && (i + w.size() >= l.size() || !IsAlpha(l[i + w.size()]))) {
            i += w.size();
            skipped = true;
            break;
          }
        }
        if (!skipped) break;
      }
      auto n = atoms::ParseNumberAt(l, i);
      if (!n) continue;
      size_t e = n->end;
      while (e < l.size() && l[e] == ' ') ++e;
      // The longest run of up to three words after the number that is a unit.
      std::optional<Unit> unit;
      size_t unit_end = n->end;
      size_t k = e;
      for (int words = 0; words < 3 && k < l.size(); ++words) {
        while (k < l.size() && l[k] != ' ' && l[k] != ',' && l[k] != ';' && l[k] != ')') ++k;
        size_t stop = k;
        while (stop > e && (s.text[stop - 1] == '.')) --stop;
        if (auto u = ParseUnit(s.text.substr(e, stop - e))) { unit = u; unit_end = stop; }
        while (k < l.size() && l[k] == ' ') ++k;
      }
      const Concept& c = *m.concept_ref;
      std::string code;
      if (unit) {
        if (!ConvertUnit(n->value, unit->code, c.unit, c.molar_mass).ok()) continue;
        code = unit->code;
      } else {
        std::optional<Unit> own = UnitForCode(c.unit);
        // Values written without a unit by convention (BMI, INR).
        if (!own || (own->dimension != Dimension::kMassPerArea && own->dimension != Dimension::kRatio)) continue;
        code = c.unit;
      }
      Add(s, NoteFactKind::kObservation, m.begin, unit_end, c.id, FormatNumber(n->value) + " " + code);
    }
  }

  // "<score> [performance status|class|grade|score|of|is|:]* <value>": "ECOG 1", "NYHA class III", "KPS 70%".
  // A range ("ECOG 1-2") is not one value and is not read.
  void Scores(const SentenceState& s) {
    const std::string& l = s.lower;
    for (const ConceptMention& m : concepts_.FindMentions(s.text, {ConceptKind::kScore})) {
      size_t i = m.end;
      for (int guard = 0; guard < 6; ++guard) {
        while (i < l.size() && (l[i] == ' ' || l[i] == ':' || l[i] == '=' || l[i] == '(' || l[i] == ')')) ++i;
        bool skipped = false;
        for (std::string_view w : {"performance status", "performance score", "performance", "status", "score", "class",
                                   "grade", "functional", "ps", "of", "is", "was", "ecog"}) {
          if (l.compare(i, w.size(), w) == 0 && (i + w.size() >= l.size() || !IsAlpha(l[i + w.size()]))) {
            i += w.size();
            skipped = true;
            break;
          }
        }
        if (!skipped) break;
      }
      double value = -1;
      size_t end = i;
      if (auto n = atoms::ParseNumberAt(l, i)) {
        value = n->value;
        end = n->end;
        if (end < l.size() && l[end] == '%') ++end;
      } else {
        for (auto [roman, v] : {std::pair<std::string_view, double>{"iv", 4}, {"iii", 3}, {"ii", 2}, {"i", 1}}) {
          if (l.compare(i, roman.size(), roman) == 0 && (i + roman.size() >= l.size() || !IsAlpha(l[i + roman.size()]))) {
            value = v;
            end = i + roman.size();
            break;
          }
        }
      }
      if (value < 0) continue;
      size_t k = end;
      while (k < l.size() && l[k] == ' ') ++k;
      if (k < l.size() && (l[k] == '-' || l.compare(k, 2, "to") == 0 || l[k] == '/')) continue;  // a range
      Add(s, NoteFactKind::kObservation, m.begin, end, m.concept_ref->id, FormatNumber(value));
    }
  }

  void BloodPressure(const SentenceState& s) {
    const std::string& l = s.lower;
    for (const PhraseMatch& m : lexicon_.FindAll(NoteTrigger::kBloodPressure, l)) {
      size_t i = m.end;
      while (i < l.size() && (l[i] == ' ' || l[i] == ':' || l[i] == '=' || IsAlpha(l[i])) && i < m.end + 12) {
        if (IsAlpha(l[i]) && l.compare(i, 2, "of") != 0 && l.compare(i, 2, "is") != 0 && l.compare(i, 3, "was") != 0) break;
        ++i;
      }
      auto sys = atoms::ParseNumberAt(l, i);
      if (!sys || sys->end >= l.size() || l[sys->end] != '/') continue;
      auto dia = atoms::ParseNumberAt(l, sys->end + 1);
      if (!dia) continue;
      size_t end = dia->end;
      if (l.compare(end, 5, " mmhg") == 0) end += 5;
      Add(s, NoteFactKind::kVital, m.begin, end, "blood_pressure",
          FormatNumber(sys->value) + "/" + FormatNumber(dia->value) + " mm[Hg]");
    }
  }

  void Flags(const SentenceState& s) {
    struct Flag {
      NoteTrigger trigger;
      NoteFactKind kind;
    };
    constexpr Flag kFlags[] = {
        {NoteTrigger::kPregnant, NoteFactKind::kPregnancy},     {NoteTrigger::kBreastfeeding, NoteFactKind::kBreastfeeding},
        {NoteTrigger::kPostmenopausal, NoteFactKind::kPostmenopausal}, {NoteTrigger::kSmoking, NoteFactKind::kSmoking},
        {NoteTrigger::kConsent, NoteFactKind::kConsent},         {NoteTrigger::kCompliance, NoteFactKind::kCompliance},
        {NoteTrigger::kTimePhrase, NoteFactKind::kTime},
    };
    for (const Flag& f : kFlags) {
      for (const PhraseMatch& m : lexicon_.FindAll(f.trigger, s.lower)) Add(s, f.kind, m.begin, m.end, "", "");
    }
  }

  // "2 years ago", "two days earlier", "3 months prior".
  void Times(const SentenceState& s) {
    const std::string& l = s.lower;
    for (size_t i = 0; i < l.size(); ++i) {
      if (i > 0 && (IsAlpha(l[i - 1]) || IsDigit(l[i - 1]))) continue;
      auto d = atoms::ParseDurationAt(l, i);
      if (!d) continue;
      size_t k = d->end;
      while (k < l.size() && l[k] == ' ') ++k;
      for (std::string_view w : {"ago", "earlier", "before", "prior", "previously"}) {
        if (l.compare(k, w.size(), w) == 0) {
          bool ended = !lexicon_.FindAll(NoteTrigger::kEnded, l).empty();
          Add(s, NoteFactKind::kTime, d->begin, k + w.size(), ended ? "end" : "start", d->duration.ToString() + " ago",
              NoteContext::kAffirmed);
          break;
        }
      }
      i = d->end;
    }
  }

  void Complete(const SentenceState& s) {
    struct List {
      NoteTrigger trigger;
      std::string_view name;
    };
    constexpr List kLists[] = {{NoteTrigger::kCompleteConditions, "conditions"},
                               {NoteTrigger::kCompleteMedications, "medications"},
                               {NoteTrigger::kCompleteProcedures, "procedures"},
                               {NoteTrigger::kCompleteAllergies, "allergies"}};
    for (const List& list : kLists) {
      for (const PhraseMatch& m : lexicon_.FindAll(list.trigger, s.lower)) {
        Add(s, NoteFactKind::kListComplete, m.begin, m.end, std::string(list.name), "", NoteContext::kAffirmed);
      }
    }
  }

  const ConceptTable& concepts_;
  const NoteLexicon& lexicon_;
  NoteFacts* out_;
  std::optional<Duration> age_;
  bool have_sex_ = false;
  int female_pronouns_ = 0, male_pronouns_ = 0;
};

// When a sentence's records began or ended: the date its one "N units ago" gives.
struct SentenceTime {
  PartialDate date;
  bool ended = false;
  int times = 0;  // two or more: which time is whose is not read, and none counts
};

// Each sentence's time, in one pass over the facts.
std::map<int, SentenceTime> SentenceTimes(const NoteFacts& facts, PartialDate as_of) {
  std::map<int, SentenceTime> out;
  for (const NoteFact& f : facts.facts) {
    if (f.kind != NoteFactKind::kTime || f.value.empty()) continue;
    SentenceTime& t = out[f.sentence];
    if (++t.times > 1) {
      t.date = {};
      continue;
    }
    double value = 0;
    char unit[8] = {};
    if (std::sscanf(f.value.c_str(), "%lf %7s", &value, unit) != 2) continue;
    Duration d{value, unit};
    t.date = PartialDate::FromDays(as_of.ToDays() - static_cast<int64_t>(std::llround(d.Days())));
    t.ended = f.concept_id == "end";
  }
  return out;
}

void AddRecord(const ConceptTable& concepts, const NoteFact& f, PartialDate date, bool ended,
               std::vector<PatientRecord>* list) {
  if (f.context != NoteContext::kAffirmed && f.context != NoteContext::kHistorical && f.context != NoteContext::kNegated) return;
  PatientRecord r;
  r.ref = "note sentence " + std::to_string(f.sentence);
  r.concept_id = f.concept_id;
  r.name = f.text;
  r.status = f.context == NoteContext::kNegated ? RecordStatus::kAbsent : RecordStatus::kActive;
  if (r.status != RecordStatus::kAbsent) (ended ? r.end : r.start) = date;
  for (const std::string& id : concepts.Broader(f.concept_id)) {
    if (id != r.concept_id && std::find(r.broader_ids.begin(), r.broader_ids.end(), id) == r.broader_ids.end()) {
      r.broader_ids.push_back(id);
    }
  }
  list->push_back(std::move(r));
}

void AddObservation(const NoteFact& f, std::vector<PatientObservation>* list) {
  if (f.context != NoteContext::kAffirmed && f.context != NoteContext::kHistorical) return;
  PatientObservation o;
  o.ref = "note sentence " + std::to_string(f.sentence);
  o.concept_id = f.concept_id;
  o.name = f.text;
  size_t space = f.value.find(' ');
  o.value = std::strtod(f.value.c_str(), nullptr);
  if (space != std::string::npos) o.unit = f.value.substr(space + 1);
  list->push_back(std::move(o));
}

// The Patient the facts state. A boolean takes the first affirmed or negated fact.
Patient BuildPatient(const ConceptTable& concepts, const NoteFacts& facts, PartialDate as_of) {
  Patient p;
  p.id = "note";
  const std::map<int, SentenceTime> times = SentenceTimes(facts, as_of);
  auto set_flag = [](std::optional<bool>* flag, const NoteFact& f) {
    if (flag->has_value()) return;
    if (f.context == NoteContext::kAffirmed) *flag = true;
    if (f.context == NoteContext::kNegated) *flag = false;
  };
  for (const NoteFact& f : facts.facts) {
    auto t = times.find(f.sentence);
    bool ended = t != times.end() && t->second.ended;
    PartialDate date = t != times.end() ? t->second.date : PartialDate{};
    switch (f.kind) {
      case NoteFactKind::kSex: if (!p.sex) p.sex = f.value; break;
      case NoteFactKind::kCondition: AddRecord(concepts, f, date, ended, &p.conditions); break;
      case NoteFactKind::kMedication: AddRecord(concepts, f, date, ended, &p.medications); break;
      case NoteFactKind::kProcedure: AddRecord(concepts, f, date, ended, &p.procedures); break;
      case NoteFactKind::kAllergy: AddRecord(concepts, f, date, ended, &p.allergies); break;
      case NoteFactKind::kObservation: AddObservation(f, &p.observations); break;
      case NoteFactKind::kPregnancy: set_flag(&p.pregnant, f); break;
      case NoteFactKind::kBreastfeeding: set_flag(&p.breastfeeding, f); break;
      case NoteFactKind::kPostmenopausal:
        if (f.context == NoteContext::kAffirmed) p.childbearing_potential = false;
        break;
      case NoteFactKind::kListComplete: p.complete.insert(f.concept_id); break;
      default: break;
    }
  }
  return p;
}

}  // namespace

std::string_view NoteFactKindName(NoteFactKind k) {
  switch (k) {
    case NoteFactKind::kAge: return "age";
    case NoteFactKind::kSex: return "sex";
    case NoteFactKind::kCondition: return "condition";
    case NoteFactKind::kMedication: return "medication";
    case NoteFactKind::kProcedure: return "procedure";
    case NoteFactKind::kAllergy: return "allergy";
    case NoteFactKind::kObservation: return "observation";
    case NoteFactKind::kVital: return "vital";
    case NoteFactKind::kPregnancy: return "pregnancy";
    case NoteFactKind::kBreastfeeding: return "breastfeeding";
    case NoteFactKind::kPostmenopausal: return "postmenopausal";
    case NoteFactKind::kSmoking: return "smoking";
    case NoteFactKind::kConsent: return "consent";
    case NoteFactKind::kCompliance: return "compliance";
    case NoteFactKind::kTime: return "time";
    case NoteFactKind::kListComplete: return "list_complete";
  }
  return "condition";
}

std::vector<NoteSentence> SplitNoteSentences(std::string_view note) {
  std::vector<NoteSentence> out;
  int counted = 0;
  auto add = [&](size_t b, size_t e, int number) {
    while (b < e && (note[b] == ' ' || note[b] == '\t' || note[b] == '\r')) ++b;
    while (e > b && (note[e - 1] == ' ' || note[e - 1] == '\t' || note[e - 1] == '\r')) --e;
    while (e - b > NoteReader::kMaxSentenceBytes) {
      out.push_back({number, b, b + NoteReader::kMaxSentenceBytes});
      b += NoteReader::kMaxSentenceBytes;
    }
    if (e > b) out.push_back({number, b, e});
  };
  size_t pos = 0;
  while (pos < note.size()) {
    size_t nl = note.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? note.size() : nl;
    std::string_view line = note.substr(pos, line_end - pos);
    size_t d = 0;
    while (d < line.size() && d < 6 && IsDigit(line[d])) ++d;
    if (d > 0 && d + 1 < line.size() && line[d] == '.' && line[d + 1] == ' ') {
      int number = std::stoi(std::string(line.substr(0, d)));
      add(pos + d + 2, line_end, number);
      counted = number + 1;
    } else {
      size_t b = pos;
      for (size_t i = pos; i < line_end; ++i) {
        char c = note[i];
        if ((c == '.' || c == '?' || c == '!') && (i + 1 == line_end || note[i + 1] == ' ')) {
          size_t before = out.size();
          add(b, i + 1, counted);
          if (out.size() > before) ++counted;
          b = i + 1;
        }
      }
      size_t before = out.size();
      add(b, line_end, counted);
      if (out.size() > before) ++counted;
    }
    pos = line_end + 1;
  }
  return out;
}

std::set<std::string> TopicStems(std::string_view text, const NoteLexicon* skip_generic) {
  std::set<std::string> out;
  std::string lower = LowerNote(text);
  size_t i = 0;
  while (i < lower.size()) {
    size_t j = i;
    while (j < lower.size() && lower[j] >= 'a' && lower[j] <= 'z') ++j;
    std::string_view word = std::string_view(lower).substr(i, j - i);
    if (word.size() >= kTopicStemBytes && (skip_generic == nullptr || !skip_generic->Generic(word))) {
      out.insert(std::string(word.substr(0, kTopicStemBytes)));
    }
    i = j == i ? i + 1 : j;
  }
  return out;
}

Result<NoteReading> NoteReader::Read(std::string_view note, PartialDate as_of) const {
  if (note.size() > kMaxNoteBytes) {
    return Status::InvalidArgument("note: " + std::to_string(note.size()) + " bytes; a note is at most " +
                                   std::to_string(kMaxNoteBytes) + " bytes");
  }
  if (std::string bad = BadBytes(note); !bad.empty()) return Status::InvalidArgument("note: " + bad);
  NoteReading r;
  r.text = std::string(note);
  r.facts.sentences = SplitNoteSentences(note);
  Passes passes(concepts_, lexicon_, &r.facts);
  for (const NoteSentence& s : r.facts.sentences) {
    std::string_view text = note.substr(s.begin, s.end - s.begin);
    SentenceState st{s, text, LowerNote(text), {}};
    st.scopes = lexicon_.Scopes(st.lower);
    passes.Run(st);
  }
  r.patient = BuildPatient(concepts_, r.facts, as_of);
  r.topic_stems = TopicStems(note, &lexicon_);
  if (passes.age()) {
    int64_t days = static_cast<int64_t>(std::ceil(passes.age()->Days()));
    r.patient.birth_date = PartialDate::FromDays(as_of.ToDays() - days - 1);
  }
  if (!r.patient.sex && !r.facts.sentences.empty() && passes.female_pronouns() != passes.male_pronouns()) {
    r.patient.sex = passes.female_pronouns() > passes.male_pronouns() ? "female" : "male";
    r.patient.warnings.push_back("sex read from pronouns");
  }
  if (r.facts.sentences.empty()) {
    r.patient.warnings.push_back("the note is empty");
  } else if (r.facts.facts.empty()) {
    r.patient.warnings.push_back("nothing recognised in the note (is it a clinical note in English?)");
  }
  return r;
}

}  // namespace ts
