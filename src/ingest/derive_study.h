// A stored raw record -> Study, by its source format: the one reading that import and the store's
// re-derivation share.
//   Result<Study> s = DeriveStudy("ctgov-json", raw);
#pragma once

#include <string_view>

#include "common/status.h"
#include "model/study.h"

namespace ts {

// The version of the readers' output. Bump it when a reader reads fields it did not before (or reads
// one differently): databases whose versions were derived by an older reading re-derive them from their
// raw bytes when opened (store/study_store.h). 1: protocol and derived sections; 2: with resultsSection;
// 3: every field of the API v2 schema (browse trees, misc info, documents, annotations, IPD sharing, ...);
// 4: legacy XML clinical_results as resultsSection.
inline constexpr int kDerivationVersion = 4;

// `source_format` is RecordFormatName's spelling ("ctgov-json", "ctgov-xml"); another is InvalidArgument.
Result<Study> DeriveStudy(std::string_view source_format, std::string_view raw);

}  // namespace ts
