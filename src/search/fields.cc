#include "search/fields.h"

namespace ts {

namespace {
// Weights per field, in Field order:
//                                 title cond  intr  arms  outc  summ  elig  spons lead  id    locn
constexpr std::array<AreaSpec, 9> kAreas = {{
    {"query.cond",   {{1.5f, 3.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}, 0},
    {"query.term",   {{3.0f, 2.5f, 2.0f, 0.8f, 0.8f, 1.0f, 0.5f, 0.5f, 0.0f, 3.0f, 0.3f}}, 1},
    {"query.intr",   {{0.5f, 0.0f, 3.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}, 2},
    {"query.titles", {{1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}},
    {"query.outc",   {{0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}},
    {"query.spons",  {{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f}}},
    {"query.lead",   {{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f}}},
    {"query.id",     {{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f}}},
    {"query.locn",   {{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f}}},
}};
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "title", "condition", "intervention", "arms", "outcome", "summary", "eligibility", "sponsor", "lead", "id",
    "location"};
}  // namespace

namespace {
//                                       title cond  intr  arms  outc  summ  elig  spons lead  id    locn
constexpr AreaSpec kRelatedCond  = {"related.condition",    {{0.5f, 3.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}};
constexpr AreaSpec kRelatedIntr  = {"related.intervention", {{0.5f, 0.0f, 2.0f, 0.5f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}};
constexpr AreaSpec kRelatedTitle = {"related.title",        {{1.0f, 0.5f, 0.0f, 0.0f, 0.0f, 0.2f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}}};
}  // namespace

const AreaSpec& RelatedConditionArea() { return kRelatedCond; }
const AreaSpec& RelatedInterventionArea() { return kRelatedIntr; }
const AreaSpec& RelatedTitleArea() { return kRelatedTitle; }

std::string_view FieldName(Field f) { return kFieldNames[static_cast<size_t>(f)]; }

const AreaSpec* FindArea(std::string_view param) {
  for (const auto& a : kAreas)
    if (a.param == param) return &a;
  return nullptr;
}

const AreaSpec& MergedArea(int merged) {
  static_assert(kAreas[0].merged == 0 && kAreas[1].merged == 1 && kAreas[2].merged == 2);
  return kAreas[static_cast<size_t>(merged)];
}

}  // namespace ts
