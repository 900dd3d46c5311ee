// The trial page's posted results (model/results.h) as HTML: first what the trial found in plain
// words (each primary outcome, group by group, with its analysis), then participant flow, baseline
// characteristics, every outcome measure as a table with a bar chart (inline SVG) where its values are
// numbers, adverse events and the "more information" module. Numbers are shown as the registry wrote
// them; nothing is computed except percentages of a stated count and the bars' lengths.
//   HtmlWriter h;
//   RenderStudyResults(h, *study.results);
#pragma once

#include <optional>

#include "model/results.h"
#include "web/html.h"

namespace ts {

// `enrolled`: the study's actual enrolment, for the participant-flow diagram's first box.
void RenderStudyResults(HtmlWriter& h, const StudyResults& results, std::optional<int64_t> enrolled = std::nullopt);

}  // namespace ts
