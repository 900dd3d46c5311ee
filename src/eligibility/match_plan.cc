#include "eligibility/match_plan.h"

#include <cstring>

namespace ts {

namespace {

// Every field that can change a leaf's truth, as bytes.
std::string LeafKey(const Rule& r) {
  std::string k;
  auto num = [&](double v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
  auto str = [&](const std::string& s) {
    k += s;
    k += '\0';
  };
  k += static_cast<char>(r.kind);
  k += static_cast<char>(r.cmp);
  k += static_cast<char>(r.base);
  k += static_cast<char>(r.scope);
  k += r.childbearing_only ? '1' : '0';
  k += r.fertile_only ? '1' : '0';
  str(r.concept_id);
  str(r.unit);
  str(r.text);
  num(r.value);
  num(r.value_high);
  for (const auto& d : {r.window, r.min_duration}) {
    if (d) {
      num(d->value);
      str(d->unit);
    } else {
      k += '-';
    }
  }
  return k;
}

}  // namespace

uint32_t MatchPlan::Intern(const Rule& leaf) {
  auto [it, added] = leaf_ids_.try_emplace(LeafKey(leaf), static_cast<uint32_t>(leaves_.size()));
  if (added) leaves_.push_back(leaf);
  return it->second;
}

void MatchPlan::Emit(const Rule& r, uint32_t slot) {
  switch (r.kind) {
    case RuleKind::kAnd:
    case RuleKind::kOr:
    case RuleKind::kNot: {
      uint32_t n = r.kind == RuleKind::kNot ? (r.children.empty() ? 0 : 1) : static_cast<uint32_t>(r.children.size());
      uint32_t first = static_cast<uint32_t>(nodes_.size());
      nodes_.resize(nodes_.size() + n);
      Op op = r.kind == RuleKind::kAnd ? Op::kAnd : r.kind == RuleKind::kOr ? Op::kOr : Op::kNot;
      nodes_[slot] = {op, first, n};
      for (uint32_t i = 0; i < n; ++i) Emit(r.children[i], first + i);
      return;
    }
    case RuleKind::kNotComputable:
      nodes_[slot] = {Op::kUnknown, 0, 0};
      return;
    default:
      nodes_[slot] = {Op::kLeaf, Intern(r), 0};
  }
}

void MatchPlan::Add(const CompiledStudy& study) {
  study_first_.push_back(static_cast<uint32_t>(criteria_.size()));
  for (const CompiledCriterion& c : study.criteria) {
    if (c.parent >= 0 || !c.blocks_eligible) continue;  // as QuickVerdict: top-level criteria that can block
    Criterion out{static_cast<uint32_t>(nodes_.size()), c.kind == CriterionKind::kInclusion, c.computable};
    nodes_.push_back({Op::kUnknown, 0, 0});
    if (c.computable) Emit(c.rule, out.root);
    criteria_.push_back(out);
  }
}

MatchPlan::Truths MatchPlan::EvaluateLeaves(const RuleEvaluator& evaluator) const {
  Truths t(leaves_.size());
  for (size_t i = 0; i < leaves_.size(); ++i) t[i] = evaluator.Evaluate(leaves_[i], false).truth;
  return t;
}

Truth MatchPlan::Eval(const Truths& truths, uint32_t n) const {
  const Node& node = nodes_[n];
  switch (node.op) {
    case Op::kLeaf: return truths[node.first];
    case Op::kUnknown: return Truth::kUnknown;
    case Op::kNot: {
      if (node.count == 0) return Truth::kUnknown;
      Truth t = Eval(truths, node.first);
      return t == Truth::kTrue ? Truth::kFalse : t == Truth::kFalse ? Truth::kTrue : Truth::kUnknown;
    }
    case Op::kAnd:
    case Op::kOr: {
      const Truth decisive = node.op == Op::kAnd ? Truth::kFalse : Truth::kTrue;
      bool unknown = false;
      for (uint32_t i = 0; i < node.count; ++i) {
        Truth t = Eval(truths, node.first + i);
        if (t == decisive) return decisive;
        unknown |= t == Truth::kUnknown;
      }
      if (unknown) return Truth::kUnknown;
      return node.op == Op::kAnd ? Truth::kTrue : Truth::kFalse;
    }
  }
  return Truth::kUnknown;
}

Verdict MatchPlan::VerdictOf(const Truths& truths, size_t index, int* open_questions) const {
  uint32_t begin = study_first_[index];
  uint32_t end = index + 1 < study_first_.size() ? study_first_[index + 1] : static_cast<uint32_t>(criteria_.size());
  int open = 0;
  for (uint32_t i = begin; i < end; ++i) {
    const Criterion& c = criteria_[i];
    if (!c.computable) {
      ++open;
      continue;
    }
    Truth t = Eval(truths, c.root);
    if (c.inclusion ? t == Truth::kFalse : t == Truth::kTrue) {
      *open_questions = open;
      return Verdict::kNotEligible;
    }
    if (t == Truth::kUnknown) ++open;
  }
  *open_questions = open;
  return open > 0 ? Verdict::kPossiblyEligible : Verdict::kEligible;
}

}  // namespace ts
