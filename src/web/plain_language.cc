#include "web/plain_language.h"

#include <algorithm>

#include "common/strings.h"
#include "eligibility/units.h"
#include "model/results_text.h"

namespace ts {

namespace {

constexpr std::string_view kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};

std::string ConceptLabel(const ConceptTable& concepts, const std::string& id) {
  const Concept* c = concepts.Find(id);
  return c ? c->label : id;
}

std::string Compared(Comparator cmp, const std::string& value, const std::string& high) {
  switch (cmp) {
    case Comparator::kLt: return "below " + value;
    case Comparator::kLe: return value + " or less";
    case Comparator::kGt: return "above " + value;
    case Comparator::kGe: return value + " or more";
    case Comparator::kEq: return "of " + value;
    case Comparator::kRange: return "from " + value + " to " + high;
  }
  return value;
}

std::string WithUnit(double v, const std::string& unit) {
  std::string u = PlainUnit(unit);
  if (u.empty()) return FormatNumber(v);
  if (StartsWith(u, "\xC3\x97") || u == "%") return FormatNumber(v) + u;  // 30×10⁹/L, 1%
  return FormatNumber(v) + " " + u;
}

std::string When(const Rule& r) {
  if (r.min_duration) return " for more than " + PlainDuration(*r.min_duration);
  if (r.scope == TimeScope::kCurrent) return " now";
  if (r.scope == TimeScope::kWithin && r.window) return " in the last " + PlainDuration(*r.window);
  return "";
}

// "a" or "an" as the label is read aloud: "an ALT", "an eGFR", "a platelet count".
std::string Article(const std::string& label) {
  if (label.empty()) return "a";
  bool acronym = label.size() > 1 && label[0] >= 'A' && label[0] <= 'Z' && (label[1] < 'a' || label[1] > 'z');
  char c = label[0];
  if (acronym) return std::string_view("AEFHILMNORSX").find(c) != std::string_view::npos ? "an" : "a";
  return std::string_view("aeiouAEIOU").find(c) != std::string_view::npos ? "an" : "a";
}

std::string Phrase(const Rule& r, const ConceptTable& concepts, bool negated) {
  const std::string no = negated ? "not " : "";
  switch (r.kind) {
    case RuleKind::kAge:
      if (r.cmp == Comparator::kRange) {
        return (negated ? "is not aged " : "is aged ") + FormatNumber(r.value) + " to " + FormatNumber(r.value_high) + " years";
      }
      return (negated ? "is not aged " : "is aged ") + Compared(r.cmp, FormatNumber(r.value) + " years", "");
    case RuleKind::kSex: return "is " + no + r.text;
    case RuleKind::kPregnant: return "is " + no + "pregnant";
    case RuleKind::kBreastfeeding: return "is " + no + "breastfeeding";
    case RuleKind::kContraception:
      return (negated ? "does not use" : "uses") + std::string(" effective contraception") +
             (r.childbearing_only ? " (if able to become pregnant)" : "") + (r.fertile_only ? " (if able to have children)" : "");
    case RuleKind::kLab: {
      std::string what = ConceptLabel(concepts, r.concept_id);
      std::string value;
      if (r.base != LimitBase::kAbsolute) {
        std::string limit = r.base == LimitBase::kUln ? " × the upper limit of normal" : " × the lower limit of normal";
        value = Compared(r.cmp, FormatNumber(r.value) + limit, FormatNumber(r.value_high) + limit);
      } else {
        value = Compared(r.cmp, WithUnit(r.value, r.unit), WithUnit(r.value_high, r.unit));
      }
      return (negated ? "does not have " : "has ") + Article(what) + " " + what + " " + value;
    }
    case RuleKind::kScore: {
      std::string what = ConceptLabel(concepts, r.concept_id);
      return (negated ? "does not have " : "has ") + Article(what) + " " + what + " " +
             Compared(r.cmp, FormatNumber(r.value), FormatNumber(r.value_high));
    }
    case RuleKind::kLifeExpectancy:
      return (negated ? "is not expected" : "is expected") + std::string(" to live ") +
             Compared(r.cmp, PlainDuration(Duration{r.value, r.unit.empty() ? "mo" : r.unit}), "");
    case RuleKind::kCondition:
      if (r.scope == TimeScope::kWithin && r.window) {
        return (negated ? "has not had " : "has had ") + ConceptLabel(concepts, r.concept_id) + When(r);
      }
      return (negated ? "does not have " : "has ") + ConceptLabel(concepts, r.concept_id);
    case RuleKind::kTherapy:
      if (r.scope == TimeScope::kCurrent && !r.min_duration) {
        return (negated ? "is not taking " : "is taking ") + ConceptLabel(concepts, r.concept_id);
      }
      return (negated ? "has not received " : "has received ") + ConceptLabel(concepts, r.concept_id) + When(r);
    case RuleKind::kProcedure:
      return (negated ? "has not had " : "has had ") + ConceptLabel(concepts, r.concept_id) + When(r);
    case RuleKind::kAllergy: return "is " + no + "allergic to " + ConceptLabel(concepts, r.concept_id);
    case RuleKind::kTrialParticipation:
      return (negated ? "has not taken" : "has taken") + std::string(" part in another clinical trial") + When(r);
    case RuleKind::kNot:
      return r.children.empty() ? "" : Phrase(r.children[0], concepts, !negated);
    case RuleKind::kAnd:
    case RuleKind::kOr: {
      // not (A and B) = not A or not B; not (A or B) = neither.
      bool conj = (r.kind == RuleKind::kAnd) != negated;
      std::vector<std::string> parts;
      for (const Rule& c : r.children) parts.push_back(Phrase(c, concepts, negated));
      if (parts.size() <= 1) return parts.empty() ? "" : parts[0];
      std::string last = parts.back();
      parts.pop_back();
      return Join(parts, ", ") + (conj ? " and " : " or ") + last;
    }
    case RuleKind::kNotComputable: return "";
  }
  return "";
}

std::string Sentence(std::string s) {
  s = Capitalised(std::move(s));
  if (!s.empty() && s.back() != '.' && s.back() != '?' && s.back() != '!') s += '.';
  return s;
}

std::string ListWords(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return Join(head, ", ") + " and " + items.back();
}

std::string AgeRange(const Eligibility& e) {
  auto years = [](const Age& a) { return a.ToString(); };
  std::string lo = e.minimum_age ? ToLowerAscii(years(*e.minimum_age)) : "";
  std::string hi = e.maximum_age ? ToLowerAscii(years(*e.maximum_age)) : "";
  if (!lo.empty() && !hi.empty()) return "aged " + lo + " to " + hi;
  if (!lo.empty()) return "aged " + lo + " or older";
  if (!hi.empty()) return "aged up to " + hi;
  return "of any age";
}

std::string PhaseText(const std::vector<Phase>& phases) {
  std::vector<std::string> out;
  for (Phase p : phases)
    if (p != Phase::kNa) out.push_back(ToLowerAscii(Label(p)));  // "phase 2", "early phase 1"
  return Join(out, "/");
}

std::string PhaseMeaning(Phase p) {
  switch (p) {
    case Phase::kEarlyPhase1: return "Early phase 1 studies give a very small dose to a few people to learn how the body handles it.";
    case Phase::kPhase1: return "Phase 1 studies test a treatment's safety and dose in a small group of people.";
    case Phase::kPhase2: return "Phase 2 studies check whether a treatment works and keep watching its safety.";
    case Phase::kPhase3: return "Phase 3 studies compare a treatment with the usual one in a larger group of people.";
    case Phase::kPhase4: return "Phase 4 studies follow a treatment that is already approved, to learn more about it.";
    case Phase::kNa: return "";
  }
  return "";
}

std::vector<std::string> InterventionNames(const Study& s) {
  std::vector<std::string> names;
  for (const Intervention& i : s.interventions) {
    if (!i.name.empty() && std::find(names.begin(), names.end(), i.name) == names.end()) names.push_back(i.name);
  }
  return names;
}

constexpr std::string_view kIdent = "protocolSection.identificationModule";
constexpr std::string_view kStatus = "protocolSection.statusModule";
constexpr std::string_view kConditions = "protocolSection.conditionsModule.conditions";
constexpr std::string_view kDesign = "protocolSection.designModule";
constexpr std::string_view kArms = "protocolSection.armsInterventionsModule";
constexpr std::string_view kOutcomes = "protocolSection.outcomesModule.primaryOutcomes";
constexpr std::string_view kElig = "protocolSection.eligibilityModule";
constexpr std::string_view kContacts = "protocolSection.contactsLocationsModule";

void Add(std::vector<PlainSentence>& out, std::string text, std::string_view source) {
  if (!text.empty()) out.push_back({Sentence(std::move(text)), std::string(source)});
}

void What(const Study& s, PartialDate today, PlainSummary& p) {
  if (!s.conditions.empty()) Add(p.what, "This study is about " + ListWords(s.conditions), kConditions);
  std::vector<std::string> names = InterventionNames(s);
  bool observational = s.design.study_type == StudyType::kObservational;
  if (!names.empty()) {
    Add(p.what, (observational ? "It observes people receiving " : "It tests ") + ListWords(names),
        std::string(kArms) + ".interventions");
  }
  std::string phase = PhaseText(s.design.phases);
  if (!phase.empty()) {
    Add(p.what, "It is a " + phase + " study", std::string(kDesign) + ".phases");
    Add(p.what, PhaseMeaning(s.design.phases.back()), std::string(kDesign) + ".phases");
  } else if (observational) {
    Add(p.what, "It is an observational study: researchers watch and measure, and do not assign a treatment",
        std::string(kDesign) + ".studyType");
  }
  if (s.design.allocation == Allocation::kRandomized) {
    Add(p.what, "Participants are put into " + std::to_string(std::max<size_t>(s.arm_groups.size(), 2)) +
                    " groups by chance (randomised), so the groups can be compared fairly",
        std::string(kDesign) + ".designInfo.allocation");
  } else if (s.design.intervention_model == InterventionModel::kSingleGroup) {
    Add(p.what, "Everyone in the study receives the same treatment", std::string(kDesign) + ".designInfo.interventionModel");
  }
  if (s.design.masking == Masking::kNone) {
    Add(p.what, "Participants and doctors know which treatment each person gets (open label)",
        std::string(kDesign) + ".designInfo.maskingInfo.masking");
  } else if (s.design.masking) {
    std::vector<std::string> who;
    for (WhoMasked w : s.design.who_masked) who.push_back(ToLowerAscii(Label(w)) + "s");
    Add(p.what, "Some people do not know which treatment each participant gets" + (who.empty() ? "" : " (" + ListWords(who) + ")"),
        std::string(kDesign) + ".designInfo.maskingInfo");
  }
  if (s.design.enrollment_count) {
    bool actual = s.design.enrollment_type == EnrollmentType::kActual;
    Add(p.what, (actual ? "It enrolled " : "It plans to enrol ") + std::to_string(*s.design.enrollment_count) + " people",
        std::string(kDesign) + ".enrollmentInfo");
  }
  if (!s.primary_outcomes.empty()) {
    const Outcome& o = s.primary_outcomes[0];
    std::string m = CollapseSpace(UnescapeMarkdown(o.measure));
    if (!m.empty() && m.back() == '.') m.pop_back();
    Add(p.what, "The main result it measures: " + m + (o.time_frame.empty() ? "" : " (" + CollapseSpace(o.time_frame) + ")"), kOutcomes);
  }
  const PartialDate& start = s.status.start_date.date;
  if (!start.empty()) {
    bool future = start > today;
    Add(p.what, std::string(future ? "It is expected to start in " : "It started in ") + PlainDate(start),
        std::string(kStatus) + ".startDateStruct");
  }
  const PartialDate& end = s.status.completion_date.date;
  if (!end.empty()) {
    bool future = end > today;
    Add(p.what, std::string(future ? "It is expected to finish in " : "It finished in ") + PlainDate(end),
        std::string(kStatus) + ".completionDateStruct");
  }
}

// What the posted results say, group by group, for each primary outcome, then the serious adverse events: the
// numbers as the registry states them, never a claim of benefit they do not make.
void Found(const Study& s, PlainSummary& p) {
  if (!s.results) return;
  const StudyResults& r = *s.results;
  for (size_t i = 0; i < r.outcome_measures.size(); ++i) {
    const OutcomeMeasure& m = r.outcome_measures[i];
    if (m.type != OutcomeMeasureType::kPrimary) continue;
    std::vector<std::string> lines = ResultFindings(m);
    if (lines.empty()) continue;
    const std::string source = "resultsSection.outcomeMeasuresModule.outcomeMeasures[" + std::to_string(i) + "]";
    Add(p.found, "For its main question, " + CollapseSpace(m.title) +
                     (m.time_frame.empty() ? "" : " (" + CollapseSpace(m.time_frame) + ")") + ", the trial reported: " +
                     Join(lines, "; "), source);
    for (const MeasureAnalysis& a : m.analyses) {
      if (a.p_value.empty()) continue;
      Add(p.found, "Its statistical test gave p " + std::string(StartsWith(a.p_value, "<") || StartsWith(a.p_value, ">") ? "" : "= ") +
                       a.p_value + ": a difference this large would rarely arise by chance alone, which says nothing of "
                       "whether it matters to a patient",
          source + ".analyses");
      break;
    }
  }
  if (r.adverse_events) {
    std::vector<std::string> parts;
    for (const EventGroup& g : r.adverse_events->event_groups) {
      if (g.serious_num_affected && g.serious_num_at_risk) {
        parts.push_back(std::to_string(*g.serious_num_affected) + " of " + std::to_string(*g.serious_num_at_risk) + " in " + g.title);
      }
    }
    if (!parts.empty()) {
      Add(p.found, "Serious side effects or other serious medical events were reported in " + Join(parts, ", "),
          "resultsSection.adverseEventsModule.eventGroups");
    }
  }
}

}  // namespace

