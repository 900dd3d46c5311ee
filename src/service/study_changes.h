// What changed between two versions of a study, by module and in words, for the history page, the
// change feed, the Atom feeds and re-screening.
//   auto diff = DiffStudyJson(v1.study_json, v2.study_json);
//   StudyChanges c = DescribeChanges(&v1_study, v2_study, *diff);
//   // c.modules {"statusModule", "eligibilityModule"}; c.status, c.criteria;
//   // c.words {"Status: Not yet recruiting → Recruiting", "Exclusion 7 changed", "Site added: Hangzhou"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/study.h"
#include "store/study_diff.h"

namespace ts {

struct StudyChanges {
  bool is_new = false;                // there is no earlier version
  std::vector<std::string> modules;   // API v2 module names changed ("statusModule"), in document order
  bool status = false;                // overall status
  bool sites = false;                 // a site added, removed or changed (contactsLocationsModule.locations)
  bool criteria = false;              // eligibilityModule
  std::vector<std::string> words;     // one line per change a reader cares about, then one for the rest
  bool Relevant() const { return is_new || status || sites || criteria; }  // what alerts and re-screening follow
};

// The module a dotted API v2 path is in: "protocolSection.statusModule.overallStatus" -> "statusModule";
// a top-level field ("hasResults") is its own module.
std::string ModuleOfPath(std::string_view path);

// `before` null: a new study (is_new; modules and words empty but for "New study"). `diff` is
// DiffStudyJson(before's JSON, after's JSON).
StudyChanges DescribeChanges(const Study* before, const Study& after, const std::vector<FieldChange>& diff);

}  // namespace ts
