#include "model/study_ids.h"

#include <algorithm>

#include "common/strings.h"

namespace ts {

std::vector<std::string> LookupIds(const Identification& id) {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (!s.empty()) out.push_back(ToLowerAscii(s));
  };
  add(id.nct_id);
  for (const auto& a : id.nct_id_aliases) add(a);
  add(id.org_study_id);
  for (const auto& sec : id.secondary_ids) add(sec.id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string LookupForm(std::string_view id) {
  id = Trim(id);
  std::string lower = ToLowerAscii(std::string(id));
  if (StartsWith(lower, "org:") || StartsWith(lower, "sec:")) lower = lower.substr(4);
  return lower;
}

}  // namespace ts
