#include "service/screening_service.h"

#include <algorithm>

#include "common/json_writer.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

Result<std::unique_ptr<ScreeningService>> ScreeningService::Build(const SearchService& search) {
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) return concepts.status();
  std::unique_ptr<ScreeningService> svc(new ScreeningService(search, std::move(*concepts)));
  size_t n = search.index().doc_count();
  svc->compiled_once_ = std::make_unique<std::once_flag[]>(n);
  svc->studies_.resize(n);
  return svc;
}

const CompiledStudy& ScreeningService::Compiled(DocId d) const {
  std::call_once(compiled_once_[d], [&] {
    StudyJsonReader reader;
    auto study = reader.Parse(search_.StudyJson(d));
    if (study.ok()) {
      studies_[d] = CompileStudy(*study, parser_);
      return;
    }
    // The index holds JSON we wrote; if it cannot be read back, say so in the study's only criterion.
    CompiledStudy& cs = studies_[d];
    cs.key = search_.index().doc(d).key;
    CompiledCriterion c;
    c.text = "The study record could not be read: " + study.status().message();
    c.rule = Rule::NotComputable(c.text);
    c.computable = false;
    cs.criteria.push_back(std::move(c));
  });
  return studies_[d];
}

Result<const CompiledStudy*> ScreeningService::Criteria(const std::string& id) const {
  std::optional<DocId> d = search_.FindStudy(id);
  if (!d || *d >= studies_.size()) return Status::NotFound("no study with ID '" + id + "'");
  return &Compiled(*d);
}

Result<StudyCheckResult> ScreeningService::Check(const std::string& id, const Patient& patient, PartialDate as_of) const {
  auto study = Criteria(id);
  if (!study.ok()) return study.status();
  RuleEvaluator ev(concepts_, patient, as_of);
  return StudyCheckResult{*study, CheckStudy(**study, ev), as_of};
}

void ScreeningService::PrepareMatch() const {
  std::call_once(plan_once_, [&] {
    for (size_t d = 0; d < studies_.size(); ++d) plan_.Add(Compiled(static_cast<DocId>(d)));
  });
}

Result<MatchResult> ScreeningService::Match(const Patient& patient, PartialDate as_of, const SearchRequest& filter,
                                            bool filtered, size_t limit) const {
  PrepareMatch();
  MatchResult out;
  out.as_of = as_of;
  RuleEvaluator ev(concepts_, patient, as_of);
  // Each distinct leaf rule once for this patient; then every study combines cached truths.
  const MatchPlan::Truths truths = plan_.EvaluateLeaves(ev);
  auto consider = [&](DocId d, double score) {
    MatchHit h;
    h.study = &studies_[d];
    h.score = score;
    // A study the screener answered questions for is checked one criterion at a time.
    h.verdict = HasAnswersFor(patient, h.study->key) ? QuickVerdict(*h.study, ev, &h.open_questions)
                                                      : plan_.VerdictOf(truths, d, &h.open_questions);
    ++out.considered;
    if (h.verdict == Verdict::kEligible) ++out.eligible;
    else if (h.verdict == Verdict::kPossiblyEligible) ++out.possibly;
    else ++out.not_eligible;
    out.hits.push_back(h);
  };
  if (!filtered) {
    for (size_t d = 0; d < studies_.size(); ++d) consider(static_cast<DocId>(d), 0);
  } else {
    SearchRequest req = filter;
    req.page_size = 1000;
    req.facets.clear();
    req.explain = false;
    while (true) {
      auto page = search_.Search(req);
      if (!page.ok()) return page.status();
      for (const Hit& h : page->hits) {
        if (auto d = search_.FindStudy(h.key)) consider(*d, h.score);
      }
      if (page->next_page_token.empty()) break;
      req.page_token = page->next_page_token;
    }
  }
  auto rank = [](Verdict v) { return v == Verdict::kEligible ? 0 : v == Verdict::kPossiblyEligible ? 1 : 2; };
  auto better = [&](const MatchHit& a, const MatchHit& b) {
    if (rank(a.verdict) != rank(b.verdict)) return rank(a.verdict) < rank(b.verdict);
    if (a.open_questions != b.open_questions) return a.open_questions < b.open_questions;
    if (a.score != b.score) return a.score > b.score;
    return a.study->key < b.study->key;
  };
  if (out.hits.size() > limit) {
    std::partial_sort(out.hits.begin(), out.hits.begin() + static_cast<std::ptrdiff_t>(limit), out.hits.end(), better);
    out.hits.resize(limit);
  } else {
    std::sort(out.hits.begin(), out.hits.end(), better);
  }
  return out;
}

