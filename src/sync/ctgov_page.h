// The ClinicalTrials.gov API v2 responses sync reads, checked whole before anything is imported.
//   Result<StudiesPage> page = ReadStudiesPage(body);   // InvalidArgument for a truncated or malformed page
//   std::string url = StudiesPageUrl("https://clinicaltrials.gov", "2026-11-01", 1000, page->next_page_token);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

// What sync needs to know of a /api/v2/studies page.
struct StudiesPage {
  int64_t studies = 0;            // elements of "studies"
  std::string next_page_token;    // "" on the last page
  std::string newest_update;      // the greatest protocolSection.statusModule.lastUpdatePostDateStruct.date, or ""
};

// Accepts a page only when the whole body is valid JSON, an object whose "studies" is an array of objects,
// and whose "nextPageToken", if present, is a non-empty string. Otherwise InvalidArgument naming the problem
// ("not valid JSON (TAPE_ERROR ...)", "no \"studies\" array", "studies[3] is not an object").
Result<StudiesPage> ReadStudiesPage(std::string_view body);

// The "dataTimestamp" of a /api/v2/version body ("2026-11-20T09:00:05"); InvalidArgument if absent.
Result<std::string> ReadDataTimestamp(std::string_view body);

// api + "/api/v2/studies?format=json&filter.advanced=AREA[LastUpdatePostDate]RANGE[since,MAX]
//   &sort=LastUpdatePostDate:asc&pageSize=N[&pageToken=T]", every value percent-encoded. `api` without a
// trailing slash.
std::string StudiesPageUrl(std::string_view api, std::string_view since, int page_size, std::string_view page_token);
std::string VersionUrl(std::string_view api);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(std::string_view s);

}  // namespace ts
