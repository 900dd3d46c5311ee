#include "eligibility/clause_scan.h"

#include <cctype>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/atoms.h"

namespace ts::clause {
namespace {

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return ascii::IsAlnum(u) || u >= 0x80 || c == '-';
}

// Punctuation that ends a phrase for negation and modifiers.
bool IsPhraseBreak(char c) { return c == ';' || c == ':' || c == '.' || c == '(' || c == ')' || c == '['; }

// Where the phrase holding `pos` begins, not before `floor`. A whole parenthesis before `pos` is an
// aside, not a break ("no terfenadine (Seldane) or astemizole": the "no" reaches astemizole); a
// parenthesis that holds `pos` is a phrase of its own.
size_t PhraseStart(std::string_view s, size_t pos, size_t floor) {
  for (size_t i = pos; i > floor; --i) {
    char c = s[i - 1];
    if (c == ')') {
      size_t open = i - 1;
      while (open > floor && s[open - 1] != '(' && !IsPhraseBreak(s[open - 1])) --open;
      if (open > floor && s[open - 1] == '(') {
        i = open;  // the loop's --i steps over the '('
        continue;
      }
    }
    if (IsPhraseBreak(c)) return i;
  }
  return floor;
}

}  // namespace

std::optional<Span> BracketsRightAfter(std::string_view text, const std::vector<Span>& parens, size_t end) {
  for (const Span& p : parens) {
    if (p.begin >= end && p.begin <= text.size() && Trim(text.substr(end, p.begin - end)).empty()) return p;
  }
  return std::nullopt;
}

bool Inside(const std::vector<Span>& spans, size_t pos) {
  for (const Span& s : spans) {
    if (pos >= s.begin && pos < s.end) return true;
  }
  return false;
}

std::vector<Span> Parens(std::string_view s) {
  std::vector<Span> out;
  int depth = 0;
  size_t open = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '[') {
      if (depth++ == 0) open = i;
    } else if ((s[i] == ')' || s[i] == ']') && depth > 0) {
      if (--depth == 0) out.push_back({open, i + 1});
    }
  }
  if (depth > 0) out.push_back({open, s.size()});
  return out;
}

std::vector<Span> ExampleSpans(std::string_view lower, const std::vector<Span>& parens) {
  std::vector<Span> examples;
  for (const Span& p : parens) {
    std::string_view inner = Trim(lower.substr(p.begin + 1, p.end - p.begin - (p.end > p.begin + 1 ? 2 : 1)));
    for (std::string_view lead : {"e.g", "eg", "such as", "including", "for example", "i.e", "ie,", "ie ", "especially",
                                  "particularly", "in particular", "notably"}) {
      if (StartsWith(inner, lead)) examples.push_back(p);
    }
  }
  for (size_t q = lower.find('"'); q != std::string_view::npos;) {
    size_t close = lower.find('"', q + 1);
    if (close == std::string_view::npos) break;
    examples.push_back({q, close + 1});
    q = lower.find('"', close + 1);
  }
  for (std::string_view lead : {"such as", "e.g.", "for example", "including but not limited to", "including"}) {
    size_t p = atoms::FindWord(lower, lead);
    if (p != std::string_view::npos && !Inside(parens, p)) {
      examples.push_back({p, lower.size()});
      break;
    }
  }
  return examples;
}

// True if the consent words at `at` follow a time phrase ("at the time of signing", "prior to", "within 28 days
// of"): the consent is the date a rule counts from.
bool ConsentAsTime(std::string_view lower, size_t at) {
  std::vector<Word> words = Words(lower.substr(at > 48 ? at - 48 : 0, at > 48 ? 48 : at));
  auto skippable = [](std::string_view w) {
    return w == "informed" || w == "written" || w == "signed" || w == "signing" || w == "the" || w == "an" ||
           w == "a" || w == "of" || w == "obtaining" || w == "giving";
  };
  while (!words.empty() && skippable(words.back().text) && words.back().text != "of") words.pop_back();
  // "... time of signing": one "of" may stand between the time word and the consent.
  if (!words.empty() && words.back().text == "of") words.pop_back();
  while (!words.empty() && (words.back().text == "the" || words.back().text == "a")) words.pop_back();
  if (words.empty()) return false;
  std::string_view last = words.back().text;
  std::string_view prev = words.size() > 1 ? std::string_view(words[words.size() - 2].text) : std::string_view();
  return last == "time" || last == "before" || last == "after" || last == "date" || last == "day" ||
         last == "days" || last == "weeks" || last == "months" || last == "until" || last == "since" ||
         (last == "to" && prev == "prior") || last == "within";
}

