#include "eligibility/screening.h"

#include <algorithm>
#include <cmath>

#include "common/strings.h"
#include "model/age.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

std::string_view TruthName(Truth t) {
  switch (t) {
    case Truth::kTrue: return "true";
    case Truth::kFalse: return "false";
    case Truth::kUnknown: return "unknown";
  }
  return "?";
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kEligible: return "eligible";
    case Verdict::kNotEligible: return "not_eligible";
    case Verdict::kPossiblyEligible: return "possibly_eligible";
  }
  return "?";
}

namespace {

bool Compare(double v, const Rule& r) {
  switch (r.cmp) {
    case Comparator::kLt: return v < r.value;
    case Comparator::kLe: return v <= r.value;
    case Comparator::kGt: return v > r.value;
    case Comparator::kGe: return v >= r.value;
    case Comparator::kEq: return v == r.value;
    case Comparator::kRange: return v >= r.value && v <= r.value_high;
  }
  return false;
}

Finding Known(Truth t, bool explain, std::string evidence) {
  Finding f;
  f.truth = t;
  if (explain) f.evidence.push_back(std::move(evidence));
  return f;
}

Finding Ask(bool explain, std::string question) {
  Finding f;
  if (explain) f.questions.push_back(std::move(question));
  return f;
}

std::string Label(const ConceptTable& concepts, const std::string& id) {
  const Concept* c = concepts.Find(id);
  return c ? c->label : id;
}

std::string ScopeWords(const Rule& r) {
  switch (r.scope) {
    case TimeScope::kCurrent: return " now";
    case TimeScope::kWithin: return " in the last " + (r.window ? r.window->ToString() : std::string("?"));
    case TimeScope::kEver: return r.min_duration ? " for more than " + r.min_duration->ToString() : " at any time";
  }
  return "";
}

void Append(std::vector<std::string>* to, const std::vector<std::string>& from) {
  for (const std::string& s : from) {
    if (std::find(to->begin(), to->end(), s) == to->end()) to->push_back(s);
  }
}

}  // namespace

RuleEvaluator::RuleEvaluator(const ConceptTable& concepts, const Patient& patient, PartialDate as_of)
    : concepts_(concepts), patient_(patient), as_of_(as_of), as_of_days_(as_of.ToDays()) {
  // A record is listed under its concept, the broader concepts the vocabulary puts it under, and the
  // curated parents of each; once per concept.
  auto index = [&](const std::vector<PatientRecord>& records, auto* map) {
    for (const PatientRecord& r : records) {
      auto under = [&](const std::string& id) {
        const Concept* c = concepts_.Find(id);
        for (int depth = 0; c != nullptr && depth < 16; ++depth) {
          std::vector<const PatientRecord*>& list = (*map)[c->id];
          if (list.empty() || list.back() != &r) list.push_back(&r);
          c = c->parent.empty() ? nullptr : concepts_.Find(c->parent);
        }
      };
      under(r.concept_id);
      for (const std::string& id : r.broader_ids) under(id);
    }
  };
  index(patient.conditions, &conditions_);
  index(patient.medications, &medications_);
  index(patient.procedures, &procedures_);
  // A treatment recorded as a procedure (radiotherapy, a transfusion, dialysis in a FHIR Procedure) is still
  // a treatment: therapy rules find it too (review rounds 12 and 15: "No prior radiotherapy" passed a patient
  // whose irradiation was recorded under procedures).
  index(patient.procedures, &medications_);
  index(patient.allergies, &allergies_);
  for (const PatientObservation& o : patient.observations) {
    if (!o.concept_id.empty() && (o.date.empty() || o.date.ToDays() <= as_of_days_)) observations_[o.concept_id].push_back(&o);
  }
  for (auto& [id, list] : observations_) {
    std::stable_sort(list.begin(), list.end(), [](const PatientObservation* a, const PatientObservation* b) {
      return a->date.ToDays() > b->date.ToDays();
    });
  }
}

