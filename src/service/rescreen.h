// Re-screening what changed: a patient checked only against the studies whose status, sites or
// criteria changed since a change token, each with its verdict then and now.
//   auto r = Rescreen(log, screening, patient, as_of, "c41", 5000);
//   for (const RescreenItem& i : r->items) ...  // i.study->changes.words, i.before -> i.after
// Nothing of the patient is kept.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "service/change_log.h"
#include "service/screening_service.h"

namespace ts {

struct RescreenItem {
  const ChangedStudy* study = nullptr;  // into RescreenResult::changed
  std::optional<Verdict> before;        // the verdict on the version at the token; nullopt for a new study
  Verdict after = Verdict::kPossiblyEligible;
  std::vector<std::string> questions;   // the open questions of the current version
  bool Moved() const { return !before || *before != after; }
};

struct RescreenResult {
  ChangedSinceResult changed;
  std::vector<RescreenItem> items;  // one per changed study, by key
  PartialDate as_of;
};

// InvalidArgument for a bad token or too many changed studies (ChangeLog::ChangedSince).
Result<RescreenResult> Rescreen(const ChangeLog& log, const ScreeningService& screening, const Patient& patient,
                                PartialDate as_of, std::string_view token, size_t max_studies);

}  // namespace ts
