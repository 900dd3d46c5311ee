// Server-side SVG figures for posted results (no script; they read in print and on a phone, and each
// carries its numbers as text too).
//   OutcomeChart(h, measure);      // bars per group with their spread or interval, when the values are numbers
//   FlowDiagram(h, flow, enrolled);// enrolled -> started -> completed per period, with who left and why
#pragma once

#include <optional>

#include "model/results.h"
#include "web/html.h"

namespace ts {

// One bar per group for a measure with a single row of numeric values (negative values too: bars
// start at zero). A whisker shows the spread where the measure states one: the lower and upper
// limits as written (confidence intervals, ranges, inter-quartile ranges), else value ± spread for a
// standard deviation or standard error. Writes nothing for other shapes of measure.
void OutcomeChart(HtmlWriter& h, const OutcomeMeasure& m);

// Boxes and arrows per period: how many started, completed and did not complete (summed over the
// groups, as the registry's milestones state them), with the reasons for leaving. `enrolled` is the
// study's actual enrolment when the record gives it. Writes nothing when no period has a STARTED
// milestone with numbers.
void FlowDiagram(HtmlWriter& h, const ParticipantFlow& f, std::optional<int64_t> enrolled);

}  // namespace ts
