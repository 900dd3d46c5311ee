#include "search_text.h"

#include <cstdio>
#include <sstream>

#include "common/strings.h"

namespace ts {

std::string SearchResultTable(const SearchResult& r, const std::vector<StudyListing>& listings) {
  std::ostringstream out;
  out << r.total << (r.total == 1 ? " study" : " studies") << " match " << r.query << "\n";
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
  for (size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    const StudyListing& a = listings[i];
    std::vector<std::string> phases;
    for (Phase p : a.phases) phases.emplace_back(ApiName(p));
    std::string title(a.brief_title.size() > 70 ? std::string(a.brief_title.substr(0, 67)) + "..." : a.brief_title);
    char line[512];
    std::snprintf(line, sizeof(line), "%-16s %-22s %-14s %s", h.key.c_str(),
                  a.status ? std::string(ApiName(*a.status)).c_str() : "-", Join(phases, "/").c_str(), title.c_str());
    out << line;
    if (h.distance_km) {
      const SiteView& site = *a.nearest_site;
      std::snprintf(line, sizeof(line), "  [%.1f km: %s]", *h.distance_km,
                    site.city.empty() ? "site" : std::string(site.city).c_str());
      out << line;
    }
    out << "\n";
    for (const auto& m : h.matches) {
      out << "    matched \"" << m.source << "\"";
      if (m.via_alias) out << " via alias \"" << m.matched << "\"";
      out << " in " << Join(m.fields, ", ") << "\n";
    }
  }
  for (const auto& [name, counts] : r.facets) {
    out << "facet " << name << ":";
    for (const auto& c : counts) out << " " << c.value << "=" << c.count;
    out << "\n";
  }
  if (!r.next_page_token.empty()) out << "next page: --pageToken " << r.next_page_token << "\n";
  return out.str();
}

}  // namespace ts
