// /search.atom: any search of the site or the API as an Atom 1.0 feed (RFC 4287). Its entries are the
// recent changes of the studies the search matches that a follower cares about: a new study, or a
// new version whose status, sites or criteria changed (StudyChanges::Relevant), newest first.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "service/search_params.h"
#include "web/site.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

constexpr size_t kEntries = 50;     // entries in a feed
constexpr size_t kCandidates = 500; // recent relevant changes looked at
constexpr size_t kScan = 2000;      // versions looked back over
constexpr size_t kIdsBytes = 4000;  // a filter.ids value (the server takes 4 KiB a parameter)

// XML character data: the five specials escaped; characters XML 1.0 forbids (C0 controls but tab, LF,
// CR) dropped.
std::string Xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

void Element(std::string& out, std::string_view name, std::string_view text) {
  out += "  <" + std::string(name) + ">" + Xml(text) + "</" + std::string(name) + ">\n";
}

std::string FeedTitle(const Params& params) {
  std::string title = "trialscope";
  for (const auto& [k, v] : params) title += " \xC2\xB7 " + (StartsWith(k, "query.") || k == "near" ? v : k + "=" + v);
  if (params.empty()) title += " \xC2\xB7 all studies";
  return title;
}

std::string EntryTitle(const ChangeEntry& e) {
  std::string what = e.changes.is_new ? "New study" : "Updated";
  if (!e.changes.is_new && !e.changes.words.empty()) what = e.changes.words.front();
  return e.key + ": " + e.brief_title + " (" + what + ")";
}

void Entry(std::string& out, const ChangeEntry& e) {
  out += " <entry>\n";
  out += "  <title>" + Xml(EntryTitle(e)) + "</title>\n";
  out += "  <id>tag:trialscope,2026:study/" + Xml(UrlEncode(e.key)) + "/version/" + std::to_string(e.info.version) + "</id>\n";
  Element(out, "updated", e.info.imported_at);
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + Xml("/study/" + UrlEncode(e.key) + "#changes") + "\"/>\n";
  for (const char* area : {"new", "status", "sites", "criteria"}) {
    const bool on = (area == std::string_view("new") && e.changes.is_new) || (area == std::string_view("status") && e.changes.status) ||
                    (area == std::string_view("sites") && e.changes.sites) || (area == std::string_view("criteria") && e.changes.criteria);
    if (on) out += "  <category term=\"" + std::string(area) + "\"/>\n";
  }
  std::string summary = "Version " + std::to_string(e.info.version) + " (registry update " +
                        (e.info.last_update.empty() ? "not given" : e.info.last_update) + "): " + Join(e.changes.words, "; ");
  out += "  <summary type=\"text\">" + Xml(summary) + "</summary>\n";
  out += " </entry>\n";
}

}  // namespace

HttpResponse WebSite::AtomFeed(const Params& raw) const {
  if (changes_ == nullptr) return NotFoundPage("feeds (this server does not serve the record history)");
  const Params params = web::FeedSearchParams(raw);
  auto recent = changes_->RecentRelevant(kCandidates, kScan);
  if (!recent.ok()) return ErrorResponse(recent.status());
  // The studies of those changes that the search matches: the search narrowed to them by filter.ids, asked in
  // chunks that keep to the parameter's length limit (and, when the search has its own filter.ids, to those).
  std::set<std::string> keys;
  for (const ChangeEntry& e : *recent) keys.insert(e.key);
  Params search;
  for (const auto& kv : params) {
    if (kv.first != "filter.ids") {
      search.push_back(kv);
      continue;
    }
    std::set<std::string> theirs;
    for (auto id : Split(kv.second, ',')) theirs.emplace(ToLowerAscii(Trim(id)));
    std::erase_if(keys, [&](const std::string& k) { return !theirs.count(ToLowerAscii(k)); });
  }
  search.emplace_back("pageSize", "1000");
  auto check = ParseSearchParams(search);  // checked even when no change is recent: a bad search is a 400
  if (!check.ok()) return ErrorResponse(check.status());
  std::set<std::string> matched;
  for (auto it = keys.begin(); it != keys.end();) {
    std::string ids;
    for (; it != keys.end() && (ids.empty() || ids.size() + it->size() + 1 < kIdsBytes); ++it) ids += (ids.empty() ? "" : ",") + *it;
    Params chunk = search;
    chunk.emplace_back("filter.ids", ids);
    auto req = ParseSearchParams(chunk);
    if (!req.ok()) return ErrorResponse(req.status());
    auto res = search_.Search(*req);
    if (!res.ok()) return ErrorResponse(res.status());
    for (const Hit& hit : res->hits) matched.insert(hit.key);
  }
  std::vector<const ChangeEntry*> entries;
  for (const ChangeEntry& e : *recent)
    if (matched.count(e.key) && entries.size() < kEntries) entries.push_back(&e);

  const std::string query = UrlFor("", params);  // "?query.cond=..." or ""
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  Element(out, "title", FeedTitle(params));
  Element(out, "subtitle", "New studies matching this search, and changes to their status, sites or criteria");
  out += "  <id>tag:trialscope,2026:search" + Xml(query) + "</id>\n";
  Element(out, "updated", entries.empty() ? IsoTimestampUtc(clock_.NowUnixSeconds()) : entries.front()->info.imported_at);
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + Xml("/search.atom" + query) + "\"/>\n";
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + Xml("/search" + query) + "\"/>\n";
  out += "  <author><name>trialscope</name></author>\n  <generator>trialscope</generator>\n";
  for (const ChangeEntry* e : entries) Entry(out, *e);
  out += "</feed>\n";
  return {200, std::move(out), "application/atom+xml; charset=utf-8"};
}

}  // namespace ts