std::vector<PlainSentence> PlainFindings(const Study& study) {
  PlainSummary p;
  Found(study, p);
  return p.found;
}

namespace {

void Who(const Study& s, const CompiledStudy* compiled, const ConceptTable& concepts, PlainSummary& p) {
  const Eligibility& e = s.eligibility;
  std::string people = "People ";
  if (e.sex == Sex::kFemale) people = "Women ";
  if (e.sex == Sex::kMale) people = "Men ";
  std::string who = people + AgeRange(e);
  if (!s.conditions.empty()) who += " with " + ListWords(s.conditions);
  Add(p.good_fit, who, std::string(kElig) + " (minimumAge, maximumAge, sex) and " + std::string(kConditions));
  if (e.healthy_volunteers == false) {
    Add(p.not_fit, "Healthy volunteers: this study does not take people without the condition", std::string(kElig) + ".healthyVolunteers");
  } else if (e.healthy_volunteers == true) {
    Add(p.good_fit, "Healthy volunteers can take part", std::string(kElig) + ".healthyVolunteers");
  }
  if (compiled == nullptr) return;
  for (const CompiledCriterion& c : compiled->criteria) {
    if (c.parent >= 0 || c.label == "age" || c.label == "sex") continue;  // top-level text criteria only
    if (!c.computable) continue;
    bool inclusion = c.kind == CriterionKind::kInclusion;
    std::string phrase = PlainRule(c.rule, concepts);
    if (phrase.empty()) {
      // Partly understood: the typed parts of an inclusion AND are each required, and each typed part
      // of an exclusion OR excludes on its own, so they can be stated; other shapes cannot.
      RuleKind sound = inclusion ? RuleKind::kAnd : RuleKind::kOr;
      if (c.rule.kind != sound) continue;
      std::vector<Rule> known;
      for (const Rule& part : c.rule.children)
        if (part.IsComputable()) known.push_back(part);
      if (known.empty()) continue;
      phrase = PlainRule(inclusion ? Rule::All(known) : Rule::Any(known), concepts);
      if (phrase.empty()) continue;
      phrase += inclusion ? ", among other conditions in the full criteria" : ", among other reasons in the full criteria";
    }
    std::string source = std::string(kElig) + ".eligibilityCriteria (" +
                         (c.kind == CriterionKind::kInclusion ? "inclusion " : "exclusion ") + c.label + ")";
    Add(inclusion ? p.good_fit : p.not_fit, "Someone who " + phrase, source);
  }
}

void HowTo(const Study& s, PlainSummary& p) {
  std::string status_src = std::string(kStatus) + ".overallStatus";
  auto st = s.status.overall_status;
  if (st == OverallStatus::kRecruiting) {
    Add(p.participate, "This trial is recruiting now", status_src);
  } else if (st == OverallStatus::kNotYetRecruiting) {
    Add(p.participate, "This trial has not started recruiting yet; the study team may take your details for later", status_src);
  } else if (st == OverallStatus::kEnrollingByInvitation) {
    Add(p.participate, "This trial enrols only people the study team invites", status_src);
  } else if (st) {
    Add(p.participate, "This trial is not recruiting (" + ToLowerAscii(Label(*st)) + "), so it cannot take new participants; see the related trials below",
        status_src);
  }
  Add(p.participate, "Read the eligibility criteria with your own doctor, who knows your medical history",
      std::string(kElig) + ".eligibilityCriteria");
  for (const Contact& c : s.central_contacts) {
    std::vector<std::string> ways;
    if (!c.phone.empty()) ways.push_back("phone " + c.phone + (c.phone_ext.empty() ? "" : " ext. " + c.phone_ext));
    if (!c.email.empty()) ways.push_back("email " + c.email);
    if (c.name.empty() && ways.empty()) continue;
    Add(p.participate, "Contact " + (c.name.empty() ? std::string("the study team") : c.name) +
                           (ways.empty() ? "" : " (" + Join(ways, ", ") + ")") + " and ask for pre-screening",
        std::string(kContacts) + ".centralContacts");
  }
  if (!s.locations.empty()) {
    std::vector<std::string> countries;
    for (const Location& l : s.locations)
      if (!l.country.empty() && std::find(countries.begin(), countries.end(), l.country) == countries.end()) countries.push_back(l.country);
    Add(p.participate, "The trial runs at " + std::to_string(s.locations.size()) + (s.locations.size() == 1 ? " site" : " sites") +
                           (countries.empty() ? "" : " in " + ListWords(countries)) + "; each site's contact is listed on the trial page",
        std::string(kContacts) + ".locations");
  }
  if (!s.identification.nct_id.empty()) {
    Add(p.participate, "Check the latest status on ClinicalTrials.gov under " + s.identification.nct_id,
        std::string(kIdent) + ".nctId");
  }
}

}  // namespace

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string PlainUnit(std::string_view ucum) {
  static const std::pair<std::string_view, std::string_view> kUnits[] = {
      {"10*9/L", "\xC3\x97" "10\xE2\x81\xB9/L"},  {"10*12/L", "\xC3\x97" "10\xC2\xB9\xC2\xB2/L"},
      {"10*6/L", "\xC3\x97" "10\xE2\x81\xB6/L"},  {"10*3/uL", "\xC3\x97" "10\xC2\xB3/\xC2\xB5L"},
      {"/uL", "/\xC2\xB5L"},                      {"umol/L", "\xC2\xB5mol/L"},
      {"mL/min/{1.73_m2}", "mL/min/1.73 m\xC2\xB2"}, {"mL/min/1.73.m2", "mL/min/1.73 m\xC2\xB2"},
      {"kg/m2", "kg/m\xC2\xB2"},                  {"ms", "ms"},
      {"[IU]/L", "IU/L"},                         {"U/L", "U/L"},
  };
  for (const auto& [code, shown] : kUnits)
    if (code == ucum) return std::string(shown);
  return std::string(ucum);
}

