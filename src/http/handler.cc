#include "http/handler.h"

#include "common/json_writer.h"

namespace ts {

namespace {

struct CodeEntry {
  StatusCode code;
  int http;
  std::string_view name;
};
constexpr CodeEntry kCodes[] = {
    {StatusCode::kOk, 200, "OK"},
    {StatusCode::kInvalidArgument, 400, "INVALID_ARGUMENT"},
    {StatusCode::kNotFound, 404, "NOT_FOUND"},
    {StatusCode::kAlreadyExists, 409, "ALREADY_EXISTS"},
    {StatusCode::kUnsupported, 400, "UNSUPPORTED"},
    {StatusCode::kIoError, 500, "IO_ERROR"},
    {StatusCode::kCorruption, 500, "DATA_CORRUPTION"},
    {StatusCode::kInternal, 500, "INTERNAL"},
};

struct RefusalEntry {
  HttpRefusal refusal;
  int http;
  std::string_view name;
};
constexpr RefusalEntry kRefusals[] = {
    {HttpRefusal::kBadRequest, 400, "INVALID_ARGUMENT"},
    {HttpRefusal::kPayloadTooLarge, 413, "INVALID_ARGUMENT"},
    {HttpRefusal::kUriTooLong, 414, "INVALID_ARGUMENT"},
    {HttpRefusal::kHeadersTooLarge, 431, "INVALID_ARGUMENT"},
    {HttpRefusal::kRequestTimeout, 408, "DEADLINE_EXCEEDED"},
    {HttpRefusal::kTooManyRequests, 429, "RESOURCE_EXHAUSTED"},
    {HttpRefusal::kUnavailable, 503, "UNAVAILABLE"},
    {HttpRefusal::kMethodNotAllowed, 405, "INVALID_ARGUMENT"},
};

const RefusalEntry& RefusalEntryFor(HttpRefusal refusal) {
  for (const auto& e : kRefusals)
    if (e.refusal == refusal) return e;
  return kRefusals[0];
}

std::string ErrorBody(int http, std::string_view name, std::string_view message) {
  JsonWriter w;
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Key("code");
  w.Int(http);
  w.Key("status");
  w.String(name);
  w.Key("message");
  w.String(message);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  for (const auto& e : kCodes)
    if (e.code == code) return e.http;
  return 500;
}

std::string_view ErrorNameFor(StatusCode code) {
  for (const auto& e : kCodes)
    if (e.code == code) return e.name;
  return "INTERNAL";
}

HttpResponse ErrorResponse(const Status& status) {
  int http = HttpStatusFor(status.code());
  return {http, ErrorBody(http, ErrorNameFor(status.code()), status.message())};
}

int HttpStatusFor(HttpRefusal refusal) { return RefusalEntryFor(refusal).http; }

HttpResponse RefusalResponse(HttpRefusal refusal, std::string_view message) {
  const RefusalEntry& e = RefusalEntryFor(refusal);
  return {e.http, ErrorBody(e.http, e.name, message)};
}

}  // namespace ts
