// The IDs a study is found by, written once for the store and the served catalog.
//   for (const std::string& id : LookupIds(study.identification)) table[id] = key;
//   auto it = table.find(LookupForm(user_input));
// A study is found by its key (store.h: "NCT…", "ORG:…" or "SEC:…") and, failing that, by any of
// LookupIds. When two studies share an ID, the smaller key wins.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/study.h"

namespace ts {

// Lower-cased, without duplicates: the NCT ID, earlier NCT IDs (aliases), the sponsor's study ID and the
// secondary IDs. Empty IDs are left out.
std::vector<std::string> LookupIds(const Identification& id);

// How a user's ID is compared with LookupIds: trimmed, an "ORG:" or "SEC:" prefix dropped, lower-cased.
std::string LookupForm(std::string_view id);

}  // namespace ts
