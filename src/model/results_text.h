// Posted results in plain words, shared by the web page and the terminal (model/results.h):
//   std::vector<std::string> lines = ResultFindings(measure);  // "Drug A: 12 of 20 participants (60%)"
// Numbers stay as the registry wrote them; only a percentage of a stated count is computed.
#pragma once

#include <string>
#include <vector>

#include "model/results.h"

namespace ts {

// The title of group `id` among `groups` (the id itself when the group has no title or is unknown).
std::string GroupTitle(const std::vector<ResultGroup>& groups, const std::string& id);
// The count analysed in group `id` (the measure's first denominator), or "".
std::string DenomOf(const std::vector<Denom>& denoms, const std::string& id);
// "60%" for part "12" of whole "20"; "" unless both are numbers and the whole is positive.
std::string Percent(const std::string& part, const std::string& whole);
// "54.2 (11.3)", "12.0 (8.1 to 15.3)", "NA": a measurement with its spread or limits.
std::string ValueText(const Measurement& m);
// One plain line per group for a measure's first category ("Drug A: 12 of 20 participants (60%)",
// "Drug A: mean 54.2 (11.3) years"); empty when the measure has no values.
std::vector<std::string> ResultFindings(const OutcomeMeasure& m);

}  // namespace ts