std::optional<GateHit> Gate(const CriteriaLexicon& lex, std::string_view lower, bool contraception, bool inclusion) {
  struct Check {
    Trigger trigger;
    Uncertainty why;
  };
  static constexpr Check kTeam[] = {{Trigger::kConsent, Uncertainty::kConsent},
                                    {Trigger::kJudgement, Uncertainty::kJudgement},
                                    {Trigger::kCompliance, Uncertainty::kCompliance}};
  for (const Check& c : kTeam) {
    auto h = lex.Find(c.trigger, lower);
    // "Age >= 18 at the time of signing informed consent": the consent dates the rule, it is not the rule.
    while (h && c.trigger == Trigger::kConsent && ConsentAsTime(lower, h->begin)) h = lex.Find(c.trigger, lower, h->end);
    if (h) return GateHit{c.why, std::string(h->phrase)};
  }
  if (contraception) {
    // "Unwilling to use contraception", "not using effective birth control": only the words just
    // before the contraception word say whether the patient uses it.
    size_t p = atoms::FindWord(lower, "contracepti");
    if (p == std::string_view::npos) p = atoms::FindWord(lower, "birth control");
    if (auto h = lex.FindLast(Trigger::kUnwilling, lower, p > 40 ? p - 40 : 0, p)) {
      return GateHit{Uncertainty::kWillingness, std::string(h->phrase)};
    }
    // "Sexually active males must agree to practice barrier contraception": only for some patients, and
    // "or abstain from sexual intercourse" is an alternative a record does not show.
    if (auto h = lex.Find(Trigger::kContraceptionSubgroup, lower)) {
      return GateHit{Uncertainty::kSubgroup, std::string(h->phrase)};
    }
  } else if (auto h = lex.Find(Trigger::kWillingness, lower)) {
    return GateHit{Uncertainty::kWillingness, std::string(h->phrase)};
  }
  static constexpr Check kMedical[] = {{Trigger::kOtherPerson, Uncertainty::kOtherPerson},
                                       {Trigger::kConditional, Uncertainty::kConditional},
                                       {Trigger::kExemption, Uncertainty::kExemption},
                                       {Trigger::kPermission, Uncertainty::kPermission},
                                       {Trigger::kPlan, Uncertainty::kPlan},
                                       {Trigger::kHypothetical, Uncertainty::kHypothetical}};
  for (const Check& c : kMedical) {
    auto h = lex.Find(c.trigger, lower);
    // "Regardless of sex" says the rule holds for everyone: not a permission.
    while (h && c.trigger == Trigger::kPermission) {
      auto np = lex.Find(Trigger::kNotPermission, lower, h->begin);
      if (!np || np->begin != h->begin) break;
      h = lex.Find(c.trigger, lower, np->end);
    }
    if (h) return GateHit{c.why, std::string(h->phrase)};
  }
  if (inclusion) {
    if (auto h = lex.Find(Trigger::kSuspected, lower)) return GateHit{Uncertainty::kHypothetical, std::string(h->phrase)};
  }
  // "QTc > 480 ms for patients with a bundle branch block", "... for volunteers receiving booster vaccine": for a subgroup only.
  if (auto h = lex.Find(Trigger::kSubgroup, lower)) {
    bool number_before = lower.substr(0, h->begin).find_first_of("0123456789") != std::string_view::npos;
    bool leads = Trim(lower.substr(0, h->begin)).empty();
    bool study_arm = h->phrase.find("control") != std::string_view::npos || h->phrase.find("cases") != std::string_view::npos ||
                     h->phrase.find("stratum") != std::string_view::npos || h->phrase.find("cohort") != std::string_view::npos ||
                     StartsWith(h->phrase, "arm ") || StartsWith(h->phrase, "group ") || StartsWith(h->phrase, "part ") ||
                     h->phrase.find(" who") != std::string_view::npos || h->phrase.find("required for") != std::string_view::npos ||
                     h->phrase.find("receiving") != std::string_view::npos || h->phrase.find("half of") != std::string_view::npos;
    if (number_before || leads || study_arm) return GateHit{Uncertainty::kSubgroup, std::string(h->phrase)};
  }
  // "Patients who have undergone a transplant are not eligible": an exclusion written as a sentence.
  if (auto h = lex.Find(Trigger::kClauseNegation, lower)) return GateHit{Uncertainty::kNegationScope, std::string(h->phrase)};
  // "Patients with thyroid cancer must have failed radioactive iodine": a requirement for a subgroup.
  // "Patients under 6 years old must weigh at least 7 kg": likewise for a subgroup by age.
  if (auto lead = lex.FindAt(Trigger::kSubgroupLead, lower, 0);
      lead &&
      atoms::FindWord(lower, "must ", lead->end) != std::string_view::npos) {
    return GateHit{Uncertainty::kSubgroup, std::string(Trim(lead->phrase))};
  }
  return std::nullopt;
}

