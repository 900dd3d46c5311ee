#include "service/study_catalog.h"

#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "model/study_ids.h"

namespace ts {

Result<Study> ParseStudy(const StudyView& view) {
  StudyJsonReader reader;
  return ParseStudy(view, reader);
}

Result<Study> ParseStudy(const StudyView& view, StudyJsonReader& reader) {
  auto study = reader.Parse(view.json);
  if (!study.ok()) return Status::Corruption("served study " + std::string(view.key) + ": " + study.status().message());
  return study;
}

void StudyCatalog::Index(const std::string& name, size_t ordinal, std::unordered_map<std::string, size_t>* table) {
  auto [it, added] = table->emplace(name, ordinal);
  if (!added && keys_[ordinal] < keys_[it->second]) it->second = ordinal;
}

void StudyCatalog::Add(std::string key, const Identification& ids, std::string json) {
  const size_t ordinal = keys_.size();
  keys_.push_back(std::move(key));
  json_.push_back(std::move(json));
  Index(ToLowerAscii(keys_.back()), ordinal, &by_key_);
  for (const std::string& id : LookupIds(ids)) Index(id, ordinal, &by_id_);
}

std::optional<StudyView> StudyCatalog::Find(std::string_view id) const {
  const std::string lower = ToLowerAscii(Trim(id));
  for (const std::string& candidate : {lower, "org:" + lower, "sec:" + lower}) {
    if (auto it = by_key_.find(candidate); it != by_key_.end()) return at(it->second);
  }
  if (auto it = by_id_.find(LookupForm(id)); it != by_id_.end()) return at(it->second);
  return std::nullopt;
}

void StudyCatalog::Save(BinaryWriter* w) const {
  w->Put<uint64_t>(keys_.size());
  for (size_t i = 0; i < keys_.size(); ++i) {
    w->PutString(keys_[i]);
    w->PutString(json_[i]);
  }
  w->Put<uint64_t>(by_id_.size());
  for (const auto& [id, ordinal] : by_id_) {
    w->PutString(id);
    w->Put<uint64_t>(ordinal);
  }
}

Status StudyCatalog::Load(BinaryReader* r) {
  *this = StudyCatalog();
  uint64_t n;
  if (!r->Get(&n)) return r->status();
  for (uint64_t i = 0; i < n; ++i) {
    std::string key, json;
    if (!r->GetString(&key) || !r->GetString(&json)) return r->status();
    by_key_.emplace(ToLowerAscii(key), keys_.size());
    keys_.push_back(std::move(key));
    json_.push_back(std::move(json));
  }
  if (!r->Get(&n)) return r->status();
  for (uint64_t i = 0; i < n; ++i) {
    std::string id;
    uint64_t ordinal;
    if (!r->GetString(&id) || !r->Get(&ordinal)) return r->status();
    if (ordinal >= keys_.size()) return Status::Corruption("study catalog: an ID points past the studies");
    by_id_.emplace(std::move(id), ordinal);
  }
  return Status::Ok();
}

}  // namespace ts
