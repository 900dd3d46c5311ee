#include "ingest/vocab_reader.h"

#include <cctype>
#include <fstream>
#include <map>

#include "common/strings.h"

namespace ts {

Result<std::vector<std::string>> ParseCsvLine(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  if (quoted) return Status::InvalidArgument("unterminated quote");
  out.push_back(std::move(cur));
  return out;
}

Result<VocabFile> ReadVocabularyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::string header;
  std::getline(in, header);
  VocabFile out;
  size_t line_no = 1;
  std::string line;
  if (StartsWith(header, "DrugBank ID,")) {
    out.format = "drugbank";
    auto cols = ParseCsvLine(header);
    if (!cols.ok() || cols->size() < 6 || (*cols)[2] != "Common name" || (*cols)[5] != "Synonyms") {
      return Status::InvalidArgument(path + ": unexpected DrugBank header");
    }
    while (std::getline(in, line)) {
      ++line_no;
      if (Trim(line).empty()) continue;
      auto f = ParseCsvLine(line);
      if (!f.ok() || f->size() < 6) {
        out.problems.push_back("line " + std::to_string(line_no) + ": " + (f.ok() ? "too few columns" : f.status().message()));
        continue;
      }
      VocabGroup g{"drug", std::string(Trim((*f)[2])), {}, "drugbank:" + std::string(Trim((*f)[0])), {}};
      for (auto syn : Split((*f)[5], '|'))
        if (!Trim(syn).empty()) g.names.emplace_back(Trim(syn));
      if (!g.canonical.empty()) out.groups.push_back(std::move(g));
    }
    return out;
  }
  // MeSH tree file: "C15.378.140.855<TAB>Thrombocytopenia".
  auto is_tree_line = [](std::string_view l) {
    size_t tab = l.find('\t');
    return tab != std::string_view::npos && tab > 0 && std::isupper(static_cast<unsigned char>(l[0]));
  };
  if (!is_tree_line(header)) return Status::InvalidArgument(path + ": neither a DrugBank vocabulary CSV nor a MeSH tree file");
  out.format = "mesh-tree";
  std::map<std::string, std::vector<std::string>> trees;  // name -> tree numbers
  auto take = [&](const std::string& l) {
    size_t tab = l.find('\t');
    if (!is_tree_line(l)) {
      out.problems.push_back("line " + std::to_string(line_no) + ": expected TREE<TAB>NAME");
      return;
    }
    trees[std::string(Trim(std::string_view(l).substr(tab + 1)))].emplace_back(Trim(std::string_view(l).substr(0, tab)));
  };
  take(header);
  while (std::getline(in, line)) {
    ++line_no;
    if (!Trim(line).empty()) take(line);
  }
  for (auto& [name, numbers] : trees) {
    out.groups.push_back({"mesh", name, {}, "mesh:" + numbers[0], std::move(numbers)});
  }
  return out;
}

}  // namespace ts
