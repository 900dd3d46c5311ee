// A raw record -> Study, by its source format: the one reading that import, the store's re-derivation and
// the tools share.
//   Result<Study> s = DeriveStudy("ctgov-json", raw);
//   StudyRecordReader reader;  // for many records: keeps each reader's buffers
//   Result<Study> t = reader.Parse(RecordFormat::kCtgovJsonV1, raw);
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "ingest/record_source.h"
#include "model/study.h"

namespace ts {

// The version of the readers' output. Bump it when a reader reads fields it did not before (or reads
// one differently): databases whose versions were derived by an older reading re-derive them from their
// raw bytes when opened (store/study_store.h). 1: protocol and derived sections; 2: with resultsSection;
// 3: every field of the API v2 schema (browse trees, misc info, documents, annotations, IPD sharing, ...);
// 4: legacy XML clinical_results as resultsSection. (API v1 records, new since 4, need no bump: no
// database holds one read by an older reading.)
inline constexpr int kDerivationVersion = 4;

class StudyJsonReader;
class StudyV1JsonReader;

// Reads records of every RecordFormat, each with the reader of its format. Not thread-safe.
class StudyRecordReader {
 public:
  StudyRecordReader();
  ~StudyRecordReader();
  StudyRecordReader(const StudyRecordReader&) = delete;
  StudyRecordReader& operator=(const StudyRecordReader&) = delete;

  // The study, or the reader's InvalidArgument naming the field and the problem.
  Result<Study> Parse(RecordFormat format, std::string_view raw);
  // By RecordFormatName's spelling ("ctgov-json", "ctgov-xml", "ctgov-json-v1"); another is InvalidArgument.
  Result<Study> Parse(std::string_view source_format, std::string_view raw);

 private:
  std::unique_ptr<StudyJsonReader> json_;
  std::unique_ptr<StudyV1JsonReader> json_v1_;  // made on the first v1 record (it loads the mapping table)
};

// One record with a reader of its own (StudyRecordReader::Parse).
Result<Study> DeriveStudy(std::string_view source_format, std::string_view raw);

}  // namespace ts
