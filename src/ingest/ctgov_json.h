// ClinicalTrials.gov API v2 JSON <-> Study.
//   StudyJsonReader reader;
//   Result<Study> s = reader.Parse(R"({"protocolSection":{...}})");
//   std::string json = WriteStudyJson(*s);  // the same API v2 shape, only fields that are set
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/json_writer.h"
#include "common/status.h"
#include "model/study.h"

namespace ts {

// Parses one API v2 study object. Reuse one reader for many records (it keeps its buffers).
// Not thread-safe: one reader per thread.
class StudyJsonReader {
 public:
  StudyJsonReader();
  ~StudyJsonReader();
  StudyJsonReader(const StudyJsonReader&) = delete;
  StudyJsonReader& operator=(const StudyJsonReader&) = delete;

  // Returns the study, or InvalidArgument naming the JSON path and the problem
  // ("protocolSection.statusModule.overallStatus: unknown value \"DONE\""). Fields we do not model
  // are ignored here (the importer keeps the raw record). A record must have a protocolSection
  // with an identificationModule, and some identifier or title.
  Result<Study> Parse(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serialises `study` as an API v2 study object ({"protocolSection":..., "derivedSection":..., "hasResults":...}).
// Empty strings, empty lists and unset optionals are left out. Parse(WriteStudyJson(s)) == s.
std::string WriteStudyJson(const Study& study, bool pretty = false);
void WriteStudyJson(const Study& study, JsonWriter* w);

}  // namespace ts
