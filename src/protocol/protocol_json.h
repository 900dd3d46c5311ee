// JSON of a protocol and of a timeline (docs/PROTOCOL.md, docs/API.md).
//   std::string j = TimelineJson(timeline, true);  // {"study", "arm", "start", "doses": [...], "events", "endpoints", "warnings"}
#pragma once

#include <string>

#include "protocol/protocol.h"
#include "protocol/timeline.h"

namespace ts {

std::string ProtocolJson(const Protocol& p, bool pretty);
std::string TimelineJson(const Timeline& t, bool pretty);

}  // namespace ts
