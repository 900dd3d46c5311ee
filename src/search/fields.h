// Indexed text fields and the ClinicalTrials.gov search areas that weight them (BM25F).
//   const AreaSpec* area = FindArea("query.cond");  // conditions x3, titles x1.5, keywords ...
#pragma once

#include <array>
#include <string_view>

namespace ts {

enum class Field : int {
  kTitle,         // brief and official titles, acronym
  kCondition,     // conditions, keywords, condition MeSH terms
  kIntervention,  // intervention names, other names, intervention MeSH terms
  kArms,          // arm labels and descriptions, intervention descriptions
  kOutcome,       // outcome measures and descriptions
  kSummary,       // brief summary, detailed description
  kEligibility,   // eligibility criteria text
  kSponsor,       // lead sponsor and collaborators
  kLead,          // lead sponsor only
  kId,            // NCT ID, org study ID, secondary IDs, aliases
  kLocation,      // facility, city, state, zip, country
};
inline constexpr int kFieldCount = 11;
std::string_view FieldName(Field f);  // "title", "condition", ...

// Areas that search several fields keep, per term, one merged list of the documents where the
// term occurs in any of them, with the weighted BM25F term frequency summed over those fields:
// a word costs one list instead of one per field. Slots kFieldCount + merged of a term's lists.
inline constexpr int kMergedAreaCount = 3;
inline constexpr int kTermSlots = kFieldCount + kMergedAreaCount;

struct AreaSpec {
  std::string_view param;              // "query.cond"
  std::array<float, kFieldCount> weight;  // 0: the field is not searched
  int merged = -1;                     // 0 .. kMergedAreaCount-1: the area has merged lists
};

// The areas, as ClinicalTrials.gov API v2 names them. Returns nullptr for an unknown name.
const AreaSpec* FindArea(std::string_view param);
// Areas used to find related studies (not search parameters): conditions, interventions, titles.
const AreaSpec& RelatedConditionArea();
const AreaSpec& RelatedInterventionArea();
const AreaSpec& RelatedTitleArea();
// The area whose merged lists are in slot kFieldCount + `merged`.
const AreaSpec& MergedArea(int merged);

}  // namespace ts