const std::vector<const PatientRecord*>* RuleEvaluator::RecordsUnder(RuleKind kind, const std::string& id) const {
  const auto& map = kind == RuleKind::kCondition ? conditions_
                    : kind == RuleKind::kTherapy ? medications_
                    : kind == RuleKind::kProcedure ? procedures_
                                                   : allergies_;
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

Finding RuleEvaluator::Evaluate(const Rule& rule, bool explain) const {
  switch (rule.kind) {
    case RuleKind::kAnd:
    case RuleKind::kOr: {
      const bool is_and = rule.kind == RuleKind::kAnd;
      const Truth decisive = is_and ? Truth::kFalse : Truth::kTrue;
      Finding out;
      out.truth = is_and ? Truth::kTrue : Truth::kFalse;
      bool unknown = false;
      for (const Rule& c : rule.children) {
        Finding f = Evaluate(c, explain);
        if (f.truth == decisive) {
          f.questions.clear();
          return f;
        }
        if (f.truth == Truth::kUnknown) {
          unknown = true;
          Append(&out.questions, f.questions);
        } else {
          Append(&out.evidence, f.evidence);
        }
      }
      if (unknown) out.truth = Truth::kUnknown;
      return out;
    }
    case RuleKind::kNot: {
      if (rule.children.empty()) return Finding{};
      Finding f = Evaluate(rule.children[0], explain);
      if (f.truth == Truth::kTrue) f.truth = Truth::kFalse;
      else if (f.truth == Truth::kFalse) f.truth = Truth::kTrue;
      return f;
    }
    default:
      return Leaf(rule, explain);
  }
}

Finding RuleEvaluator::Leaf(const Rule& r, bool explain) const {
  const Patient& p = patient_;
  const bool male = p.sex && *p.sex == "male";
  switch (r.kind) {
    case RuleKind::kAge: {
      if (p.birth_date.empty()) return Ask(explain, "What is the patient's date of birth?");
      double years = AgeInYears(p.birth_date, as_of_);
      // Counted as people count ages (AgeAccepts): a maximum of 75 lasts until the 76th birthday.
      bool ok = r.cmp == Comparator::kRange ? AgeAccepts(years, r.value, r.value_high)
                : r.cmp == Comparator::kGe  ? AgeAccepts(years, r.value, std::nullopt)
                : r.cmp == Comparator::kLe  ? AgeAccepts(years, std::nullopt, r.value)
                                            : Compare(CountedAge(years, r.value), r);  // "< 75", "> 18", "= 18"
      return Known(ok ? Truth::kTrue : Truth::kFalse, explain,
                   explain ? "age " + FormatNumber(std::floor(years * 10) / 10) + " years (born " + p.birth_date.ToString() + ")" : "");
    }
    case RuleKind::kSex: {
      if (!p.sex) return Ask(explain, "What is the patient's sex?");
      return Known(*p.sex == r.text ? Truth::kTrue : Truth::kFalse, explain, explain ? "sex " + *p.sex : "");
    }
    case RuleKind::kPregnant:
    case RuleKind::kBreastfeeding: {
      const bool preg = r.kind == RuleKind::kPregnant;
      if (male) return Known(Truth::kFalse, explain, "sex male");
      if (p.childbearing_potential == false && (preg || r.childbearing_only)) {
        return Known(Truth::kFalse, explain, "not of childbearing potential");
      }
      const std::optional<bool>& v = preg ? p.pregnant : p.breastfeeding;
      if (!v) return Ask(explain, preg ? "Is the patient pregnant?" : "Is the patient breastfeeding?");
      return Known(*v ? Truth::kTrue : Truth::kFalse, explain,
                   std::string(preg ? "pregnant: " : "breastfeeding: ") + (*v ? "yes" : "no"));
    }
    case RuleKind::kContraception: {
      // Contraception is never asked of a woman who cannot become pregnant; of a man only when the
      // criterion asks it of everyone ("Subjects must practice contraception"), not of women alone.
      if (!male && p.childbearing_potential == false) {
        return Known(Truth::kTrue, explain, "does not apply: not of childbearing potential");
      }
      if (r.childbearing_only && male) return Known(Truth::kTrue, explain, "does not apply: sex male");
      if (!p.contraception) return Ask(explain, "Does the patient use (or agree to use) effective contraception?");
      // Asked only of those who can have children: no contraception decides nothing until that is known
      // (a man's or a child's fertility, a woman's childbearing potential).
      bool can_conceive_known = !male && p.childbearing_potential == true;
      if (!*p.contraception && (r.fertile_only || r.childbearing_only) && !can_conceive_known) {
        return Ask(explain, male ? "Does the criterion apply: can the patient father a child?"
                                 : "Does the criterion apply: can the patient become pregnant?");
      }
      return Known(*p.contraception ? Truth::kTrue : Truth::kFalse, explain,
                   std::string("uses effective contraception: ") + (*p.contraception ? "yes" : "no"));
    }
    case RuleKind::kLab:
    case RuleKind::kScore:
      return Lab(r, explain);
    case RuleKind::kLifeExpectancy: {
      if (!p.life_expectancy) return Ask(explain, "What is the patient's estimated life expectancy?");
      Duration want{r.value, r.unit};
      Rule days = r;
      days.value = want.Days();
      return Known(Compare(p.life_expectancy->Days(), days) ? Truth::kTrue : Truth::kFalse, explain,
                   "life expectancy " + p.life_expectancy->ToString());
    }
    case RuleKind::kCondition:
    case RuleKind::kTherapy:
    case RuleKind::kProcedure:
    case RuleKind::kAllergy:
      return Record(r, explain);
    case RuleKind::kTrialParticipation: {
      if (p.in_other_trial == false) return Known(Truth::kFalse, explain, "no other clinical trial");
      if (!p.last_trial_date.empty()) {
        bool in = r.scope != TimeScope::kWithin ||
                  p.last_trial_date.ToDays() >= as_of_days_ - static_cast<int64_t>(r.window->Days());
        return Known(in ? Truth::kTrue : Truth::kFalse, explain, "last other trial ended " + p.last_trial_date.ToString());
      }
      return Ask(explain, "Has the patient taken part in another clinical trial" +
                              (r.window ? " in the last " + r.window->ToString() : std::string()) + "?");
    }
    case RuleKind::kNotComputable: {
      // A gated reading is asked as the reading itself; what the record says about it helps the study
      // team, but decides nothing.
      Finding f = Ask(explain, r.reading.empty() ? "To be assessed by the study team: " + r.text
                                                 : "To be confirmed by the study team (a kind of criterion not decided "
                                                   "automatically): " + r.reading.front().ToString(concepts_));
      if (explain && !r.reading.empty()) {
        Finding hint = Leaf(r.reading.front(), true);
        if (hint.truth != Truth::kUnknown && !f.questions.empty()) {
          f.questions.back() += std::string(" (the record suggests ") + (hint.truth == Truth::kTrue ? "yes" : "no") +
                                ": " + Join(hint.evidence, "; ") + ")";
        }
      }
      return f;
    }
    default:
      return Finding{};
  }
}

Finding RuleEvaluator::Lab(const Rule& r, bool explain) const {
  std::string label = Label(concepts_, r.concept_id);
  double window = r.window ? r.window->Days() : kDefaultLabWindowDays;
  auto it = observations_.find(r.concept_id);
  const PatientObservation* o = nullptr;
  if (it != observations_.end()) {
    for (const PatientObservation* cand : it->second) {
      if (cand->date.empty() || static_cast<double>(as_of_days_ - cand->date.ToDays()) <= window) {
        o = cand;
        break;
      }
    }
  }
  if (o == nullptr) {
    return Ask(explain, "What is the patient's " + label + " (a result from the last " + FormatNumber(window) + " days)?");
  }
  auto describe = [&](const std::string& extra) {
    if (!explain) return std::string();
    std::string s = label + " " + FormatNumber(o->value) + (o->unit.empty() ? "" : " " + o->unit);
    if (!o->date.empty()) s += " on " + o->date.ToString();
    return s + extra + " (" + o->ref + ")";
  };
  if (r.kind == RuleKind::kScore) return Known(Compare(o->value, r) ? Truth::kTrue : Truth::kFalse, explain, describe(""));
  if (r.base != LimitBase::kAbsolute) {
    const std::optional<double>& limit = r.base == LimitBase::kUln ? o->ref_high : o->ref_low;
    if (!limit || *limit <= 0) {
      return Ask(explain, "What is the " + std::string(r.base == LimitBase::kUln ? "upper" : "lower") +
                              " limit of normal for the patient's " + label + " result (" + o->ref + ")?");
    }
    double multiple = o->value / *limit;
    return Known(Compare(multiple, r) ? Truth::kTrue : Truth::kFalse, explain,
                 describe(" = " + FormatNumber(std::round(multiple * 100) / 100) +
                          (r.base == LimitBase::kUln ? " x ULN" : " x LLN")));
  }
  if (o->unit.empty()) {
    return Ask(explain, "In what unit is the patient's " + label + " result " + FormatNumber(o->value) + " (" + o->ref + ")?");
  }
  const Concept* c = concepts_.Find(r.concept_id);
  Result<double> v = ConvertUnit(o->value, o->unit, r.unit, c ? c->molar_mass : 0);
  if (!v.ok()) {
    return Ask(explain, "The patient's " + label + " is in " + o->unit + ", which cannot be compared with " + r.unit +
                            " (" + v.status().message() + "): what is it in " + r.unit + "?");
  }
  std::string conv = o->unit == r.unit ? "" : " = " + FormatNumber(std::round(*v * 1000) / 1000) + " " + r.unit;
  return Known(Compare(*v, r) ? Truth::kTrue : Truth::kFalse, explain, describe(conv));
}

Finding RuleEvaluator::Record(const Rule& r, bool explain) const {
  std::string label = Label(concepts_, r.concept_id);
  const std::vector<const PatientRecord*>* records = RecordsUnder(r.kind, r.concept_id);
  const char* list = r.kind == RuleKind::kCondition ? "conditions"
                     : r.kind == RuleKind::kTherapy ? "medications"
                     : r.kind == RuleKind::kProcedure ? "procedures"
                                                      : "allergies";
  const int64_t from = r.window ? as_of_days_ - static_cast<int64_t>(r.window->Days()) : 0;
  const PatientRecord* denied = nullptr;
  const PatientRecord* outside = nullptr;
  const PatientRecord* remission = nullptr;
  if (records != nullptr) {
    for (const PatientRecord* rec : *records) {
      if (rec->status == RecordStatus::kAbsent) {
        denied = rec;
        continue;
      }
      int64_t start = rec->start.empty() ? INT64_MIN : rec->start.ToDays();
      if (start != INT64_MIN && start > as_of_days_) continue;  // after the evaluation date
      bool ongoing = rec->end.empty() ? rec->status == RecordStatus::kActive : rec->end.ToDays() >= as_of_days_;
      if (r.kind == RuleKind::kProcedure) ongoing = false;
      int64_t last = ongoing ? as_of_days_ : (rec->end.empty() ? start : rec->end.ToDays());
      bool match = false;
      switch (r.kind == RuleKind::kAllergy ? TimeScope::kEver : r.scope) {
        case TimeScope::kEver: match = true; break;
        case TimeScope::kCurrent: match = ongoing; break;
        case TimeScope::kWithin:
          if (last == INT64_MIN) {
            // A record with no dates cannot be placed in the window.
            return Ask(explain, "When did the patient last have " + label + " (" + rec->ref + ")?");
          }
          match = last >= from;
          break;
      }
      if (match && r.min_duration) {
        if (start == INT64_MIN || last == INT64_MIN) {
          return Ask(explain, "For how long did the patient receive " + label + " (" + rec->ref + ")?");
        }
        match = static_cast<double>(last - start) > r.min_duration->Days();
      }
      if (match) {
        std::string ev;
        if (explain) {
          ev = rec->name + " (" + rec->ref;
          if (!rec->start.empty()) ev += ", from " + rec->start.ToString();
          if (!rec->end.empty() && r.kind != RuleKind::kProcedure) ev += " to " + rec->end.ToString();
          if (rec->status == RecordStatus::kInactive && rec->end.empty()) ev += ", inactive";
          ev += ")";
        }
        return Known(Truth::kTrue, explain, ev);
      }
      // A disease in remission (bipolar disorder, multiple sclerosis, a leukaemia) is still the patient's
      // diagnosis: whether it counts as current is the criterion's to say, not the record's.
      if (rec->remission && r.kind == RuleKind::kCondition && r.scope != TimeScope::kEver) remission = rec;
      outside = rec;
    }
  }
  if (remission != nullptr) {
    return Ask(explain, "Does " + label + " in remission (" + remission->ref + ") count for this criterion?");
  }
  if (outside != nullptr) {
    return Known(Truth::kFalse, explain,
                 explain ? outside->name + " (" + outside->ref + ") does not fall" + ScopeWords(r) : "");
  }
  if (denied != nullptr) return Known(Truth::kFalse, explain, explain ? "no " + label + " (" + denied->ref + ")" : "");
  if (patient_.complete.count(list)) {
    // The vocabularies' hierarchies are incomplete (the Disease Ontology files prostate adenocarcinoma under
    // prostate cancer, not under adenocarcinoma): a vocabulary disease the complete list lacks is only absent
    // when no listed condition shares a curated class with it.
    if (const PatientRecord* kin = r.kind == RuleKind::kCondition ? Kin(r.concept_id) : nullptr) {
      return Ask(explain, "Is the patient's " + kin->name + " (" + kin->ref + ") a form of " + label + "?");
    }
    if (const PatientRecord* maybe = PossiblyIs(list, r.concept_id)) {
      return Ask(explain, "Is the patient's " + maybe->name + " (" + maybe->ref + ") " + label +
                              "? (its code or name has several meanings, and some are " + label + ")");
    }
    if (const PatientRecord* unknown = Unclassified(list)) {
      return Ask(explain, "Is the patient's " + unknown->name + " (" + unknown->ref + ") " + label +
                              " or a form of it? (trialscope does not know that entry)");
    }
    return Known(Truth::kFalse, explain, explain ? std::string("no ") + label + " in the patient's complete " + list + " list" : "");
  }
  switch (r.kind) {
    case RuleKind::kCondition: return Ask(explain, "Does the patient have " + label + ScopeWords(r) + "?");
    case RuleKind::kTherapy: return Ask(explain, "Has the patient received " + label + ScopeWords(r) + "?");
    case RuleKind::kProcedure: return Ask(explain, "Has the patient had " + label + ScopeWords(r) + "?");
    default: return Ask(explain, "Is the patient allergic to " + label + "?");
  }
}

const std::vector<PatientRecord>* RuleEvaluator::List(const std::string& list) const {
  return list == "conditions"    ? &patient_.conditions
         : list == "medications" ? &patient_.medications
         : list == "procedures"  ? &patient_.procedures
         : list == "allergies"   ? &patient_.allergies
                                 : nullptr;
}

const PatientRecord* RuleEvaluator::Unclassified(const std::string& list) const {
  const std::vector<PatientRecord>* records = List(list);
  if (records == nullptr) return nullptr;
  for (const PatientRecord& rec : *records) {
    if (rec.status != RecordStatus::kAbsent && rec.concept_id.empty() && rec.broader_ids.empty()) return &rec;
  }
  return nullptr;
}

const PatientRecord* RuleEvaluator::PossiblyIs(const std::string& list, const std::string& id) const {
  const std::vector<PatientRecord>* records = List(list);
  if (records == nullptr) return nullptr;
  for (const PatientRecord& rec : *records) {
    if (rec.status == RecordStatus::kAbsent) continue;
    for (const std::string& p : rec.possible_ids) {
      if (p == id || concepts_.IsA(p, id)) return &rec;
    }
  }
  return nullptr;
}

const PatientRecord* RuleEvaluator::Kin(const std::string& id) const {
  if (id.find(':') == std::string::npos) return nullptr;  // curated: its codes list its members
  std::vector<std::string> classes;
  for (std::string& b : concepts_.Broader(id)) {
    if (b.find(':') == std::string::npos) classes.push_back(std::move(b));
  }
  for (const std::string& c : classes) {
    auto it = conditions_.find(c);
    if (it == conditions_.end()) continue;
    for (const PatientRecord* rec : it->second) {
      if (rec->status != RecordStatus::kAbsent) return rec;
    }
  }
  return nullptr;
}

CompiledStudy CompileStudy(const Study& study, const CriteriaParser& parser) {
  CompiledStudy cs;
  cs.key = StudyKey(study);
  cs.title = study.identification.brief_title.empty() ? study.identification.official_title : study.identification.brief_title;
  const Eligibility& e = study.eligibility;
  if (e.minimum_age || e.maximum_age) {
    CompiledCriterion c;
    c.label = "age";
    double lo = e.minimum_age ? e.minimum_age->ToYears() : 0;
    double hi = e.maximum_age ? e.maximum_age->ToYears() : 0;
    // Evaluated by AgeAccepts: a "75 Years" maximum lasts until the 76th birthday.
    if (e.minimum_age && e.maximum_age) {
      c.rule = Rule::Age(Comparator::kRange, lo, hi);
      c.text = "Age " + e.minimum_age->ToString() + " to " + e.maximum_age->ToString();
    } else if (e.minimum_age) {
      c.rule = Rule::Age(Comparator::kGe, lo);
      c.text = "Age " + e.minimum_age->ToString() + " or older";
    } else {
      c.rule = Rule::Age(Comparator::kLe, hi);
      c.text = "Age up to " + e.maximum_age->ToString();
    }
    c.source = "eligibilityModule.minimumAge/maximumAge";
    cs.criteria.push_back(std::move(c));
  }
  if (e.sex && *e.sex != Sex::kAll) {
    CompiledCriterion c;
    c.label = "sex";
    c.rule = Rule::Simple(RuleKind::kSex);
    c.rule.text = *e.sex == Sex::kFemale ? "female" : "male";
    c.text = *e.sex == Sex::kFemale ? "Female participants only" : "Male participants only";
    c.source = "eligibilityModule.sex";
    cs.criteria.push_back(std::move(c));
  }
  size_t base = cs.criteria.size();
  // The study's own conditions, so that "other malignancy" in a cancer trial is not typed as any cancer.
  std::vector<std::string> own = study.conditions;
  own.insert(own.end(), study.keywords.begin(), study.keywords.end());
  own.push_back(study.identification.brief_title);
  own.push_back(study.identification.official_title);
  StudyContext context = StudyContext::FromTexts(parser.concepts(), own);
  if (e.minimum_age) context.registry_min_age_years = e.minimum_age->ToYears();
  if (e.maximum_age) context.registry_max_age_years = e.maximum_age->ToYears();
  for (ParsedCriterion& pc : parser.Parse(e.criteria, context)) {
    CompiledCriterion c;
    c.kind = pc.criterion.kind;
    c.label = pc.criterion.label;
    c.text = std::move(pc.criterion.text);
    c.source = std::move(pc.criterion.source);
    c.parent = pc.criterion.parent < 0 ? -1 : static_cast<int>(base) + pc.criterion.parent;
    c.rule = std::move(pc.rule);
    c.computable = c.rule.HasTypedPart();
    if (!c.computable) c.blocks_eligible = !(c.rule.kind == RuleKind::kNotComputable && StudyTeamDecides(c.rule.why));
    cs.criteria.push_back(std::move(c));
  }
  return cs;
}

namespace {
// Whether a criterion's finding decides against the patient, or leaves a question.
bool Fails(const CompiledCriterion& c, Truth t) {
  return c.kind == CriterionKind::kInclusion ? t == Truth::kFalse : t == Truth::kTrue;
}

// The screener's answer for a criterion the rules leave open, if the patient carries one.
const PatientAnswer* AnswerFor(const Patient& p, const CompiledStudy& study, const CompiledCriterion& c) {
  if (p.answers.empty()) return nullptr;
  auto it = p.answers.find(AnswerKey(study.key, CriterionKindName(c.kind), c.label));
  return it == p.answers.end() ? nullptr : &it->second;
}

}  // namespace

bool HasAnswersFor(const Patient& p, std::string_view study_key) {
  std::string prefix = std::string(study_key) + "|";
  auto it = p.answers.lower_bound(prefix);
  return it != p.answers.end() && StartsWith(it->first, prefix);
}

StudyCheck CheckStudy(const CompiledStudy& study, const RuleEvaluator& evaluator) {
  StudyCheck out;
  bool open = false;
  for (size_t i = 0; i < study.criteria.size(); ++i) {
    const CompiledCriterion& c = study.criteria[i];
    if (c.parent >= 0) continue;
    CriterionCheck check{i, evaluator.Evaluate(c.rule, true)};
    bool decided = c.computable;
    if (check.finding.truth == Truth::kUnknown) {
      if (const PatientAnswer* a = AnswerFor(evaluator.patient(), study, c)) {
        check.finding = Finding{a->value ? Truth::kTrue : Truth::kFalse,
                                {std::string("answered ") + (a->value ? "yes" : "no") + " by the screener (" + a->ref + ")"},
                                {}};
        decided = true;
      }
    }
    if (decided && Fails(c, check.finding.truth)) {
      out.failing.push_back(i);
    } else if (c.blocks_eligible && check.finding.truth == Truth::kUnknown) {
      open = true;
      Append(&out.questions, check.finding.questions);
    }
    out.criteria.push_back(std::move(check));
  }
  out.verdict = !out.failing.empty() ? Verdict::kNotEligible : open ? Verdict::kPossiblyEligible : Verdict::kEligible;
  return out;
}

Verdict QuickVerdict(const CompiledStudy& study, const RuleEvaluator& evaluator, int* open_questions) {
  int open = 0;
  for (const CompiledCriterion& c : study.criteria) {
    if (c.parent >= 0 || !c.blocks_eligible) continue;
    const PatientAnswer* answer = AnswerFor(evaluator.patient(), study, c);
    if (!c.computable && !answer) {
      ++open;
      continue;
    }
    Truth t = c.computable ? evaluator.Evaluate(c.rule, false).truth : Truth::kUnknown;
    if (t == Truth::kUnknown && answer) t = answer->value ? Truth::kTrue : Truth::kFalse;
    if (Fails(c, t)) {
      *open_questions = open;
      return Verdict::kNotEligible;
    }
    if (t == Truth::kUnknown) ++open;
  }
  *open_questions = open;
  return open > 0 ? Verdict::kPossiblyEligible : Verdict::kEligible;
}

}  // namespace ts
