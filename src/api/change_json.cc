#include "api/change_json.h"

#include "common/json_writer.h"

namespace ts {

namespace {

void Strings(JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

void VersionFields(JsonWriter& w, const VersionInfo& v) {
  w.Key("version");
  w.Int(v.version);
  w.Key("lastUpdatePostDate");
  w.String(v.last_update);
  w.Key("importedAt");
  w.String(v.imported_at);
  w.Key("sourceFormat");
  w.String(v.source_format);
  w.Key("origin");
  w.String(v.origin);
  w.Key("current");
  w.Bool(v.current);
  w.Key("changeToken");
  w.String(ChangeToken(v.seq));
}

std::vector<std::string> Areas(const StudyChanges& c) {
  std::vector<std::string> out;
  if (c.is_new) out.push_back("new");
  if (c.status) out.push_back("status");
  if (c.sites) out.push_back("sites");
  if (c.criteria) out.push_back("criteria");
  return out;
}

}  // namespace

std::string HistoryJson(const StudyHistory& history, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("id");
  w.String(history.key);
  w.Key("versions");
  w.BeginArray();
  for (const VersionInfo& v : history.versions) {
    w.BeginObject();
    VersionFields(w, v);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string DiffJson(const std::string& key, int from, int to, const std::vector<FieldChange>& changes, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("id");
  w.String(key);
  w.Key("from");
  w.Int(from);
  w.Key("to");
  w.Int(to);
  w.Key("changes");
  w.BeginArray();
  for (const FieldChange& c : changes) {
    w.BeginObject();
    w.Key("path");
    w.String(c.path);
    w.Key("before");
    c.had_before ? w.String(c.before) : w.Null();
    w.Key("after");
    c.has_after ? w.String(c.after) : w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string ChangesJson(const ChangePage& page, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("changes");
  w.BeginArray();
  for (const ChangeEntry& e : page.entries) {
    w.BeginObject();
    w.Key("id");
    w.String(e.key);
    w.Key("nctId");
    w.String(e.nct_id);
    VersionFields(w, e.info);
    w.Key("kind");
    w.String(e.changes.is_new ? "new" : "updated");
    w.Key("modules");
    Strings(w, e.changes.modules);
    w.Key("areas");
    Strings(w, Areas(e.changes));
    w.Key("summary");
    Strings(w, e.changes.words);
    w.EndObject();
  }
  w.EndArray();
  w.Key("nextToken");
  w.String(page.next_token);
  w.EndObject();
  return w.Take();
}

std::string RescreenJson(const RescreenResult& result, std::string_view token, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("changedSince");
  w.String(token);
  w.Key("nextToken");
  w.String(result.changed.next_token);
  w.Key("asOf");
  w.String(result.as_of.ToString());
  w.Key("considered");
  w.Int(static_cast<int64_t>(result.items.size()));
  int64_t moved = 0;
  for (const RescreenItem& i : result.items) moved += i.Moved() ? 1 : 0;
  w.Key("moved");
  w.Int(moved);
  w.Key("studies");
  w.BeginArray();
  for (const RescreenItem& i : result.items) {
    const ChangedStudy& c = *i.study;
    w.BeginObject();
    w.Key("id");
    w.String(c.key);
    w.Key("title");
    w.String(c.after.identification.brief_title);
    w.Key("fromVersion");
    c.before ? w.Int(c.before_version) : w.Null();
    w.Key("toVersion");
    w.Int(c.after_version);
    w.Key("changed");
    Strings(w, Areas(c.changes));
    w.Key("changes");
    Strings(w, c.changes.words);
    w.Key("verdict");
    w.BeginObject();
    w.Key("before");
    i.before ? w.String(VerdictName(*i.before)) : w.Null();
    w.Key("after");
    w.String(VerdictName(i.after));
    w.EndObject();
    w.Key("moved");
    w.Bool(i.Moved());
    w.Key("questions");
    Strings(w, i.questions);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace ts
