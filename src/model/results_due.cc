#include "model/results_due.h"

namespace ts {

std::optional<PartialDate> ResultsDueDate(const Study& s) {
  const DateStruct& pcd = s.status.primary_completion_date;
  if (pcd.date.empty() || pcd.type != DateType::kActual) return std::nullopt;
  if (s.design.study_type != StudyType::kInterventional) return std::nullopt;
  const bool regulated = s.oversight.is_fda_regulated_drug.value_or(false) || s.oversight.is_fda_regulated_device.value_or(false);
  if (!regulated) return std::nullopt;
  PartialDate due = pcd.date;
  due.year += 1;
  if (due.month == 2 && due.day == 29) due.day = 28;  // a leap day has no twin a year on
  return due;
}

}  // namespace ts
