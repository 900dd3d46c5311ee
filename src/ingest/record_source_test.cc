#include "ingest/record_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ingest/derive_study.h"
#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::TempDir;

struct Recorder : RecordVisitor {
  std::vector<RawRecord> records;
  std::vector<std::string> bad;  // "origin: message"
  std::vector<std::string> skipped;
  std::vector<std::string> unreadable;  // "path: message"
  void OnRecord(RawRecord r) override { records.push_back(std::move(r)); }
  void OnBadInput(const std::string& origin, const Status& s) override { bad.push_back(origin + ": " + s.message()); }
  void OnUnreadable(const std::string& path, const Status& s) override {
    unreadable.push_back(path + ": " + s.message());
  }
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
  EXPECT_EQ(origins, (std::vector<std::string>{"a/b/one.xml", "a/page.ndjson:1", "a/page.ndjson:2",
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
  ASSERT_EQ(r.unreadable.size(), 1u);
  EXPECT_EQ(r.unreadable[0], dir.Path("nope") + ": No such file or directory");
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_EQ(r.bad[0], dir.Path("junk.xml") + ": not XML");
}

// NDJSON records are named by line and carry their byte offset; a broken line costs only itself.
TEST(RecordScannerTest, NdjsonLinesAreNamedAndResynchronised) {
  TempDir dir;
  dir.Write("p.ndjson", "{\"x\":1}\n{\"x\":\n{\"x\":3}\n");
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("p.ndjson")}, r).ok());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].origin, dir.Path("p.ndjson") + ":3");
  EXPECT_EQ(r.records[1].offset, 14u);
  EXPECT_EQ(r.records[1].text, "{\"x\":3}");
  EXPECT_EQ(r.bad, std::vector<std::string>{dir.Path("p.ndjson") + ":2: truncated: the line ends inside this record"});
}

// An empty file is one reject, "empty file", whatever its extension (also inside a zip).
TEST(RecordScannerTest, EmptyFilesAreRejectedAlike) {
  TempDir dir;
  for (const char* name : {"d/a.json", "d/b.xml", "d/c.ndjson", "d/d.jsonl", "d/e.zip"}) dir.Write(name, "");
  dir.Write("d/f.json", " \n\t\r\n");
  WriteZip(dir.Path("d/g.zip"), {{"empty.xml", ""}, {"one.xml", kXml}});
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("d")}, r).ok());
  std::vector<std::string> want;
  for (const char* name : {"d/a.json", "d/b.xml", "d/c.ndjson", "d/d.jsonl", "d/e.zip", "d/f.json", "d/g.zip!empty.xml"}) {
    want.push_back(dir.Path(name) + ": empty file");
  }
  EXPECT_EQ(r.bad, want);
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_TRUE(r.unreadable.empty()) << r.unreadable[0];
}

// Dangling links and link loops inside a directory are reported with the system's reason; the rest is read.
TEST(RecordScannerTest, BrokenLinksAndLoopsAreUnreadableWithTheReason) {
  TempDir dir;
  dir.Write("d/good.xml", kXml);
  dir.Write("d/sub/also.xml", kXml);
  std::filesystem::create_symlink(dir.Path("nowhere.json"), dir.Path("d/dangling.json"));
  std::filesystem::create_symlink(dir.Path("d/self.json"), dir.Path("d/self.json"));
  std::filesystem::create_symlink(dir.Path("d"), dir.Path("d/sub/up"));
  std::filesystem::create_symlink(dir.Path("d/sub"), dir.Path("d/sub2"));  // the same directory again
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("d"), dir.Path("missing")}, r).ok());
  EXPECT_EQ(r.unreadable, (std::vector<std::string>{
                              dir.Path("d/dangling.json") + ": dangling symbolic link: No such file or directory",
                              dir.Path("d/self.json") + ": symbolic link loop: Too many levels of symbolic links",
                              dir.Path("d/sub/up") + ": symbolic link loop: it leads back to a directory above it",
                              dir.Path("missing") + ": No such file or directory",
                          }));
  EXPECT_EQ(r.records.size(), 2u);  // good.xml, sub/also.xml (sub2 is sub: scanned once)
  EXPECT_TRUE(r.bad.empty()) << r.bad[0];
}

