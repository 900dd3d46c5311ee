#include "sync/ctgov_page.h"

#include <simdjson.h>

namespace ts {

namespace {

Status NotJson(simdjson::error_code err) {
  return Status::InvalidArgument(std::string("not valid JSON (") + simdjson::error_message(err) + ")");
}

}  // namespace

Result<StudiesPage> ReadStudiesPage(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(body);
  simdjson::dom::element root;
  if (auto err = parser.parse(text).get(root)) return NotJson(err);
  simdjson::dom::object page;
  if (root.get_object().get(page)) return Status::InvalidArgument("the page is not a JSON object");
  simdjson::dom::array studies;
  if (page["studies"].get_array().get(studies)) return Status::InvalidArgument("no \"studies\" array in the page");
  StudiesPage out;
  for (simdjson::dom::element s : studies) {
    if (!s.is_object()) {
      return Status::InvalidArgument("studies[" + std::to_string(out.studies) + "] is not an object");
    }
    std::string_view date;
    if (!s.at_pointer("/protocolSection/statusModule/lastUpdatePostDateStruct/date").get_string().get(date) &&
        std::string(date) > out.newest_update) {
      out.newest_update = std::string(date);
    }
    ++out.studies;
  }
  simdjson::dom::element token;
  if (!page["nextPageToken"].get(token)) {
    std::string_view t;
    if (token.get_string().get(t) || t.empty()) {
      return Status::InvalidArgument("\"nextPageToken\" is not a non-empty string");
    }
    out.next_page_token = std::string(t);
  }
  return out;
}

Result<std::string> ReadDataTimestamp(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(body);
  simdjson::dom::element root;
  if (auto err = parser.parse(text).get(root)) return NotJson(err);
  std::string_view ts;
  if (root["dataTimestamp"].get_string().get(ts) || ts.empty()) {
    return Status::InvalidArgument("no \"dataTimestamp\" string in the version response");
  }
  return std::string(ts);
}

std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string StudiesPageUrl(std::string_view api, std::string_view since, int page_size, std::string_view page_token) {
  std::string url(api);
  url += "/api/v2/studies?format=json&filter.advanced=";
  url += PercentEncode("AREA[LastUpdatePostDate]RANGE[" + std::string(since) + ",MAX]");
  url += "&sort=" + PercentEncode("LastUpdatePostDate:asc") + "&pageSize=" + std::to_string(page_size);
  if (!page_token.empty()) url += "&pageToken=" + PercentEncode(page_token);
  return url;
}

std::string VersionUrl(std::string_view api) { return std::string(api) + "/api/v2/version"; }

}  // namespace ts
