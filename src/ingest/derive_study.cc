#include "ingest/derive_study.h"

#include <string>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_v1.h"
#include "ingest/ctgov_xml.h"

namespace ts {

StudyRecordReader::StudyRecordReader() : json_(std::make_unique<StudyJsonReader>()) {}
StudyRecordReader::~StudyRecordReader() = default;

Result<Study> StudyRecordReader::Parse(RecordFormat format, std::string_view raw) {
  switch (format) {
    case RecordFormat::kCtgovJson: return json_->Parse(raw);
    case RecordFormat::kCtgovXml: return ParseStudyXml(raw);
    case RecordFormat::kCtgovJsonV1:
      if (!json_v1_) json_v1_ = std::make_unique<StudyV1JsonReader>();
      return json_v1_->Parse(raw);
  }
  return Status::Internal("unknown record format");
}

Result<Study> StudyRecordReader::Parse(std::string_view source_format, std::string_view raw) {
  for (RecordFormat f : {RecordFormat::kCtgovJson, RecordFormat::kCtgovXml, RecordFormat::kCtgovJsonV1}) {
    if (source_format == RecordFormatName(f)) return Parse(f, raw);
  }
  return Status::InvalidArgument("unknown source format \"" + std::string(source_format.substr(0, 40)) + "\"");
}

Result<Study> DeriveStudy(std::string_view source_format, std::string_view raw) {
  StudyRecordReader reader;
  return reader.Parse(source_format, raw);
}

}  // namespace ts
