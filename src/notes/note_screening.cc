#include "notes/note_screening.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace ts {

namespace {

// The concept table's IsA, remembered per pair of ids: a long note repeats the same concepts in many facts.
class ConceptMemo {
 public:
  explicit ConceptMemo(const ConceptTable& concepts) : concepts_(concepts) {}
  bool IsA(const std::string& id, const std::string& ancestor) {
    auto key = std::make_pair(id, ancestor);
    auto it = memo_.find(key);
    if (it == memo_.end()) it = memo_.emplace(std::move(key), concepts_.IsA(id, ancestor)).first;
    return it->second;
  }
  std::vector<ConceptMention> FindMentions(std::string_view text) const { return concepts_.FindMentions(text); }

 private:
  const ConceptTable& concepts_;
  std::map<std::pair<std::string, std::string>, bool> memo_;
};

void Leaves(const Rule& r, std::vector<const Rule*>* out) {
  if (r.kind == RuleKind::kAnd || r.kind == RuleKind::kOr || r.kind == RuleKind::kNot) {
    for (const Rule& c : r.children) Leaves(c, out);
    return;
  }
  out->push_back(&r);
}

bool IsRecordKind(RuleKind k) {
  return k == RuleKind::kCondition || k == RuleKind::kTherapy || k == RuleKind::kProcedure || k == RuleKind::kAllergy;
}

NoteFactKind FactKindOf(RuleKind k) {
  switch (k) {
    case RuleKind::kTherapy: return NoteFactKind::kMedication;
    case RuleKind::kProcedure: return NoteFactKind::kProcedure;
    case RuleKind::kAllergy: return NoteFactKind::kAllergy;
    default: return NoteFactKind::kCondition;
  }
}

std::string_view ListOf(RuleKind k) {
  switch (k) {
    case RuleKind::kTherapy: return "medications";
    case RuleKind::kProcedure: return "procedures";
    case RuleKind::kAllergy: return "allergies";
    default: return "conditions";
  }
}

// The sentences of the facts a leaf reads.
void LeafSentences(const Rule& leaf, const NoteFacts& facts, ConceptMemo& concepts, std::set<int>* out) {
  for (const NoteFact& f : facts.facts) {
    bool used = false;
    switch (leaf.kind) {
      case RuleKind::kAge: used = f.kind == NoteFactKind::kAge; break;
      case RuleKind::kSex: used = f.kind == NoteFactKind::kSex; break;
      case RuleKind::kPregnant: used = f.kind == NoteFactKind::kPregnancy; break;
      case RuleKind::kBreastfeeding: used = f.kind == NoteFactKind::kBreastfeeding; break;
      case RuleKind::kContraception: used = f.kind == NoteFactKind::kPostmenopausal; break;
      case RuleKind::kLab:
      case RuleKind::kScore:
        used = f.kind == NoteFactKind::kObservation && concepts.IsA(f.concept_id, leaf.concept_id);
        break;
      case RuleKind::kNotComputable:
        used = (leaf.why == Uncertainty::kConsent && f.kind == NoteFactKind::kConsent) ||
               ((leaf.why == Uncertainty::kCompliance || leaf.why == Uncertainty::kWillingness) &&
                f.kind == NoteFactKind::kCompliance);
        break;
      default:
        if (IsRecordKind(leaf.kind)) {
          used = (f.kind == FactKindOf(leaf.kind) && concepts.IsA(f.concept_id, leaf.concept_id)) ||
                 (f.kind == NoteFactKind::kListComplete && f.concept_id == ListOf(leaf.kind));
        }
        break;
    }
    if (used) out->insert(f.sentence);
  }
}

// The sentences that mention a concept the criterion's text names (evidence for an open criterion).
void MentionSentences(const CompiledCriterion& c, const NoteFacts& facts, ConceptMemo& concepts, std::set<int>* out) {
  for (const ConceptMention& m : concepts.FindMentions(c.text)) {
    for (const NoteFact& f : facts.facts) {
      if (!f.concept_id.empty() && concepts.IsA(f.concept_id, m.concept_ref->id)) out->insert(f.sentence);
    }
  }
}

// True when the criterion is only about pregnancy, breastfeeding or contraception (its other parts being for the
// study team or about someone else, such as a partner) and the patient cannot be pregnant (a man, or a woman the
// note says cannot have children).
bool OnlyAboutPregnancy(const std::vector<const Rule*>& leaves, const Patient& p) {
  bool any = false;
  for (const Rule* l : leaves) {
    if (l->kind == RuleKind::kNotComputable) {
      if (StudyTeamDecides(l->why) || l->why == Uncertainty::kOtherPerson) continue;
      if (l->why == Uncertainty::kFormGated && !l->reading.empty() && l->reading[0].kind == RuleKind::kSex) continue;
      return false;
    }
    if (l->kind != RuleKind::kPregnant && l->kind != RuleKind::kBreastfeeding && l->kind != RuleKind::kContraception) {
      return false;
    }
    any = true;
  }
  bool cannot = (p.sex && *p.sex == "male") || p.childbearing_potential == std::optional<bool>(false);
  return any && cannot;
}

// A criterion the study team settles (consent, compliance, willingness), decided by the note's statement of
// it; nullopt when the note says nothing of it.
std::optional<bool> TeamStatement(const std::vector<const Rule*>& leaves, const NoteFacts& facts) {
  std::optional<bool> out;
  for (const Rule* l : leaves) {
    if (l->kind != RuleKind::kNotComputable) return std::nullopt;
    NoteFactKind want = l->why == Uncertainty::kConsent ? NoteFactKind::kConsent
                        : l->why == Uncertainty::kCompliance || l->why == Uncertainty::kWillingness
                            ? NoteFactKind::kCompliance
                            : NoteFactKind::kAge;
    if (want == NoteFactKind::kAge) return std::nullopt;  // not a team criterion the note can state
    std::optional<bool> said;
    for (const NoteFact& f : facts.facts) {
      if (f.kind != want) continue;
      if (f.context == NoteContext::kAffirmed) said = true;
      if (f.context == NoteContext::kNegated) said = false;
      if (said) break;
    }
    if (!said) return std::nullopt;
    if (out && *out != *said) return std::nullopt;
    out = said;
  }
  return out;
}

// For an exclusion no reading decides: the note is silent on it. It names none of the concepts the criterion
// names (in any context, nor anything under or over them), and shares none of its longer words but generic ones
// (NoteReading::topic_stems). Then, under the presumption that a summary mentions what matters, the exclusion
// does not hold. Pregnancy and breastfeeding are never presumed, as experts do not presume them.
bool SilentOn(const CompiledCriterion& c, const std::vector<const Rule*>& leaves, const NoteReading& reading,
              ConceptMemo& concepts) {
  for (const Rule* l : leaves) {
    RuleKind k = l->kind == RuleKind::kNotComputable && !l->reading.empty() ? l->reading[0].kind : l->kind;
    if (k == RuleKind::kPregnant || k == RuleKind::kBreastfeeding) return false;
  }
  for (const ConceptMention& m : concepts.FindMentions(c.text)) {
    for (const NoteFact& f : reading.facts.facts) {
      if (!f.concept_id.empty() && (concepts.IsA(f.concept_id, m.concept_ref->id) || concepts.IsA(m.concept_ref->id, f.concept_id))) {
        return false;
      }
    }
  }
  for (const std::string& stem : TopicStems(c.text, nullptr)) {
    if (reading.topic_stems.count(stem)) return false;
  }
  return true;
}

ExpertLabel FromTruth(CriterionKind kind, bool holds) {
  if (kind == CriterionKind::kInclusion) return holds ? ExpertLabel::kIncluded : ExpertLabel::kNotIncluded;
  return holds ? ExpertLabel::kExcluded : ExpertLabel::kNotExcluded;
}

CriterionLabel Label(const CompiledCriterion& c, size_t index, Truth stated, const RuleEvaluator& presumed,
                     const NoteReading& reading, ConceptMemo& concepts) {
  CriterionLabel out;
  out.index = index;
  std::vector<const Rule*> leaves;
  Leaves(c.rule, &leaves);
  std::set<int> sentences;
  for (const Rule* l : leaves) LeafSentences(*l, reading.facts, concepts, &sentences);
  if (OnlyAboutPregnancy(leaves, reading.patient)) {
    out.label = ExpertLabel::kNotApplicable;
    out.basis = LabelBasis::kStated;
    for (const NoteFact& f : reading.facts.facts) {
      if (f.kind == NoteFactKind::kSex || f.kind == NoteFactKind::kPostmenopausal) sentences.insert(f.sentence);
    }
  } else if (stated != Truth::kUnknown) {
    out.label = FromTruth(c.kind, stated == Truth::kTrue);
    out.basis = LabelBasis::kStated;
  } else if (auto team = TeamStatement(leaves, reading.facts)) {
    // Inclusions state the ability ("able to give consent"), exclusions the inability ("unable to comply").
    out.label = c.kind == CriterionKind::kInclusion ? FromTruth(c.kind, *team) : FromTruth(c.kind, !*team);
    out.basis = LabelBasis::kTeam;
  } else if (Truth t = presumed.Evaluate(c.rule, false).truth; t != Truth::kUnknown) {
    out.label = FromTruth(c.kind, t == Truth::kTrue);
    out.basis = LabelBasis::kPresumed;
  } else if (c.kind == CriterionKind::kExclusion && SilentOn(c, leaves, reading, concepts)) {
    out.label = ExpertLabel::kNotExcluded;
    out.basis = LabelBasis::kPresumed;
  } else {
    MentionSentences(c, reading.facts, concepts, &sentences);
  }
  out.sentences.assign(sentences.begin(), sentences.end());
  return out;
}

}  // namespace

