#include "ingest/derive_study.h"

#include <string>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_xml.h"

namespace ts {

Result<Study> DeriveStudy(std::string_view source_format, std::string_view raw) {
  if (source_format == "ctgov-json") {
    StudyJsonReader reader;
    return reader.Parse(raw);
  }
  if (source_format == "ctgov-xml") return ParseStudyXml(raw);
  return Status::InvalidArgument("unknown source format \"" + std::string(source_format.substr(0, 40)) + "\"");
}

}  // namespace ts
