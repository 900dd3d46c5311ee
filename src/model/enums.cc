#include "model/enums.h"

#include <cctype>
#include <string>

namespace ts {

namespace {
// Lower-case letters and digits only: "Non-Randomized" and "non randomized" compare equal.
std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}
}  // namespace

std::optional<int> ParseLabelIndex(std::string_view s, const std::string_view* labels, const std::string_view* apis,
                                   size_t n) {
  std::string f = Fold(s);
  if (f.empty()) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    if (Fold(labels[i]) == f || Fold(apis[i]) == f) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace ts
