#include "protocol/protocol_file.h"

#include "common/strings.h"

namespace ts {

extern const std::string_view kProtocolFileNames[];
extern const std::string_view kProtocolFileTexts[];
extern const size_t kProtocolFileCount;

std::vector<ProtocolFile> BuiltinProtocolFiles() {
  std::vector<ProtocolFile> out;
  for (size_t i = 0; i < kProtocolFileCount; ++i)
    out.push_back({std::string(kProtocolFileNames[i]), std::string(kProtocolFileTexts[i])});
  return out;
}

Result<std::string> ProtocolFileStudy(const ProtocolFile& file) {
  for (std::string_view line : Split(file.text, '\n')) {
    line = Trim(line);
    if (StartsWith(line, "study ") && !StartsWith(line, "study:")) return std::string(Trim(line.substr(6)));
  }
  return Status::InvalidArgument(file.name + ": no 'study KEY' line");
}

Status ApplyProtocolFile(const ProtocolFile& file, const ProtocolLexicon& lex, const ConceptTable& concepts,
                         Protocol* protocol) {
  std::vector<ProtocolText> texts;
  size_t line_no = 0;
  bool named = false;
  for (std::string_view raw : Split(file.text, '\n')) {
    ++line_no;
    std::string_view line = Trim(raw);
    std::string where = file.name + ":" + std::to_string(line_no);
    if (line.empty() || line[0] == '#') continue;
    if (StartsWith(line, "study ") ) {
      std::string key(Trim(line.substr(6)));
      if (key != protocol->study_key)
        return Status::InvalidArgument(where + ": the file is for " + key + ", not " + protocol->study_key);
      named = true;
      continue;
    }
    if (!named) return Status::InvalidArgument(where + ": the first line must be 'study KEY'");
    ProtocolText t;
    t.source = Source{PartOrigin::kFile, where, ""};
    if (StartsWith(line, "study:")) {
      t.text = std::string(Trim(line.substr(6)));
    } else if (StartsWith(line, "arm ")) {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Status::InvalidArgument(where + ": expected 'arm LABEL: sentence'");
      std::string label(Trim(line.substr(4, colon - 4)));
      const Arm* arm = protocol->FindArm(label);
      if (!arm) return Status::InvalidArgument(where + ": the study has no arm '" + label + "'");
      t.arms = {arm->label};
      t.text = std::string(Trim(line.substr(colon + 1)));
    } else {
      return Status::InvalidArgument(where + ": expected 'arm LABEL: sentence', 'study: sentence' or '# comment'");
    }
    if (t.text.empty()) return Status::InvalidArgument(where + ": no sentence");
    texts.push_back(std::move(t));
  }
  if (!named) return Status::InvalidArgument(file.name + ": no 'study KEY' line");
  Status s = ReadProtocolTexts(texts, lex, concepts, true, protocol);
  if (!s.ok()) return s;
  protocol->files.push_back(file.name);
  return Status::Ok();
}

Result<Protocol> BuildProtocol(const Study& study, const ProtocolLexicon& lex, const ConceptTable& concepts,
                               const std::vector<ProtocolFile>& files) {
  Protocol p = ReadProtocol(study, lex, concepts);
  for (const ProtocolFile& f : files) {
    auto key = ProtocolFileStudy(f);
    if (!key.ok()) return key.status();
    if (*key != p.study_key) continue;
    Status s = ApplyProtocolFile(f, lex, concepts, &p);
    if (!s.ok()) return s;
  }
  return p;
}

}  // namespace ts