std::vector<Word> Words(std::string_view s) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsWordByte(s[i]) || s[i] == '-') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && (IsWordByte(s[j]) || (s[j] == '.' && j + 1 < s.size() && IsWordByte(s[j + 1])))) {
      ++j;
    }
    size_t e = j;
    while (e > i && s[e - 1] == '-') --e;
    out.push_back({ToLowerAscii(s.substr(i, e - i)), i, e});
    i = j;
  }
  return out;
}

Polarity ReadPolarity(const CriteriaLexicon& lex, std::string_view masked, size_t begin, size_t end, size_t floor,
                      size_t ceiling) {
  Polarity out;
  // A negation before the mention, in its phrase, not part of a pseudo-negation ("no more than").
  std::vector<TriggerHit> pseudo = lex.FindAll(Trigger::kPseudoNegation, masked);
  auto is_pseudo = [&](const TriggerHit& h) {
    for (const TriggerHit& p : pseudo) {
      if (h.begin >= p.begin && h.begin < p.end) return true;
    }
    return false;
  };
  size_t phrase_start = PhraseStart(masked, begin, floor);
  // "Negative ELISA for HIV", "negative status for hepatitis B": a test result before the mention,
  // whose reach the parser does not read ("triple negative breast cancer" is not its absence).
  if (auto u = lex.FindLast(Trigger::kUnsureNegation, masked, phrase_start, begin); u && !is_pseudo(*u)) {
    out.unsure = Uncertainty::kNegationScope;
    return out;
  }
  std::optional<TriggerHit> neg;
  for (size_t to = begin; to > phrase_start;) {
    auto h = lex.FindLast(Trigger::kNegation, masked, phrase_start, to);
    if (!h) break;
    if (!is_pseudo(*h) && h->end <= begin) {
      neg = h;
      break;
    }
    to = h->begin;
  }
  if (!neg && floor > 0) {
    // A negation before the mention's list, in the same phrase and not ended: "must not have
    // received radiation therapy of chemotherapy" may or may not deny the second treatment.
    size_t start = PhraseStart(masked, floor, 0);
    for (size_t to = floor; to > start;) {
      auto h = lex.FindLast(Trigger::kNegation, masked, start, to);
      if (!h) break;
      if (!is_pseudo(*h)) {
        if (!lex.Find(Trigger::kTermination, masked, h->end, begin)) out.unsure = Uncertainty::kNegationScope;
        break;
      }
      to = h->begin;
    }
  }
  if (neg) {
    bool terminated = lex.Find(Trigger::kTermination, masked, neg->end, begin).has_value();
    // Words between the trigger and the mention that are neither fillers nor list glue.
    int unknown = 0;
    for (const Word& w : Words(masked.substr(neg->end, begin - neg->end))) {
      if (!lex.IsFiller(w.text) && w.text != "or" && w.text != "and/or" && w.text != "nor") ++unknown;
    }
    if (terminated) {
      // A negation whose scope ended before the mention does not apply to it.
    } else if (unknown > 4) {
      out.unsure = Uncertainty::kNegationScope;
    } else {
      out.negated = true;
    }
  }
  // A negation right after it: "HIV negative", "prior chemotherapy is not allowed".
  size_t stop = std::min(ceiling, masked.size());
  for (size_t i = end; i < stop; ++i) {
    if (IsPhraseBreak(masked[i]) || masked[i] == ',') {
      stop = i;
      break;
    }
  }
  if (auto post = lex.Find(Trigger::kPostNegation, masked, end, stop)) {
    int words_between = static_cast<int>(Words(masked.substr(end, post->begin - end)).size());
    if (words_between <= 2) {
      if (out.negated || out.unsure) {
        out.unsure = Uncertainty::kNegationScope;
      } else {
        out.negated = true;
        out.after = true;
      }
    }
  }
  if (out.unsure) out.negated = false;
  return out;
}

