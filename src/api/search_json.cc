#include "api/search_json.h"

#include <cmath>

#include "common/json_writer.h"
#include "service/study_projection.h"

namespace ts {

Result<std::string> SearchResultJson(const SearchResult& r, const std::vector<StudyListing>& listings,
                                     const std::vector<std::string>& fields, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("studies");
  w.BeginArray();
  for (const StudyListing& l : listings) {
    if (fields.empty()) {
      w.Raw(l.study.json);
      continue;
    }
    auto p = ProjectStudyJson(l.study.json, fields);
    if (!p.ok()) return p.status();
    w.Raw(*p);
  }
  w.EndArray();
  if (!r.next_page_token.empty()) {
    w.Key("nextPageToken");
    w.String(r.next_page_token);
  }
  w.Key("totalCount");
  w.Int(r.total);
  w.Key("hits");
  w.BeginArray();
  for (size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    w.BeginObject();
    w.Key("id");
    w.String(h.key);
    w.Key("score");
    w.Double(h.score);
    w.Key("matches");
    w.BeginArray();
    for (const auto& m : h.matches) {
      w.BeginObject();
      w.Key("query");
      w.String(m.source);
      w.Key("matched");
      w.String(m.matched);
      w.Key("viaAlias");
      w.Bool(m.via_alias);
      w.Key("fields");
      w.BeginArray();
      for (const auto& f : m.fields) w.String(f);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    if (h.distance_km) {
      const SiteView& site = *listings[i].nearest_site;
      w.Key("distanceKm");
      w.Double(std::round(*h.distance_km * 10) / 10);
      w.Key("nearestSite");
      w.BeginObject();
      w.Key("index");
      w.Int(static_cast<int64_t>(*h.nearest_site));
      for (auto [key, name] : {std::pair{"city", site.city}, {"state", site.state}, {"country", site.country}}) {
        if (name.empty()) continue;
        w.Key(key);
        w.String(name);
      }
      w.Key("located");
      w.String(site.geocoded ? "city (gazetteer)" : "record");
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  if (!r.facets.empty()) {
    w.Key("facets");
    w.BeginObject();
    for (const auto& [name, counts] : r.facets) {
      w.Key(name);
      w.BeginArray();
      for (const auto& c : counts) {
        w.BeginObject();
        w.Key("value");
        w.String(c.value);
        w.Key("count");
        w.Int(c.count);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.Key("query");
  w.String(r.query);
  if (!r.warnings.empty()) {
    w.Key("warnings");
    w.BeginArray();
    for (const auto& s : r.warnings) w.String(s);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string RelatedJson(std::string_view key, const std::vector<RelatedStudy>& related, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("id");
  w.String(key);
  w.Key("related");
  w.BeginArray();
  for (const auto& r : related) {
    w.BeginObject();
    w.Key("id");
    w.String(r.key);
    w.Key("briefTitle");
    w.String(r.brief_title);
    w.Key("score");
    w.Double(r.score);
    w.Key("shared");
    w.BeginArray();
    for (const auto& s : r.shared) w.String(s);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace ts
