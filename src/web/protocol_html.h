// The trial page's "What happens in this trial" section: each arm's schedule drawn as a day strip (inline SVG,
// no script), and the stop, hold and rescue rules, evaluation points and endpoints in plain words.
//   ProtocolHtml(h, protocol, concepts);
#pragma once

#include "eligibility/concepts.h"
#include "protocol/protocol.h"
#include "web/html.h"

namespace ts {

void ProtocolHtml(HtmlWriter& h, const Protocol& protocol, const ConceptTable& concepts);

// A condition in plain words: "platelet count ≥ 100 ×10⁹/L or rises by ≥ 50 ×10⁹/L from baseline".
std::string PlainCondition(const Condition& c, const ConceptTable& concepts);

}  // namespace ts
