// ClinicalTrials.gov API v1 (the retired /api/query/full_studies JSON) -> Study, through the API v2 shape.
//   StudyV1JsonReader reader;
//   Result<Study> s = reader.Parse(R"({"Rank":1,"Study":{"ProtocolSection":{"IdentificationModule":{...}}}})");
// The mapping is data: resources/ctgov_v1_map.tsv (v1 path -> v2 path, how each value converts, the enum
// spellings), explained in docs/API_V1.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/study.h"

namespace ts {

// A v1 record rewritten as an API v2 study object.
struct ApiV1Conversion {
  std::string v2_json;
  // v1 fields the table neither maps nor drops ("Study.ProtocolSection.StatusModule.NewField"): not read,
  // as the API v2 reader does not read fields it does not know. At most 32 are listed.
  std::vector<std::string> unknown_fields;
};

// Reads one API v1 study record. Reuse one reader for many records (it keeps its buffers and the loaded
// table). Not thread-safe: one reader per thread.
class StudyV1JsonReader {
 public:
  StudyV1JsonReader();
  ~StudyV1JsonReader();
  StudyV1JsonReader(const StudyV1JsonReader&) = delete;
  StudyV1JsonReader& operator=(const StudyV1JsonReader&) = delete;

  // A record is one element of FullStudiesResponse.FullStudies ({"Rank": 1, "Study": {...}}), a single-study
  // file ({"FullStudy": {"Rank": 1, "Study": {...}}} or {"Study": {...}}), or a bare Study object
  // ({"ProtocolSection": {...}}). Returns the study the API v2 reader makes of the converted record, or
  // InvalidArgument naming the v1 path and the problem
  // ("Study.ProtocolSection.StatusModule.OverallStatus: unknown OverallStatus value \"Done\""). A study must have
  // a ProtocolSection with an NCTId. A whole FullStudiesResponse is refused: the record scanner splits it.
  Result<Study> Parse(std::string_view json);

  // The conversion Parse reads, for tests and tools; the same errors, except those the API v2 reader finds.
  Result<ApiV1Conversion> Convert(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ts
