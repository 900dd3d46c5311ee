// JSON for a study's history, one diff, the change feed and re-screening (service/change_log.h,
// service/rescreen.h). Shared by the API and the CLI.
//   std::string body = ChangesJson(*log.Changes("c41", 100));
#pragma once

#include <string>
#include <vector>

#include "service/change_log.h"
#include "service/rescreen.h"

namespace ts {

// {"id", "versions": [{"version", "lastUpdatePostDate", "importedAt", "sourceFormat", "origin", "current",
//  "changeToken"}]}
std::string HistoryJson(const StudyHistory& history, bool pretty = false);
// {"id", "from", "to", "changes": [{"path", "before", "after"}]} (before/after null when absent)
std::string DiffJson(const std::string& key, int from, int to, const std::vector<FieldChange>& changes,
                     bool pretty = false);
// {"changes": [{"id", "nctId", "version", "lastUpdatePostDate", "importedAt", "sourceFormat", "origin", "current",
//  "changeToken", "kind": "new"|"updated", "modules", "areas", "summary"}], "nextToken"}
std::string ChangesJson(const ChangePage& page, bool pretty = false);
// {"changedSince", "nextToken", "asOf", "considered", "moved", "studies": [{"id", "title", "fromVersion",
//  "toVersion", "changed": ["status", "sites", "criteria"], "changes", "verdict": {"before", "after"},
//  "moved", "questions"}]}
std::string RescreenJson(const RescreenResult& result, std::string_view token, bool pretty = false);

}  // namespace ts
