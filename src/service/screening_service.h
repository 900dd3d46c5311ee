// The eligibility use cases: a study's criteria as rules, one patient checked against one study,
// and one patient matched against the registry. Each study's criteria are compiled once, the first
// time they are needed (so start-up costs nothing and a match never re-parses text).
//   auto scr = ScreeningService::Build(search);
//   auto check = (*scr)->Check("NCT07334093", patient, as_of);   // check->verdict
//   std::string json = CheckJson(*check, (*scr)->concepts());    // api/screening_json.h
// Thread-safe after Build. No patient data is stored or logged.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eligibility/match_plan.h"
#include "eligibility/screening.h"
#include "notes/note_reader.h"
#include "notes/note_screening.h"
#include "service/search_service.h"

namespace ts {

struct StudyCheckResult {
  const CompiledStudy* study = nullptr;
  StudyCheck check;
  PartialDate as_of;
};

// A study checked against a clinical note: the check, and the six-label reading of each criterion.
struct NoteCheckResult {
  const CompiledStudy* study = nullptr;
  NoteCheck check;
  PartialDate as_of;
};

struct MatchHit {
  const CompiledStudy* study = nullptr;
  Verdict verdict = Verdict::kPossiblyEligible;
  int open_questions = 0;
  double score = 0;  // search relevance when the match had a query
};

// One criterion drawn by ScreeningService::Sample.
struct SampledCriterion {
  const CompiledStudy* study = nullptr;
  size_t index = 0;  // into study->criteria
};

struct MatchResult {
  std::vector<MatchHit> hits;  // ranked: eligible, possibly eligible by fewest questions, then relevance
  size_t considered = 0;       // studies evaluated (after the search filters)
  size_t eligible = 0, possibly = 0, not_eligible = 0;
  PartialDate as_of;
};

class ScreeningService {
 public:
  // `search` must outlive the service. `gating` kNone types every form the grammar reads, for
  // reviewing a gated form before the table opens it; what is served is always kReviewed.
  static Result<std::unique_ptr<ScreeningService>> Build(const SearchService& search,
                                                         FormGating gating = FormGating::kReviewed);

  const ConceptTable& concepts() const { return concepts_; }
  // The compiled criteria of a study by any of its IDs; NotFound otherwise.
  Result<const CompiledStudy*> Criteria(const std::string& id) const;
  Result<StudyCheckResult> Check(const std::string& id, const Patient& patient, PartialDate as_of) const;

  // Checks a study given as a record (a version other than the served one, say), compiling its criteria
  // for this call only.
  StudyCheck CheckRecord(const Study& study, const Patient& patient, PartialDate as_of) const;

  // Reads a clinical note (NoteReader::Read: InvalidArgument for a note too long, binary or not UTF-8).
  Result<NoteReading> ReadNote(std::string_view note, PartialDate as_of) const;
  // Checks a note read by ReadNote against a study; NotFound for an unknown study.
  Result<NoteCheckResult> CheckNote(const std::string& id, const NoteReading& reading, PartialDate as_of) const;
  // Every study passing the search filters of `filter` (all studies when it has none), ranked.
  // `limit` caps the hits returned; the counts cover all.
  Result<MatchResult> Match(const Patient& patient, PartialDate as_of, const SearchQuery& filter, bool filtered,
                            size_t limit) const;

  // `n` top-level text criteria with a typed part, drawn uniformly without replacement from every
  // study, in a fixed order for a given `seed` and database (the audit harness: anyone can review what
  // the parser makes of text nobody tuned it on). Fewer when the registry has fewer. Compiles every study.
  // With `typed_only` false, criteria the parser left untyped are drawn too (for reviewing coverage).
  std::vector<SampledCriterion> Sample(size_t n, uint64_t seed, bool typed_only = true) const;

  // Compiles every study and lays them out for Match (see MatchPlan). Match does this on first use;
  // `serve` calls it at start-up on a background thread so that the first match is fast too.
  void PrepareMatch() const;

 private:
  ScreeningService(const SearchService& search, ConceptTable concepts, NoteLexicon lexicon, FormGating gating)
      : search_(search), concepts_(std::move(concepts)), parser_(concepts_, gating), note_lexicon_(std::move(lexicon)),
        note_reader_(concepts_, note_lexicon_) {}

  // The compiled criteria of the catalog's study `ordinal`, compiling them on first use (thread-safe).
  const CompiledStudy& Compiled(size_t ordinal) const;

  const SearchService& search_;
  ConceptTable concepts_;
  CriteriaParser parser_;
  NoteLexicon note_lexicon_;
  NoteReader note_reader_;
  mutable std::unique_ptr<std::once_flag[]> compiled_once_;  // by catalog ordinal
  mutable std::vector<CompiledStudy> studies_;               // by catalog ordinal; valid once compiled
  mutable std::once_flag plan_once_;
  mutable MatchPlan plan_;  // every study, study index = catalog ordinal; built by PrepareMatch
};

}  // namespace ts
