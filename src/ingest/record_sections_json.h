// derivedSection (beyond its MeSH terms), documentSection and annotationSection <-> model/record_sections.h,
// for the study reader and writer (internal to ingest/).
#pragma once

#include <string>

#include "ingest/json_fields.h"
#include "model/study.h"

namespace ts::ingest_internal {

// A browse module's ancestors, leaves and branches (its "meshes" are read by the study reader).
BrowseTree ReadBrowseTree(JsonFieldReader& r, object module, const std::string& path);
MiscInfo ReadMiscInfo(JsonFieldReader& r, object module, const std::string& path);
StudyDocuments ReadDocuments(JsonFieldReader& r, object section, const std::string& path);
StudyAnnotations ReadAnnotations(JsonFieldReader& r, object section, const std::string& path);

// Members of the enclosing object (the caller opens it).
void WriteBrowseTree(JsonFieldWriter& w, const BrowseTree& tree);
void WriteMiscInfo(JsonFieldWriter& w, const MiscInfo& misc);
void WriteDocuments(JsonFieldWriter& w, const StudyDocuments& docs);
void WriteAnnotations(JsonFieldWriter& w, const StudyAnnotations& notes);

}  // namespace ts::ingest_internal
