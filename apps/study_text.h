// A study as plain text for the terminal, with the sections of the seed trial pages:
// quick facts, summary, description, conditions, design, groups, interventions, outcomes,
// eligibility, sponsors, contacts and locations, identifiers.
//   std::cout << RenderStudyText(study);
#pragma once

#include <string>

#include "model/study.h"
#include "store/study_store.h"
#include "store/study_diff.h"

namespace ts {

std::string RenderStudyText(const Study& study);
// The posted results as tables (`trialscope results`): flow, baseline, each outcome measure with its groups
// as columns and its analyses, adverse events; "no posted results" when the record holds none.
std::string RenderResultsText(const Study& study);


// "STUDY  VERSION  CURRENT  LAST UPDATE  FORMAT  IMPORTED  ORIGIN" table.
std::string RenderHistoryText(const std::string& key, const std::vector<VersionInfo>& versions);
// One line per change: "~ path: before -> after", "+ path: value", "- path: value".
std::string RenderDiffText(const std::string& key, int v1, int v2, const std::vector<FieldChange>& changes);
std::string RenderStatsText(const StoreStats& stats);

}  // namespace ts
