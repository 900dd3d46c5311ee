#include "ingest/record_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::TempDir;

struct Recorder : RecordVisitor {
  std::vector<RawRecord> records;
  std::vector<std::string> bad;  // "origin: message"
  std::vector<std::string> skipped;
  void OnRecord(RawRecord r) override { records.push_back(std::move(r)); }
  void OnBadInput(const std::string& origin, const Status& s) override { bad.push_back(origin + ": " + s.message()); }
  void OnSkipped(const std::string& origin, std::string_view) override { skipped.push_back(origin); }
};

void WriteZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, data] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

const char* kXml = "<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info></clinical_study>";

TEST(RecordScannerTest, WalksDirectoriesFilesAndZips) {
  TempDir dir;
  dir.Write("a/studies.json", R"([{"protocolSection":{}},{"protocolSection":{}}])");
  dir.Write("a/b/one.xml", kXml);
  dir.Write("a/README.md", "# not data");
  dir.Write("a/spec.yaml", "openapi: 3");
  dir.Write("a/page.ndjson", "{\"x\":1}\n{\"x\":2}\n");
  WriteZip(dir.Path("bulk.zip"), {{"NCT0000xxxx/NCT00000001.xml", kXml},
                                  {"NCT0000xxxx/NCT00000002.xml", kXml},
                                  {"README.txt", "readme"},
                                  {"other.xml", "<not_a_study/>"}});
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("a"), dir.Path("bulk.zip")}, r).ok());
  std::vector<std::string> origins;
  for (const auto& rec : r.records) origins.push_back(rec.origin.substr(dir.Path().size() + 1));
  EXPECT_EQ(origins, (std::vector<std::string>{"a/b/one.xml", "a/page.ndjson[0]", "a/page.ndjson[1]",
                                               "a/studies.json[0]", "a/studies.json[1]",
                                               "bulk.zip!NCT0000xxxx/NCT00000001.xml",
                                               "bulk.zip!NCT0000xxxx/NCT00000002.xml"}));
  EXPECT_EQ(r.records[0].format, RecordFormat::kCtgovXml);
  EXPECT_EQ(r.records[0].text, kXml);
  EXPECT_EQ(r.records[3].format, RecordFormat::kCtgovJson);
  EXPECT_EQ(r.skipped.size(), 4u);  // README.md, spec.yaml, README.txt, other.xml
  EXPECT_TRUE(r.bad.empty()) << r.bad[0];
}

TEST(RecordScannerTest, TruncatedZipKeepsEveryIntactEntry) {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 20; ++i) {
    std::string xml = std::string("<clinical_study><id_info><nct_id>NCT000000") + (i < 10 ? "0" : "") +
                      std::to_string(i) + "</nct_id></id_info><brief_summary><textblock>" + std::string(2000, static_cast<char>('a' + i % 26)) +
                      "</textblock></brief_summary></clinical_study>";
    entries.emplace_back("NCT" + std::to_string(i) + ".xml", xml);
  }
  WriteZip(dir.Path("full.zip"), entries);
  std::string bytes = testing::ReadFileOrDie(dir.Path("full.zip"));
  dir.Write("cut.zip", bytes.substr(0, bytes.size() / 2));
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("cut.zip")}, r).ok());
  EXPECT_GT(r.records.size(), 3u);
  EXPECT_LT(r.records.size(), 20u);
  ASSERT_FALSE(r.bad.empty());
  for (const auto& rec : r.records) EXPECT_NE(rec.text.find("</clinical_study>"), std::string::npos);
}

TEST(RecordScannerTest, MissingPathsAndNonXmlAreReported) {
  TempDir dir;
  dir.Write("junk.xml", "this is not xml");
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("nope"), dir.Path("junk.xml")}, r).ok());
  ASSERT_EQ(r.bad.size(), 2u);
  EXPECT_NE(r.bad[0].find("nope: no such file or directory"), std::string::npos);
  EXPECT_NE(r.bad[1].find("junk.xml: not XML"), std::string::npos);
}

}  // namespace
}  // namespace ts
