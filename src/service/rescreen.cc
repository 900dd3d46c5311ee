#include "service/rescreen.h"

namespace ts {

Result<RescreenResult> Rescreen(const ChangeLog& log, const ScreeningService& screening, const Patient& patient,
                                PartialDate as_of, std::string_view token, size_t max_studies) {
  auto changed = log.ChangedSince(token, max_studies);
  if (!changed.ok()) return changed.status();
  RescreenResult out;
  out.changed = std::move(*changed);
  out.as_of = as_of;
  for (const ChangedStudy& c : out.changed.studies) {
    RescreenItem item;
    item.study = &c;
    if (c.before) item.before = screening.CheckRecord(*c.before, patient, as_of).verdict;
    StudyCheck now = screening.CheckRecord(c.after, patient, as_of);
    item.after = now.verdict;
    item.questions = std::move(now.questions);
    out.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace ts