Span PreModifiers(const CriteriaLexicon& lex, std::string_view masked, size_t begin, size_t floor) {
  std::vector<Word> words = Words(masked.substr(floor, begin - floor));
  size_t first = begin;
  for (size_t k = words.size(); k-- > 0;) {
    const Word& w = words[k];
    size_t wb = floor + w.begin, we = floor + w.end;
    // Only what touches the mention through spaces and hyphens belongs to its noun phrase.
    std::string_view gap = masked.substr(we, first - we);
    if (!Trim(gap).empty() && Trim(gap) != "-") break;
    // ("high dose chemotherapy", "low dose aspirin": "dose" is part of the noun phrase, not a filler here.)
    const bool dose = w.text == "dose" || w.text == "doses" || w.text == "dosage";
    if (!dose && (lex.IsFiller(w.text) || w.text == "or" || w.text == "and" || w.text == "and/or")) break;
    if (lex.Find(Trigger::kNegation, masked, wb, we) && lex.Find(Trigger::kNegation, masked, wb, we)->begin == wb &&
        !lex.Find(Trigger::kPseudoNegation, masked, wb, std::min(masked.size(), begin + 1))) {
      break;
    }
    bool letters = false;
    for (char ch : w.text) letters |= ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0;
    if (!letters) break;  // "≥3", "2": numbers are read by the measurement passes
    first = wb;
  }
  return first < begin ? Span{first, begin} : Span{begin, begin};
}

bool IsAbbreviationParen(std::string_view s, size_t open, size_t close) {
  std::vector<Word> words = Words(s.substr(open + 1, close - open - 1));
  return words.size() == 1 && words[0].text.size() <= 8;
}

