// Decoded query parameters (or form fields), name and value, in the order sent. Shared by the HTTP
// layer, the API and the search parameters.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ts {

using Params = std::vector<std::pair<std::string, std::string>>;

}  // namespace ts
