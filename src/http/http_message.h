// Socket-free pieces of the HTTP layer: decoding a request target, the Date header.
//   Result<RequestTarget> t = ParseRequestTarget("/api/v2/studies?query.cond=aplastic+anemia");
//   // t->path == "/api/v2/studies", t->params == {{"query.cond", "aplastic anemia"}}
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "http/handler.h"

namespace ts {

struct RequestTarget {
  std::string path;  // percent-decoded ('+' kept)
  Params params;     // decoded query parameters ('+' is a space), in the order sent
};

// Accepts origin-form ("/path?query") and absolute-form ("http://host/path?query", RFC 9112 3.2.2).
// InvalidArgument for anything else (asterisk-form, authority-form, an empty target).
// A malformed %-escape is kept as it is.
Result<RequestTarget> ParseRequestTarget(std::string_view target);

// Decodes %XX (and '+' as a space when `plus_is_space`); a malformed escape is kept as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// An IMF-fixdate for the Date header: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(std::time_t t);

}  // namespace ts
