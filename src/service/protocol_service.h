// The protocol use cases the API and the web site call: a study's computable protocol, and a subject's timeline.
//   auto protocols = ProtocolService::Build(search.studies());
//   Result<Protocol> p = (*protocols)->ProtocolOf("NCT06898983");
//   Result<Timeline> t = (*protocols)->TimelineOf("NCT06898983", patient, {"Romiplostim N01", start});
//   Result<std::vector<EndpointRate>> r = (*protocols)->CohortOf("NCT07334093", ndjson, "request body");
// Thread-safe after Build (each call reads the study from the catalog and builds its protocol).
#pragma once

#include <memory>
#include <string_view>

#include "eligibility/concepts.h"
#include "protocol/cohort.h"
#include "protocol/protocol_file.h"
#include "protocol/timeline.h"
#include "service/study_catalog.h"

namespace ts {

class ProtocolService {
 public:
  // `studies` must outlive the service. Fails only when a built-in table does not parse (a bug).
  static Result<std::unique_ptr<ProtocolService>> Build(const StudyCatalog& studies);

  // NotFound names the ID; otherwise the record's protocol with the built-in protocol files applied.
  Result<Protocol> ProtocolOf(std::string_view id) const;
  // ProtocolOf, then BuildTimeline (InvalidArgument for an unknown arm, an impossible weight, an unconvertible lab).
  Result<Timeline> TimelineOf(std::string_view id, const Patient& patient, const TimelineRequest& request) const;

  // A cohort file's subjects (ReadCohort: one JSON object a line, `source` names it in errors), each run through
  // the study's protocol: per-arm endpoint rates with exact 95% intervals.
  Result<std::vector<EndpointRate>> CohortOf(std::string_view id, std::string_view ndjson, std::string_view source) const;
  // Randomise with the study's arms and stated ratio (`plan.arms` and `plan.ratio` are filled from the protocol;
  // its block sizes, strata, size per stratum and seed are the caller's). InvalidArgument when the protocol states
  // no ratio or the plan is invalid (Randomise).
  Result<BlockAllocation> RandomisationOf(std::string_view id, RandomisationPlan* plan) const;

  const ConceptTable& concepts() const { return concepts_; }
  const ProtocolLexicon& lexicon() const { return lex_; }

 private:
  ProtocolService(const StudyCatalog& studies, ProtocolLexicon lex, ConceptTable concepts)
      : studies_(studies), lex_(std::move(lex)), concepts_(std::move(concepts)), files_(BuiltinProtocolFiles()) {}
  const StudyCatalog& studies_;
  ProtocolLexicon lex_;
  ConceptTable concepts_;
  std::vector<ProtocolFile> files_;
};

}  // namespace ts
