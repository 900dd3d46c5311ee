#include "service/protocol_service.h"

namespace ts {

Result<std::unique_ptr<ProtocolService>> ProtocolService::Build(const StudyCatalog& studies) {
  auto lex = ProtocolLexicon::Builtin();
  if (!lex.ok()) return lex.status();
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) return concepts.status();
  return std::unique_ptr<ProtocolService>(new ProtocolService(studies, std::move(*lex), std::move(*concepts)));
}

Result<Protocol> ProtocolService::ProtocolOf(std::string_view id) const {
  auto view = studies_.Find(id);
  if (!view) return Status::NotFound("no study with ID \"" + std::string(id.substr(0, 80)) + "\"");
  auto study = ParseStudy(*view);
  if (!study.ok()) return study.status();
  return BuildProtocol(*study, lex_, concepts_, files_);
}

Result<Timeline> ProtocolService::TimelineOf(std::string_view id, const Patient& patient,
                                             const TimelineRequest& request) const {
  auto p = ProtocolOf(id);
  if (!p.ok()) return p.status();
  return BuildTimeline(*p, patient, request, lex_);
}

Result<std::vector<EndpointRate>> ProtocolService::CohortOf(std::string_view id, std::string_view ndjson,
                                                            std::string_view source) const {
  auto p = ProtocolOf(id);
  if (!p.ok()) return p.status();
  auto subjects = ReadCohort(ndjson, concepts_, source);
  if (!subjects.ok()) return subjects.status();
  return CohortRates(*p, *subjects, lex_);
}

Result<BlockAllocation> ProtocolService::RandomisationOf(std::string_view id, RandomisationPlan* plan) const {
  auto p = ProtocolOf(id);
  if (!p.ok()) return p.status();
  if (p->design.ratio.empty()) {
    return Status::InvalidArgument("the protocol of " + std::string(id.substr(0, 80)) +
                                   " states no randomisation ratio (use `trialscope randomise --arms A,B --ratio 1:1`)");
  }
  plan->arms.clear();
  for (const Arm& a : p->arms) plan->arms.push_back(a.label);
  plan->ratio = p->design.ratio;
  return Randomise(*plan);
}

}  // namespace ts
