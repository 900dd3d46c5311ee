#include "model/study.h"

#include "common/strings.h"

namespace ts {

bool IsNctId(std::string_view s) {
  if (s.size() != 11 || s.substr(0, 3) != "NCT") return false;
  for (char c : s.substr(3))
    if (c < '0' || c > '9') return false;
  return true;
}

std::string StudyKey(const Study& study) {
  const Identification& id = study.identification;
  if (!id.nct_id.empty()) return id.nct_id;
  if (!id.org_study_id.empty()) return "ORG:" + id.org_study_id;
  if (!id.secondary_ids.empty() && !id.secondary_ids[0].id.empty()) return "SEC:" + id.secondary_ids[0].id;
  std::string basis = id.organization.full_name + "\n" + id.brief_title + "\n" + id.official_title;
  return "TS-" + ToHex64(Fnv1a64(basis)).substr(0, 12);
}

PartialDate LastUpdate(const Study& study) {
  const StatusInfo& s = study.status;
  if (!s.last_update_post_date.date.empty()) return s.last_update_post_date.date;
  if (!s.last_update_submit_date.empty()) return s.last_update_submit_date;
  return s.study_first_post_date.date;
}

}  // namespace ts