std::string PlainDuration(const Duration& d) {
  std::string unit = d.unit == "d" ? "day" : d.unit == "wk" ? "week" : d.unit == "mo" ? "month" : d.unit == "a" ? "year"
                     : d.unit == "h" ? "hour" : d.unit;
  return FormatNumber(d.value) + " " + unit + (d.value == 1 ? "" : "s");
}

std::string PlainDate(const PartialDate& d) {
  if (d.empty()) return "";
  if (d.month < 1 || d.month > 12) return std::to_string(d.year);
  std::string month(kMonths[d.month - 1]);
  if (d.day == 0) return month + " " + std::to_string(d.year);
  return std::to_string(d.day) + " " + month + " " + std::to_string(d.year);
}

std::string PlainRule(const Rule& rule, const ConceptTable& concepts) {
  if (!rule.IsComputable()) return "";
  return Phrase(rule, concepts, false);
}

PlainSummary SummarizeStudy(const Study& s, const CompiledStudy* compiled, const ConceptTable& concepts, PartialDate today) {
  PlainSummary p;
  // The treatments the title names (as the title spells them), else the listed interventions.
  std::vector<std::string> names;
  const std::string& bt = s.identification.brief_title;
  // Conditions compete for the same words, so "chemotherapy" in "chemotherapy-induced thrombocytopenia" is no treatment.
  for (const ConceptMention& m : concepts.FindMentions(bt, {ConceptKind::kCondition, ConceptKind::kTherapy})) {
    if (m.concept_ref->kind != ConceptKind::kTherapy) continue;
    std::string name = bt.substr(m.begin, m.end - m.begin);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  bool from_title = !names.empty();
  if (!from_title) names = InterventionNames(s);
  std::string condition = s.conditions.empty() ? "" : s.conditions[0];
  bool observational = s.design.study_type == StudyType::kObservational;
  if (!names.empty() && !condition.empty() && !observational) {
    p.title = "Testing " + ListWords(std::vector<std::string>(names.begin(), names.begin() + std::min<size_t>(names.size(), 3))) +
              " for " + condition;
    p.title_source = (from_title ? std::string(kIdent) + ".briefTitle" : std::string(kArms) + ".interventions") + ", " +
                     std::string(kConditions);
  } else if (!condition.empty()) {
    p.title = "A study of people with " + condition;
    p.title_source = std::string(kConditions);
  } else {
    p.title = s.identification.brief_title;
    p.title_source = std::string(kIdent) + ".briefTitle";
  }
  What(s, today, p);
  Found(s, p);
  Who(s, compiled, concepts, p);
  HowTo(s, p);
  return p;
}

}  // namespace ts