std::string_view ExpertLabelName(ExpertLabel l) {
  switch (l) {
    case ExpertLabel::kIncluded: return "included";
    case ExpertLabel::kNotIncluded: return "not included";
    case ExpertLabel::kExcluded: return "excluded";
    case ExpertLabel::kNotExcluded: return "not excluded";
    case ExpertLabel::kNotEnoughInformation: return "not enough information";
    case ExpertLabel::kNotApplicable: return "not applicable";
  }
  return "not enough information";
}

std::string_view LabelBasisName(LabelBasis b) {
  switch (b) {
    case LabelBasis::kStated: return "stated";
    case LabelBasis::kPresumed: return "presumed";
    case LabelBasis::kTeam: return "team";
    case LabelBasis::kOpen: return "open";
  }
  return "open";
}

Patient PresumeAbsent(const Patient& patient) {
  Patient p = patient;
  p.complete = {"conditions", "medications", "procedures", "allergies"};
  if (!p.in_other_trial) p.in_other_trial = false;
  return p;
}

NoteCheck CheckNote(const CompiledStudy& study, const ConceptTable& concepts, const NoteReading& reading,
                    PartialDate as_of) {
  NoteCheck out;
  RuleEvaluator stated(concepts, reading.patient, as_of);
  Patient presumed_patient = PresumeAbsent(reading.patient);
  RuleEvaluator presumed(concepts, presumed_patient, as_of);
  out.check = CheckStudy(study, stated);
  out.presumed_verdict = CheckStudy(study, presumed).verdict;
  ConceptMemo memo(concepts);
  for (const CriterionCheck& cc : out.check.criteria) {
    out.labels.push_back(Label(study.criteria[cc.index], cc.index, cc.finding.truth, presumed, reading, memo));
  }
  return out;
}

}  // namespace ts