// Files and directories without permission. Root reads everything, so as root the scan runs with the
// effective user "nobody" (65534) for the duration; where that is not allowed, the test is skipped.
TEST(RecordScannerTest, PermissionDeniedIsUnreadableWithTheReason) {
  TempDir dir;
  dir.Write("d/good.xml", kXml);
  dir.Write("d/locked.xml", kXml);
  dir.Write("d/closed/inside.xml", kXml);
  namespace fs = std::filesystem;
  for (const char* p : {"", "d", "d/good.xml"}) {
    fs::permissions(dir.Path(p), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
  }
  fs::permissions(dir.Path("d/locked.xml"), fs::perms::none);
  fs::permissions(dir.Path("d/closed"), fs::perms::none);
  const bool root = ::geteuid() == 0;
  if (root && ::seteuid(65534) != 0) GTEST_SKIP() << "running as root and cannot drop to uid 65534: skipped";
  Recorder r;
  Status s = RecordScanner().Scan({dir.Path("d")}, r);
  if (root) {
    ASSERT_EQ(::seteuid(0), 0);
  }
  fs::permissions(dir.Path("d/closed"), fs::perms::owner_all);  // so that TempDir can remove it
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(r.unreadable, (std::vector<std::string>{dir.Path("d/closed") + ": cannot list directory: Permission denied",
                                                    dir.Path("d/locked.xml") + ": cannot open: Permission denied"}));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].origin, dir.Path("d/good.xml"));
}

// API v1 files, loose and zipped, give one ctgov-json-v1 record per study, named by file and place in the page;
// a bad study in a page costs only itself, and its reject names the field.
TEST(RecordScannerTest, ApiV1StudiesFromFilesAndZips) {
  TempDir dir;
  const std::string page = testing::ReadFileOrDie(testing::FixturePath("api_v1/full_studies_page.json"));
  const std::string single = testing::ReadFileOrDie(testing::FixturePath("api_v1/single_full_study.json"));
  WriteZip(dir.Path("v1.zip"), {{"page1.json", page}, {"one/NCT09900006.json", single}});
  std::string bad = page;
  bad.replace(bad.find("\"Observational\""), 15, "\"Observatory\"");  // the study at FullStudies[1]
  dir.Write("bad.json", bad);
  Recorder r;
  ASSERT_TRUE(RecordScanner().Scan({dir.Path("v1.zip"), dir.Path("bad.json")}, r).ok());
  EXPECT_TRUE(r.bad.empty()) << r.bad[0];
  std::vector<std::string> origins;
  StudyRecordReader reader;
  std::vector<std::string> read;
  for (const auto& rec : r.records) {
    EXPECT_EQ(rec.format, RecordFormat::kCtgovJsonV1) << rec.origin;
    origins.push_back(rec.origin.substr(dir.Path().size() + 1));
    Result<Study> s = reader.Parse(rec.format, rec.text);
    read.push_back(s.ok() ? s->identification.nct_id : s.status().message());
    EXPECT_EQ(s.ok(), DeriveStudy(RecordFormatName(rec.format), rec.text).ok()) << rec.origin;
  }
  EXPECT_EQ(origins, (std::vector<std::string>{"v1.zip!page1.json#FullStudies[0]", "v1.zip!page1.json#FullStudies[1]",
                                               "v1.zip!page1.json#FullStudies[2]", "v1.zip!one/NCT09900006.json[0]",
                                               "bad.json#FullStudies[0]", "bad.json#FullStudies[1]",
                                               "bad.json#FullStudies[2]"}));
  EXPECT_EQ(read, (std::vector<std::string>{
                      "NCT09900001", "NCT09900002", "NCT09900003", "NCT09900006", "NCT09900001",
                      "Study.ProtocolSection.DesignModule.StudyType: unknown StudyType value \"Observatory\"",
                      "NCT09900003"}));
  EXPECT_EQ(RecordFormatName(RecordFormat::kCtgovJsonV1), "ctgov-json-v1");
}

}  // namespace
}  // namespace ts
