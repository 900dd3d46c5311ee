#include "service/screening_service.h"

#include <algorithm>

#include "common/strings.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

Result<std::unique_ptr<ScreeningService>> ScreeningService::Build(const SearchService& search, FormGating gating) {
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) return concepts.status();
  auto lexicon = NoteLexicon::Builtin();
  if (!lexicon.ok()) return lexicon.status();
  std::unique_ptr<ScreeningService> svc(new ScreeningService(search, std::move(*concepts), std::move(*lexicon), gating));
  size_t n = search.studies().size();
  svc->compiled_once_ = std::make_unique<std::once_flag[]>(n);
  svc->studies_.resize(n);
  return svc;
}

const CompiledStudy& ScreeningService::Compiled(size_t d) const {
  std::call_once(compiled_once_[d], [&] {
    const StudyView view = search_.studies().at(d);
    auto study = ParseStudy(view);
    if (study.ok()) {
      studies_[d] = CompileStudy(*study, parser_);
      return;
    }
    // The catalog holds JSON we wrote; if it cannot be read back, say so in the study's only criterion.
    CompiledStudy& cs = studies_[d];
    cs.key = std::string(view.key);
    CompiledCriterion c;
    c.text = "The study record could not be read: " + study.status().message();
    c.rule = Rule::NotComputable(c.text);
    c.computable = false;
    cs.criteria.push_back(std::move(c));
  });
  return studies_[d];
}

Result<const CompiledStudy*> ScreeningService::Criteria(const std::string& id) const {
  std::optional<StudyView> view = search_.studies().Find(id);
  if (!view) return Status::NotFound("no study with ID '" + id + "'");
  return &Compiled(view->ordinal);
}

Result<StudyCheckResult> ScreeningService::Check(const std::string& id, const Patient& patient, PartialDate as_of) const {
  auto study = Criteria(id);
  if (!study.ok()) return study.status();
  RuleEvaluator ev(concepts_, patient, as_of);
  return StudyCheckResult{*study, CheckStudy(**study, ev), as_of};
}

StudyCheck ScreeningService::CheckRecord(const Study& study, const Patient& patient, PartialDate as_of) const {
  const CompiledStudy compiled = CompileStudy(study, parser_);
  RuleEvaluator ev(concepts_, patient, as_of);
  return CheckStudy(compiled, ev);
}

Result<NoteReading> ScreeningService::ReadNote(std::string_view note, PartialDate as_of) const {
  return note_reader_.Read(note, as_of);
}

Result<NoteCheckResult> ScreeningService::CheckNote(const std::string& id, const NoteReading& reading,
                                                    PartialDate as_of) const {
  auto study = Criteria(id);
  if (!study.ok()) return study.status();
  return NoteCheckResult{*study, ts::CheckNote(**study, concepts_, reading, as_of), as_of};
}

void ScreeningService::PrepareMatch() const {
  std::call_once(plan_once_, [&] {
    for (size_t d = 0; d < studies_.size(); ++d) plan_.Add(Compiled(d));
  });
}

Result<MatchResult> ScreeningService::Match(const Patient& patient, PartialDate as_of, const SearchQuery& filter,
                                            bool filtered, size_t limit) const {
  PrepareMatch();
  MatchResult out;
  out.as_of = as_of;
  RuleEvaluator ev(concepts_, patient, as_of);
  // Each distinct leaf rule once for this patient; then every study combines cached truths.
  const MatchPlan::Truths truths = plan_.EvaluateLeaves(ev);
  auto consider = [&](size_t d, double score) {
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
    for (size_t d = 0; d < studies_.size(); ++d) consider(d, 0);
  } else {
    SearchQuery query = filter;
    SearchRequest& req = query.request;
    req.page_size = 1000;
    req.facets.clear();
    req.explain = false;
    while (true) {
      auto page = search_.Search(query);
      if (!page.ok()) return page.status();
      for (const Hit& h : page->hits) {
        if (auto view = search_.studies().Find(h.key)) consider(view->ordinal, h.score);
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
    const CompiledStudy& s = Compiled(d);
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

}  // namespace ts
