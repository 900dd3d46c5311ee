// The served copy of every current study, as API v2 JSON, found by any of its IDs. It is the one way
// the layers above search find a study: API routes, web pages and screening all look studies up here
// and receive a StudyView. (The store keeps every version; the search index keeps only what filters
// and ranking need; see docs/DESIGN.md, "Who owns which copy of a study".)
//   StudyCatalog c;  c.Add("NCT07334093", study.identification, json);
//   if (auto v = c.Find("nct07334093")) { auto study = ParseStudy(*v); ... }
// Read-only after it is filled: Find and at are thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/binary_io.h"
#include "common/status.h"
#include "ingest/ctgov_json.h"
#include "model/study.h"

namespace ts {

// One served study. Views into the catalog: valid while it lives.
struct StudyView {
  size_t ordinal = 0;     // the study's position in the catalog (0 .. size-1), for tables kept beside it
  std::string_view key;   // the store's study key ("NCT07334093", "ORG:…")
  std::string_view json;  // API v2 JSON, as the store wrote it
};

// The study parsed back from its JSON. Corruption names the key if it cannot be read (the catalog
// holds JSON trialscope wrote, so this means a damaged snapshot or a bug).
Result<Study> ParseStudy(const StudyView& view);
// The same with a reader the caller keeps, so that parsing many studies reuses its buffers.
Result<Study> ParseStudy(const StudyView& view, StudyJsonReader& reader);

class StudyCatalog {
 public:
  // Appends a study; ordinals follow the order of Add. `ids` gives the names it is found by
  // (model/study_ids.h).
  void Add(std::string key, const Identification& ids, std::string json);

  size_t size() const { return keys_.size(); }
  StudyView at(size_t ordinal) const { return {ordinal, keys_[ordinal], json_[ordinal]}; }

  // The study with this key or ID (NCT ID, an earlier NCT ID, the sponsor's ID or a secondary ID), in
  // any case and with surrounding space ignored, as the store resolves it: a key first, then an ID
  // (the smallest key when two studies share one). nullopt when none has it.
  std::optional<StudyView> Find(std::string_view id) const;

  // Snapshot form: the keys, the JSON and the ID table. Load replaces the contents; Corruption if the
  // bytes are not a catalog (an ID pointing past the studies, trailing bytes).
  void Save(BinaryWriter* w) const;
  Status Load(BinaryReader* r);

 private:
  void Index(const std::string& name, size_t ordinal, std::unordered_map<std::string, size_t>* table);

  std::vector<std::string> keys_;
  std::vector<std::string> json_;
  std::unordered_map<std::string, size_t> by_key_;  // lower-cased key -> ordinal
  std::unordered_map<std::string, size_t> by_id_;   // LookupIds -> ordinal of the smallest key
};

}  // namespace ts