Span PostModifiers(const CriteriaLexicon& lex, std::string_view masked, size_t end, size_t stop,
                   const std::vector<Span>& consumed) {
  stop = std::min(stop, masked.size());
  // A parenthesis right after the mention defines it ("hepatitis B (HBsAg positive with detectable
  // HBV DNA)"): it narrows the mention like the words after it. Example lists are already blanked.
  size_t p = end;
  while (p < stop && masked[p] == ' ') ++p;
  // An abbreviation in parentheses ("myocardial infarction (MI)") is the mention again: skip it.
  if (p < stop && masked[p] == '(') {
    size_t close = masked.find(')', p);
    if (close != std::string_view::npos && close < stop && IsAbbreviationParen(masked, p, close)) {
      end = close + 1;
      p = end;
      while (p < stop && masked[p] == ' ') ++p;
    }
  }
  if (p < stop && masked[p] == '(' && !Inside(consumed, p)) {
    size_t close = masked.find(')', p);
    bool typed_inside = false;  // a measurement in it ("(PLT < 50)") is its own part
    for (const Span& c : consumed) typed_inside |= close != std::string_view::npos && c.begin < close && c.end > p;
    if (close != std::string_view::npos && close < stop && !typed_inside) {
      bool words = false;
      for (const Word& w : Words(masked.substr(p + 1, close - p - 1))) {
        bool letters = false;
        for (char ch : w.text) letters |= ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0;
        words |= letters && !lex.IsFiller(w.text);
      }
      if (words) return Span{end, close + 1};
    }
  }
  for (size_t i = end; i < stop; ++i) {
    if (IsPhraseBreak(masked[i]) || masked[i] == ',' || Inside(consumed, i)) {
      stop = i;
      break;
    }
  }
  size_t last = end;
  for (const Word& w : Words(masked.substr(end, stop - end))) {
    if (w.text == "and" || w.text == "or" || w.text == "and/or" || w.text == "nor" || w.text == "with" ||
        w.text == "but") {
      break;
    }
    // A relative clause narrows the mention too ("anticancer therapy that contraindicates the study").
    bool relative = w.text == "that" || w.text == "which" || w.text == "who" || w.text == "whose";
    if (!relative && lex.Find(Trigger::kTermination, masked, end + w.begin, end + w.end)) break;
    bool letters = false;
    for (char ch : w.text) letters |= ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0;
    if (letters && !lex.IsFiller(w.text)) last = end + w.end;
  }
  return Span{end, last};
}

std::optional<Washout> FindWashout(const CriteriaLexicon& lex, std::string_view lower) {
  for (size_t p = 0; p < lower.size(); ++p) {
    if (p > 0 && ascii::IsAlnum(static_cast<unsigned char>(lower[p - 1]))) continue;
    auto d = atoms::ParseDurationAt(lower, p);
    if (!d || d->begin != p) continue;
    // What follows: "since", "from", "before", "prior to", optionally after "must have elapsed".
    size_t q = d->end;
    for (std::string_view fill : {" must have elapsed", " must have passed", " have elapsed", " has elapsed",
                                  " have passed", " has passed", " must elapse", " elapsed", " or more", " or longer",
                                  " must be", " should be"}) {
      if (lower.substr(q, fill.size()) == fill) q += fill.size();
    }
    while (q < lower.size() && (lower[q] == ' ' || lower[q] == ',')) ++q;
    auto since = lex.Find(Trigger::kSince, lower, q, std::min(lower.size(), q + 12));
    if (!since || since->begin != q) continue;
    // What comes before: "at least", "more than", ">".
    size_t b = p;
    while (b > 0 && lower[b - 1] == ' ') --b;
    auto lead = lex.FindLast(Trigger::kWashoutLead, lower, b > 20 ? b - 20 : 0, b);
    bool has_lead = lead && lead->end == b;
    // "Have been on antiretroviral therapy for at least 7 days prior to entry": how long a treatment has
    // lasted, not a gap since it.
    if (has_lead && lead->begin >= 4 && lower.substr(lead->begin - 4, 4) == "for " && since->phrase != "after" &&
        since->phrase != "following") {
      continue;
    }
    bool gap_word = since->phrase == "since" || since->phrase == "elapsed" ||
                    lower.substr(d->end, q - d->end).find("elapse") != std::string_view::npos ||
                    lower.substr(d->end, q - d->end).find("passed") != std::string_view::npos ||
                    lower.substr(d->end, q - d->end).find("or more") != std::string_view::npos;
    if (!has_lead && !gap_word) continue;
    return Washout{d->duration, has_lead ? lead->begin : p, since->end};
  }
  return std::nullopt;
}

std::vector<Span> LooseDurations(std::string_view lower, const std::vector<Span>& consumed) {
  std::vector<Span> out;
  for (size_t p = 0; p < lower.size(); ++p) {
    if (p > 0 && ascii::IsAlnum(static_cast<unsigned char>(lower[p - 1]))) continue;
    if (!ascii::IsAlnum(static_cast<unsigned char>(lower[p]))) continue;
    auto d = atoms::ParseDurationAt(lower, p);
    if (!d || d->begin != p) continue;
    if (!Inside(consumed, p)) out.push_back({p, d->end});
    p = d->end;
  }
  return out;
}

}  // namespace ts::clause
