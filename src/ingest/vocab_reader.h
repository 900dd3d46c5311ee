// Readers for vocabularies a user loads: the DrugBank open vocabulary CSV and MeSH tree files.
//   Result<std::vector<VocabGroup>> g = ReadVocabularyFile("drugbank_vocabulary.csv");
// Bad lines are counted and reported in `problems` ("line 12: unterminated quote"); good ones kept.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "model/vocabulary.h"

namespace ts {

struct VocabFile {
  std::string format;  // "drugbank" or "mesh-tree"
  std::vector<VocabGroup> groups;
  std::vector<std::string> problems;
};

// Detects the format from the first line. InvalidArgument for an unknown format or unreadable file.
Result<VocabFile> ReadVocabularyFile(const std::string& path);

// One CSV record (RFC 4180 quoting). InvalidArgument on an unterminated quote.
Result<std::vector<std::string>> ParseCsvLine(std::string_view line);

}  // namespace ts
