// Many compiled studies laid out for matching one patient against all of them fast. Each distinct
// leaf rule (a lab threshold, "pregnant", "TPO-RA within 1 month" ...) is stored once however many
// studies state it, so a match evaluates every distinct leaf once for the patient and then only
// combines cached truths along each study's flattened rule trees: no strings, hashing or
// allocation per study.
//   MatchPlan plan;  for (const CompiledStudy& s : studies) plan.Add(s);
//   MatchPlan::Truths t = plan.EvaluateLeaves(evaluator);
//   int open = 0;  Verdict v = plan.VerdictOf(t, study_index, &open);   // == QuickVerdict(...)
// Add is not thread-safe; EvaluateLeaves and Verdict are (const).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "eligibility/screening.h"

namespace ts {

class MatchPlan {
 public:
  using Truths = std::vector<Truth>;  // by leaf id

  // Appends a study; its index is the number of studies added before it.
  void Add(const CompiledStudy& study);

  // The truth of every distinct leaf for the evaluator's patient and date.
  Truths EvaluateLeaves(const RuleEvaluator& evaluator) const;
  // The verdict of study `index` and its number of open questions, exactly as QuickVerdict gives them.
  Verdict VerdictOf(const Truths& truths, size_t index, int* open_questions) const;

  size_t study_count() const { return study_first_.size(); }
  size_t leaf_count() const { return leaves_.size(); }
  size_t node_count() const { return nodes_.size(); }

 private:
  enum class Op : uint8_t { kLeaf, kUnknown, kAnd, kOr, kNot };
  struct Node {
    Op op;
    uint32_t first;  // kLeaf: leaf id; kAnd / kOr / kNot: index of the first child (children are contiguous)
    uint32_t count;  // number of children
  };
  struct Criterion {
    uint32_t root;
    bool inclusion;
    bool computable;
  };

  uint32_t Intern(const Rule& leaf);
  void Emit(const Rule& rule, uint32_t slot);
  Truth Eval(const Truths& truths, uint32_t node) const;

  std::vector<Rule> leaves_;
  std::unordered_map<std::string, uint32_t> leaf_ids_;
  std::vector<Node> nodes_;
  std::vector<Criterion> criteria_;
  std::vector<uint32_t> study_first_;  // index into criteria_; study i spans [first[i], first[i+1])
};

}  // namespace ts
