// Runs the case files of tests/cases/protocol/*.case (format in tests/cases/protocol/README.md): each reads a seed
// study, builds its protocol (record + protocol files) and checks the protocol text and subject timelines.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "common/binary_io.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "protocol/protocol_file.h"
#include "protocol/timeline.h"
#include "fuzz_protocol_harness.h"

namespace ts {
namespace {

// One table for the whole binary (the fuzz harness builds it once).
const ConceptTable& Concepts() { return testing::FuzzProtocolConcepts(); }
const ProtocolLexicon& Lexicon() { return testing::FuzzProtocolLexicon(); }

struct Check {
  std::string what;                 // "protocol" or "timeline ARM | START"
  std::string patient;
  std::vector<std::string> expect, absent, error;
  int line = 0;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view l : Split(text, '\n')) out.emplace_back(l);
  return out;
}

void Contains(const std::string& where, const std::string& output, const Check& c) {
  std::vector<std::string> lines = Lines(output);
  for (const std::string& want : c.expect) {
    bool found = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(want) != std::string::npos; });
    EXPECT_TRUE(found) << where << ": missing line \"" << want << "\" in:\n" << output;
  }
  for (const std::string& no : c.absent) {
    bool found = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(no) != std::string::npos; });
    EXPECT_FALSE(found) << where << ": unexpected line \"" << no << "\" in:\n" << output;
  }
}

void RunCase(const std::filesystem::path& path) {
  auto text = ReadWholeFile(path.string());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  std::string study_path;
  std::vector<Check> checks;
  std::string* section = nullptr;
  std::vector<std::string>* list = nullptr;
  int n = 0;
  for (std::string& line : Lines(*text)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') {
      if (section) *section += "\n";
      continue;
    }
    if (checks.empty() && StartsWith(line, "study ")) { study_path = line.substr(6); continue; }
    if (line == "protocol" || StartsWith(line, "timeline ")) {
      checks.push_back(Check{line, "", {}, {}, {}, n});
      section = nullptr;
      list = &checks.back().expect;
      continue;
    }
    ASSERT_FALSE(checks.empty()) << path << ":" << n << ": a line before 'protocol' or 'timeline'";
    if (line == "patient") { section = &checks.back().patient; list = nullptr; continue; }
    if (line == "expect") { section = nullptr; list = &checks.back().expect; continue; }
    if (line == "absent") { section = nullptr; list = &checks.back().absent; continue; }
    if (line == "error") { section = nullptr; list = &checks.back().error; continue; }
    if (section) *section += line + "\n";
    else if (list) list->push_back(std::string(Trim(line)));
  }
  auto json = ReadWholeFile(std::string(TS_SOURCE_DIR) + "/" + study_path);
  ASSERT_TRUE(json.ok()) << path << ": " << json.status().ToString();
  StudyJsonReader reader;
  auto study = reader.Parse(*json);
  ASSERT_TRUE(study.ok()) << study.status().ToString();
  auto protocol = BuildProtocol(*study, Lexicon(), Concepts(), BuiltinProtocolFiles());
  ASSERT_TRUE(protocol.ok()) << protocol.status().ToString();
  for (const Check& c : checks) {
    std::string where = path.filename().string() + ":" + std::to_string(c.line);
    if (c.what == "protocol") {
      Contains(where, protocol->ToString(), c);
      continue;
    }
    std::string spec = c.what.substr(9);
    std::vector<std::string_view> parts = Split(spec, '|');
    ASSERT_GE(parts.size(), 2u) << where << ": timeline ARM | START [| DAYS]";
    TimelineRequest req;
    req.arm = std::string(Trim(parts[0]));
    auto start = PartialDate::Parse(Trim(parts[1]));
    ASSERT_TRUE(start.ok()) << where;
    req.start = *start;
    if (parts.size() > 2) {
      int64_t days = 0;
      ASSERT_TRUE(ParseInt64(Trim(parts[2]), &days)) << where;
      req.horizon_days = static_cast<int>(days);
    }
    auto patient = ParsePatientJson(c.patient, Concepts(), where);
    Result<Timeline> t = patient.ok() ? BuildTimeline(*protocol, *patient, req, Lexicon()) : Result<Timeline>(patient.status());
    if (!c.error.empty()) {
      ASSERT_FALSE(t.ok()) << where << ": expected an error, got:\n" << t->ToString();
      for (const std::string& e : c.error)
        EXPECT_NE(t.status().message().find(e), std::string::npos) << where << ": error \"" << t.status().message() << "\" lacks \"" << e << "\"";
      continue;
    }
    ASSERT_TRUE(t.ok()) << where << ": " << t.status().ToString();
    Contains(where, t->ToString(), c);
  }
}

TEST(ProtocolCases, AllCaseFiles) {
  std::filesystem::path dir = std::filesystem::path(TS_SOURCE_DIR) / "tests/cases/protocol";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".case") continue;
    SCOPED_TRACE(entry.path().string());
    RunCase(entry.path());
    ++files;
  }
  EXPECT_GE(files, 5);
}

}  // namespace
}  // namespace ts
