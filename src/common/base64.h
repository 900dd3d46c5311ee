// URL-safe base64 without padding (RFC 4648 §5), for opaque tokens.
//   std::string t = Base64UrlEncode("v1|...");  Result<std::string> back = Base64UrlDecode(t);
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

std::string Base64UrlEncode(std::string_view data);
// InvalidArgument on a character outside the alphabet or an impossible length.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ts