namespace {

// SplitMix64: a fixed, portable sequence for a seed (std distributions differ between libraries).
uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<SampledCriterion> ScreeningService::Sample(size_t n, uint64_t seed, bool typed_only) const {
  std::vector<SampledCriterion> all;
  for (size_t d = 0; d < studies_.size(); ++d) {
    const CompiledStudy& s = Compiled(static_cast<DocId>(d));
    for (size_t i = 0; i < s.criteria.size(); ++i) {
      const CompiledCriterion& c = s.criteria[i];
      // The structured age and sex fields are not criteria text.
      if (c.parent >= 0 || (typed_only && !c.computable) || c.label == "age" || c.label == "sex") continue;
      all.push_back({&s, i});
    }
  }
  std::sort(all.begin(), all.end(), [](const SampledCriterion& a, const SampledCriterion& b) {
    return a.study->key != b.study->key ? a.study->key < b.study->key : a.index < b.index;
  });
  uint64_t state = seed;
  size_t take = std::min(n, all.size());
  for (size_t i = 0; i < take; ++i) {  // partial Fisher-Yates
    size_t j = i + static_cast<size_t>(NextRandom(&state) % (all.size() - i));
    std::swap(all[i], all[j]);
  }
  all.resize(take);
  return all;
}

namespace {

void CriterionFields(JsonWriter& w, const CompiledCriterion& c, const ConceptTable& concepts) {
  w.Key("kind");
  w.String(CriterionKindName(c.kind));
  w.Key("label");
  w.String(c.label);
  w.Key("text");
  w.String(c.text);
  w.Key("source");
  w.String(c.source);
  w.Key("rule");
  w.String(c.rule.ToString(concepts));
  w.Key("ruleKind");
  w.String(RuleKindName(c.rule.kind));
  w.Key("computable");
  w.Bool(c.computable);
}

void Strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

}  // namespace

std::string ScreeningService::CriteriaJson(const CompiledStudy& study, bool pretty) const {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("study");
  w.String(study.key);
  w.Key("title");
  w.String(study.title);
  size_t top = 0, typed = 0;
  w.Key("criteria");
  w.BeginArray();
  for (size_t i = 0; i < study.criteria.size(); ++i) {
    const CompiledCriterion& c = study.criteria[i];
    if (c.parent < 0) {
      ++top;
      typed += c.computable ? 1 : 0;
    }
    w.BeginObject();
    CriterionFields(w, c, concepts_);
    if (c.parent >= 0) {
      w.Key("parent");
      w.String(study.criteria[static_cast<size_t>(c.parent)].label);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  w.BeginObject();
  w.Key("criteria");
  w.Int(static_cast<int64_t>(top));
  w.Key("computable");
  w.Int(static_cast<int64_t>(typed));
  w.EndObject();
  w.EndObject();
  return w.Take();
}

std::string ScreeningService::CheckJson(const StudyCheckResult& r, bool pretty) const {
  JsonWriter w(pretty);
  const CompiledStudy& s = *r.study;
  w.BeginObject();
  w.Key("study");
  w.String(s.key);
  w.Key("title");
  w.String(s.title);
  w.Key("asOf");
  w.String(r.as_of.ToString());
  w.Key("verdict");
  w.String(VerdictName(r.check.verdict));
  w.Key("criteria");
  w.BeginArray();
  for (const CriterionCheck& cc : r.check.criteria) {
    const CompiledCriterion& c = s.criteria[cc.index];
    w.BeginObject();
    CriterionFields(w, c, concepts_);
    w.Key("result");
    w.String(TruthName(cc.finding.truth));
    bool failing = std::find(r.check.failing.begin(), r.check.failing.end(), cc.index) != r.check.failing.end();
    w.Key("failing");
    w.Bool(failing);
    if (cc.finding.truth == Truth::kUnknown) {
      w.Key("question");
      w.String(Join(cc.finding.questions, " "));
      Strings(w, "questions", cc.finding.questions);
    } else {
      Strings(w, "evidence", cc.finding.evidence);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("failing");
  w.BeginArray();
  for (size_t i : r.check.failing) w.String(s.criteria[i].label);
  w.EndArray();
  Strings(w, "questions", r.check.questions);
  w.EndObject();
  return w.Take();
}

std::string ScreeningService::MatchJson(const MatchResult& m, const Patient& patient, bool pretty) const {
  JsonWriter w(pretty);
  RuleEvaluator ev(concepts_, patient, m.as_of);
  w.BeginObject();
  w.Key("asOf");
  w.String(m.as_of.ToString());
  w.Key("considered");
  w.Int(static_cast<int64_t>(m.considered));
  w.Key("counts");
  w.BeginObject();
  w.Key("eligible");
  w.Int(static_cast<int64_t>(m.eligible));
  w.Key("possibly_eligible");
  w.Int(static_cast<int64_t>(m.possibly));
  w.Key("not_eligible");
  w.Int(static_cast<int64_t>(m.not_eligible));
  w.EndObject();
  w.Key("studies");
  w.BeginArray();
  for (const MatchHit& h : m.hits) {
    StudyCheck c = CheckStudy(*h.study, ev);
    w.BeginObject();
    w.Key("study");
    w.String(h.study->key);
    w.Key("title");
    w.String(h.study->title);
    w.Key("verdict");
    w.String(VerdictName(c.verdict));
    w.Key("openQuestions");
    w.Int(static_cast<int64_t>(c.questions.size()));
    w.Key("failing");
    w.BeginArray();
    for (size_t i : c.failing) {
      w.BeginObject();
      w.Key("label");
      w.String(h.study->criteria[i].label);
      w.Key("text");
      w.String(h.study->criteria[i].text);
      w.EndObject();
    }
    w.EndArray();
    Strings(w, "questions", c.questions);
    if (h.score != 0) {
      w.Key("score");
      w.Double(h.score);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string ScreeningService::SampleJson(const std::vector<SampledCriterion>& sample, bool pretty) const {
  JsonWriter w(pretty);
  w.BeginArray();
  for (const SampledCriterion& s : sample) {
    w.BeginObject();
    w.Key("study");
    w.String(s.study->key);
    CriterionFields(w, s.study->criteria[s.index], concepts_);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

std::string ScreeningService::SampleText(const std::vector<SampledCriterion>& sample) const {
  std::string out;
  for (const SampledCriterion& s : sample) {
    const CompiledCriterion& c = s.study->criteria[s.index];
    out += s.study->key + " " + std::string(CriterionKindName(c.kind)) + " " + c.label + ". " + c.text + "\n";
    out += "    -> " + c.rule.ToString(concepts_) + "\n";
  }
  return out;
}

std::string ScreeningService::CriteriaText(const CompiledStudy& s) const {
  std::string out = s.key + "  " + s.title + "\n";
  for (const CompiledCriterion& c : s.criteria) {
    std::string indent(c.parent >= 0 ? 4 : 0, ' ');
    out += indent + (c.kind == CriterionKind::kInclusion ? "IN  " : "EX  ") + c.label + ". " + c.text + "\n";
    out += indent + "    -> " + c.rule.ToString(concepts_) + "\n";
  }
  return out;
}

std::string ScreeningService::CheckText(const StudyCheckResult& r) const {
  const CompiledStudy& s = *r.study;
  std::string out = s.key + "  " + s.title + "\nverdict: " + std::string(VerdictName(r.check.verdict)) + " (as of " +
                    r.as_of.ToString() + ")\n\n";
  for (const CriterionCheck& cc : r.check.criteria) {
    const CompiledCriterion& c = s.criteria[cc.index];
    bool failing = std::find(r.check.failing.begin(), r.check.failing.end(), cc.index) != r.check.failing.end();
    std::string mark = failing ? "FAIL" : !c.blocks_eligible ? "TEAM" : cc.finding.truth == Truth::kUnknown ? " ?  " : " ok ";
    out += "[" + mark + "] " + (c.kind == CriterionKind::kInclusion ? "inclusion " : "exclusion ") + c.label + ": " +
           c.text + "\n";
    out += "       rule: " + c.rule.ToString(concepts_) + " -> " + std::string(TruthName(cc.finding.truth)) + "\n";
    for (const std::string& e : cc.finding.evidence) out += "       evidence: " + e + "\n";
    if (c.blocks_eligible) {
      for (const std::string& q : cc.finding.questions) out += "       ask: " + q + "\n";
    }
  }
  if (!r.check.questions.empty()) {
    out += "\nQuestions to settle:\n";
    for (const std::string& q : r.check.questions) out += "  - " + q + "\n";
  }
  return out;
}

}  // namespace ts
