// The home page, the search results page and the location pages of WebSite.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "web/site.h"

namespace ts {

namespace {

// The facets shown in the sidebar, with their filter parameter and heading.
struct FacetSpec {
  std::string_view facet;
  std::string_view param;
  std::string_view heading;
};
constexpr FacetSpec kFacetSpecs[] = {
    {"overallStatus", "filter.overallStatus", "Recruitment status"},
    {"phase", "filter.phase", "Phase"},
    {"studyType", "filter.studyType", "Study type"},
    {"interventionType", "filter.interventionType", "Intervention type"},
    {"funderType", "filter.funderType", "Funder type"},
    {"country", "filter.country", "Country"},
};

// The site's own parameters, not passed to the search.
constexpr std::string_view kWebOnly[] = {"start"};

struct SortChoice {
  std::string_view value;
  std::string_view label;
};
constexpr SortChoice kSorts[] = {{"", "Best match"},
                                 {"LastUpdatePostDate:desc", "Recently updated"},
                                 {"StartDate:desc", "Start date (newest)"},
                                 {"EnrollmentCount:desc", "Enrollment (largest)"},
                                 {"@distance:asc", "Distance (nearest)"}};
constexpr std::string_view kRadii[] = {"25km", "50km", "100km", "250km", "500km", "1000km"};

std::string DisplayValue(std::string_view facet, const std::string& v) {
  if (facet == "overallStatus") {
    if (auto e = ParseApiName<OverallStatus>(v)) return std::string(Label(*e));
  } else if (facet == "phase") {
    if (auto e = ParseApiName<Phase>(v)) return std::string(Label(*e));
  } else if (facet == "studyType") {
    if (auto e = ParseApiName<StudyType>(v)) return std::string(Label(*e));
  } else if (facet == "interventionType") {
    if (auto e = ParseApiName<InterventionType>(v)) return std::string(Label(*e));
  } else if (facet == "funderType") {
    if (auto e = ParseApiName<AgencyClass>(v)) return std::string(Label(*e));
  }
  return v;
}

// Form values -> search parameters: empty values dropped, repeated filters joined with commas.
Params Normalise(const Params& in) {
  Params out;
  for (const auto& kv : in) {
    const std::string& k = kv.first;
    std::string value(Trim(kv.second));
    if (value.empty()) continue;
    auto it = std::find_if(out.begin(), out.end(), [&k](const auto& p) { return p.first == k; });
    if (it != out.end() && StartsWith(k, "filter.")) {
      it->second += "," + value;
    } else if (it != out.end()) {
      it->second = value;
    } else {
      out.emplace_back(k, value);
    }
  }
  return out;
}

std::vector<std::string> Selected(const Params& params, std::string_view param) {
  std::vector<std::string> out;
  const std::string list = web::Param(params, param);  // Split returns views into it
  for (auto v : Split(list, ','))
    if (!Trim(v).empty()) out.emplace_back(Trim(v));
  return out;
}

std::string Km(double km) {
  char buf[32];
  std::snprintf(buf, sizeof buf, km < 10 ? "%.1f km" : "%.0f km", km);
  return buf;
}

void SearchForm(HtmlWriter& h, const Params& p, bool big) {
  h << (big ? Markup("<div class=\"searchbox big\">") : Markup("<div class=\"searchbox\">"));
  auto field = [&](std::string_view id, std::string_view name, std::string_view label, std::string_view hint) {
    h << Markup("<div class=\"field\">");
    h.Open(Markup("label"), {{"for", id}}) << label << Markup("</label>");
    h.Open(Markup("input"), {{"id", id}, {"name", name}, {"type", "search"}, {"value", web::Param(p, name)}, {"placeholder", hint}});
    h << Markup("</div>");
  };
  field("q-cond", "query.cond", "Condition or disease", "e.g. aplastic anemia, ITP");
  field("q-intr", "query.intr", "Drug or treatment", "e.g. hetrombopag, rhTPO");
  field("q-near", "near", "Place", "e.g. Tianjin, China");
  h << Markup("<div class=\"field small\"><label for=\"q-radius\">Within</label><select id=\"q-radius\" name=\"radius\">");
  std::string radius = web::Param(p, "radius");
  if (radius.empty()) radius = "100km";
  for (std::string_view r : kRadii) {
    if (r == radius) h.Open(Markup("option"), {{"value", r}, {"selected", "selected"}});
    else h.Open(Markup("option"), {{"value", r}});
    h << r << Markup("</option>");
  }
  h << Markup("</select></div>");
  field("q-term", "query.term", "Other words", "e.g. NCT05236582, children");
  h << Markup("<div class=\"field go\"><button type=\"submit\" class=\"primary\">Search trials</button></div></div>\n");
}

// Form values -> the parameters of the search: the site's own dropped; nearest first for a place
// searched alone; ten per page unless asked; the counts of every sidebar facet.
Params SearchParamsFor(const Params& params) {
  Params search;
  for (const auto& kv : params)
    if (std::find(std::begin(kWebOnly), std::end(kWebOnly), kv.first) == std::end(kWebOnly)) search.push_back(kv);
  bool has_near = !web::Param(params, "near").empty();
  if (web::Param(params, "sort").empty() && has_near && web::Param(params, "query.cond").empty() && web::Param(params, "query.intr").empty() &&
      web::Param(params, "query.term").empty()) {
    search.emplace_back("sort", "@distance:asc");
  }
  if (web::Param(params, "pageSize").empty()) search.emplace_back("pageSize", "10");
  std::string facets;
  for (const FacetSpec& f : kFacetSpecs) facets += (facets.empty() ? "" : ",") + std::string(f.facet);
  search.emplace_back("facets", facets);
  return search;
}

// Disjunctive facets: for a group with a selection, count its values without its own filter, so
// the other values stay visible (and can be added). A recount that fails keeps the first counts.
std::map<std::string, std::vector<FacetCount>> FacetCounts(const SearchService& service, const Params& params,
                                                           const Params& search, const SearchResult& res) {
  std::map<std::string, std::vector<FacetCount>> facet_counts = res.facets;
  for (const FacetSpec& f : kFacetSpecs) {
    if (web::Param(params, f.param).empty()) continue;
    Params without;
    for (const auto& kv : search)
      if (kv.first != f.param && kv.first != "pageToken" && kv.first != "facets" && kv.first != "pageSize") without.push_back(kv);
    without.emplace_back("facets", std::string(f.facet));
    without.emplace_back("pageSize", "1");
    without.emplace_back("explain", "false");
    auto r2 = ParseSearchParams(without);
    if (!r2.ok()) continue;
    auto res2 = service.Search(*r2);
    if (res2.ok()) facet_counts[std::string(f.facet)] = res2->facets[std::string(f.facet)];
  }
  return facet_counts;
}

// What the sections of the results page read.
struct SearchView {
  const Params& params;  // the normalised form values
  const SearchResult& res;
  std::map<std::string, std::vector<FacetCount>> facet_counts;  // by facet name, see FacetCounts
  bool has_near = false;  // a place was given
  int64_t start = 0;      // the 0-based rank of the first hit shown
  const SearchService& service;
};

// One facet's checkboxes; selected values stay listed even with no count. Nothing for a facet with no values.
void FacetFieldset(HtmlWriter& h, const FacetSpec& f, const SearchView& v) {
  std::vector<FacetCount> counts;
  if (auto it = v.facet_counts.find(std::string(f.facet)); it != v.facet_counts.end()) counts = it->second;
  std::vector<std::string> selected = Selected(v.params, f.param);
  for (const std::string& s : selected) {
    if (std::none_of(counts.begin(), counts.end(), [&](const FacetCount& c) { return c.value == s; })) counts.push_back({s, 0});
  }
  if (counts.empty()) return;
  if (f.facet == "country" && counts.size() > 12 && selected.empty()) counts.resize(12);
  h.Open(Markup("fieldset"), {{"class", "facet"}, {"data-facet", f.facet}}) << Markup("<legend>") << f.heading << Markup("</legend>\n");
  for (const FacetCount& c : counts) {
    std::string id = std::string(f.facet) + "-";  // an HTML id has no spaces: "country-Korea--Republic-of"
    for (char ch : c.value) id += std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ? ch : '-';
    bool on = std::find(selected.begin(), selected.end(), c.value) != selected.end();
    h << Markup("<div class=\"opt\">");
    if (on) h.Open(Markup("input"), {{"type", "checkbox"}, {"id", id}, {"name", f.param}, {"value", c.value}, {"checked", "checked"}});
    else h.Open(Markup("input"), {{"type", "checkbox"}, {"id", id}, {"name", f.param}, {"value", c.value}});
    h.Open(Markup("label"), {{"for", id}}) << DisplayValue(f.facet, c.value) << Markup(" <span class=\"count\">")
                                           << c.count << Markup("</span></label></div>\n");
  }
  h << Markup("</fieldset>\n");
}

// The sidebar: a fieldset per facet of kFacetSpecs, the apply and clear controls.
void FiltersSection(HtmlWriter& h, std::string_view id, const SearchView& v) {
  const std::string heading = std::string(id) + "-h";
  h.Open(Markup("aside"), {{"class", "filters"}, {"aria-labelledby", heading}});
  h.Open(Markup("h2"), {{"id", heading}}) << Markup("Filters</h2>\n");
  for (const FacetSpec& f : kFacetSpecs) FacetFieldset(h, f, v);
  h << Markup("<button type=\"submit\" class=\"apply\">Apply filters</button> <a href=\"/search\">Clear all</a>\n</aside>\n");
}

// Status, phase, type, conditions, treatments, sponsor, size, sites and the nearest site of one hit.
void HitFacts(HtmlWriter& h, const Hit& hit, const Study& s) {
  h << Markup("<p class=\"meta\">") << Markup::Trusted(web::StatusBadge(s.status.overall_status));
  std::string phase = web::PhaseText(s.design.phases);
  if (!phase.empty()) h << Markup(" <span class=\"badge phase\">") << phase << Markup("</span>");
  if (s.design.study_type) h << Markup(" <span class=\"badge\">") << Label(*s.design.study_type) << Markup("</span>");
  h << Markup(" <span class=\"id\">") << hit.key << Markup("</span></p>\n");
  if (!s.conditions.empty()) h << Markup("<p><span class=\"k\">Conditions:</span> ") << Join(s.conditions, ", ") << Markup("</p>\n");
  std::vector<std::string> intr;
  for (const Intervention& i : s.interventions) intr.push_back(i.name);
  if (!intr.empty()) h << Markup("<p><span class=\"k\">Treatments:</span> ") << Join(intr, ", ") << Markup("</p>\n");
  h << Markup("<p class=\"facts\">");
  if (!s.lead_sponsor.name.empty()) h << Markup("<span>") << s.lead_sponsor.name << Markup("</span>");
  if (s.design.enrollment_count) h << Markup("<span>") << std::to_string(*s.design.enrollment_count) << Markup(" participants</span>");
  if (!s.locations.empty()) {
    h << Markup("<span>") << std::to_string(s.locations.size()) << (s.locations.size() == 1 ? Markup(" site") : Markup(" sites"));
    if (!s.locations[0].country.empty()) h << Markup(" \xC2\xB7 ") << s.locations[0].country;
    h << Markup("</span>");
  }
  h << Markup("</p>\n");
  if (hit.distance_km && hit.nearest_site && *hit.nearest_site < s.locations.size()) {
    const Location& l = s.locations[*hit.nearest_site];
    h << Markup("<p class=\"distance\"><strong>") << Km(*hit.distance_km) << Markup("</strong> away: ")
      << (l.facility.empty() ? l.city : l.facility) << (l.city.empty() || l.facility.empty() ? Markup("") : Markup(", "))
      << (l.facility.empty() ? "" : l.city) << Markup("</p>\n");
  }
}

// "Matched: x (alias of "y") in title; ..." for a hit with explanations; nothing otherwise.
void HitMatches(HtmlWriter& h, const Hit& hit) {
  if (hit.matches.empty()) return;
  h << Markup("<p class=\"matched\"><span class=\"k\">Matched:</span> ");
  bool first = true;
  for (const MatchExplanation& m : hit.matches) {
    if (!first) h << Markup("; ");
    first = false;
    h << Markup("<mark>") << m.matched << Markup("</mark>");
    if (m.via_alias) h << Markup(" <span class=\"alias\">(alias of \xE2\x80\x9C") << m.source << Markup("\xE2\x80\x9D)</span>");
    if (!m.fields.empty()) h << Markup(" in ") << Join(m.fields, ", ");
  }
  h << Markup("</p>\n");
}

// One hit: its title linked to the trial page (with the place, so the page shows distances), its
// facts when the stored study parses, what matched.
void HitItem(HtmlWriter& h, const Hit& hit, const SearchView& v, StudyJsonReader& reader) {
  auto served = v.service.studies().Find(hit.key);
  Result<Study> study = served ? ParseStudy(*served, reader) : Result<Study>(Status::NotFound(hit.key));
  h << Markup("<li class=\"hit\"><h3>");
  h.Open(Markup("a"), {{"href", UrlFor("/study/" + UrlEncode(hit.key), {{"near", v.has_near ? web::Param(v.params, "near") : ""}})}})
      << hit.brief_title << Markup("</a></h3>\n");
  if (study.ok()) HitFacts(h, hit, *study);
  HitMatches(h, hit);
  h << Markup("</li>\n");
}

// "First page", "Showing a-b of n", "Next page"; nothing when there are no hits.
void Pager(HtmlWriter& h, const SearchView& v) {
  if (v.res.total == 0) return;
  int64_t last = v.start + static_cast<int64_t>(v.res.hits.size());
  h << Markup("<nav class=\"pager\" aria-label=\"Result pages\">");
  Params base;
  for (const auto& kv : v.params)
    if (kv.first != "pageToken" && kv.first != "start") base.push_back(kv);
  if (v.start > 0) h.Open(Markup("a"), {{"href", UrlFor("/search", base)}, {"rel", "first"}}) << Markup("\xE2\x86\x90 First page</a>");
  h << Markup("<span class=\"range\">Showing ") << std::to_string(v.start + 1) << Markup("\xE2\x80\x93") << std::to_string(last)
    << Markup(" of ") << std::to_string(v.res.total) << Markup("</span>");
  if (!v.res.next_page_token.empty()) {
    Params next = base;
    next.emplace_back("pageToken", v.res.next_page_token);
    next.emplace_back("start", std::to_string(last));
    h.Open(Markup("a"), {{"href", UrlFor("/search", next)}, {"rel", "next"}}) << Markup("Next page \xE2\x86\x92</a>");
  }
  h << Markup("</nav>\n");
}

// The count, the sort control, warnings, the hits and the pager.
void ResultsSection(HtmlWriter& h, std::string_view id, const SearchView& v) {
  const SearchResult& res = v.res;
  const std::string heading = std::string(id) + "-h";
  h.Open(Markup("section"), {{"class", "results"}, {"aria-labelledby", heading}});
  h << Markup("\n<div class=\"summary\">");
  h.Open(Markup("h2"), {{"id", heading}});
  if (res.total == 0) {
    h << Markup("No trials found");
  } else {
    h << std::to_string(res.total) << (res.total == 1 ? Markup(" trial") : Markup(" trials"));
  }
  h << Markup("</h2><div class=\"sort\"><label for=\"sort\">Sort by</label><select id=\"sort\" name=\"sort\">");
  std::string sort = web::Param(v.params, "sort");
  for (const SortChoice& s : kSorts) {
    if (s.value == "@distance:asc" && !v.has_near) continue;
    if (s.value == sort) h.Open(Markup("option"), {{"value", s.value}, {"selected", "selected"}});
    else h.Open(Markup("option"), {{"value", s.value}});
    h << s.label << Markup("</option>");
  }
  h << Markup("</select> <button type=\"submit\" class=\"secondary\">Sort</button></div></div>\n");
  for (const std::string& w : res.warnings) h << Markup("<p class=\"note\">") << w << Markup("</p>\n");
  if (res.total == 0) {
    h << Markup("<p>Try fewer words, another spelling, a wider distance, or fewer filters.</p>\n");
  }
  h.Open(Markup("ol"), {{"class", "hits"}, {"start", std::to_string(v.start + 1)}});
  StudyJsonReader reader;  // one for the page: its buffers are reused
  for (const Hit& hit : res.hits) HitItem(h, hit, v, reader);
  h << Markup("</ol>\n");
  Pager(h, v);
  h << Markup("</section>\n");
}

// A part of the results page: `id` names its anchor ("<id>-h" on its heading); `render` writes
// the whole element.
struct SearchSection {
  std::string_view id;
  void (*render)(HtmlWriter&, std::string_view id, const SearchView&);
};
constexpr SearchSection kSearchSections[] = {{"filters", FiltersSection}, {"results", ResultsSection}};

}  // namespace

HttpResponse WebSite::Home() const {
  HtmlWriter h;
  h << Markup("<section class=\"hero\"><h1>Find a clinical trial</h1>"
              "<p class=\"lead\">Search ")
    << std::to_string(search_.studies().size())
    << Markup(" trials by condition, drug and place. Different names for the same drug or disease are found "
              "together, and every result says what matched.</p>\n<form action=\"/search\" method=\"get\" role=\"search\">");
  SearchForm(h, {}, true);
  h << Markup("</form></section>\n<section class=\"cards\">\n"
              "<div class=\"card\"><h2>Browse by location</h2><p>Countries and cities with the number of trials in each.</p>"
              "<p><a href=\"/locations\">Trials by location</a></p></div>\n"
              "<div class=\"card\"><h2>Recruiting now</h2><p>Only trials that are looking for participants today.</p>"
              "<p><a href=\"/search?filter.overallStatus=RECRUITING\">Recruiting trials</a></p></div>\n"
              "<div class=\"card\"><h2>Examples</h2><ul class=\"plain\">"
              "<li><a href=\"/search?query.intr=herombopag\">herombopag</a> (also finds hetrombopag)</li>"
              "<li><a href=\"/search?query.cond=NSAA\">NSAA</a> (non-severe aplastic anemia)</li>"
              "<li><a href=\"/search?query.cond=thrombocytopenia&amp;near=Tianjin\">thrombocytopenia near Tianjin</a></li>"
              "</ul></div>\n</section>\n");
  return Page("Find a clinical trial", h.Take(), "Search clinical trials by condition, drug and place.");
}

namespace web {
Params FeedSearchParams(const Params& raw) {
  constexpr std::string_view kNotForFeeds[] = {"start", "pageToken", "pageSize", "sort", "facets", "explain", "countTotal"};
  Params out;
  for (const auto& kv : Normalise(raw))
    if (std::find(std::begin(kNotForFeeds), std::end(kNotForFeeds), kv.first) == std::end(kNotForFeeds)) out.push_back(kv);
  return out;
}
}  // namespace web

HttpResponse WebSite::SearchPage(const Params& raw) const {
  Params params = Normalise(raw);
  Params search = SearchParamsFor(params);
  HtmlWriter h;
  h << Markup("<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\n");
  h << Markup("<h1 class=\"visually-hidden\">Search results</h1>");
  SearchForm(h, params, false);

  auto req = ParseSearchParams(search);
  Result<SearchResult> res = req.ok() ? search_.Search(*req) : Result<SearchResult>(req.status());
  if (!res.ok()) {
    h << Markup("<div class=\"error\" role=\"alert\"><h2>We could not run this search</h2><p>") << res.status().message()
      << Markup("</p>");
    web::PlaceChoices(h, search_, "/search", params);
    h << Markup("<p>Check the words and filters above, or <a href=\"/search\">start again</a>.</p></div></form>\n");
    return Page("Search problem", h.Take(), "", 400);
  }
  SearchView view{params, *res, FacetCounts(search_, params, search, *res), !web::Param(params, "near").empty(), 0, search_};
  ParseInt64(web::Param(params, "start"), &view.start);
  view.start = std::max<int64_t>(view.start, 0);

  h << Markup("<div class=\"results-layout\">\n");
  for (const SearchSection& sec : kSearchSections) sec.render(h, sec.id, view);
  h << Markup("</div>\n</form>\n");
  std::string title = "Search";
  for (const auto& [k, v] : params)
    if (StartsWith(k, "query.") || k == "near") title += " \xC2\xB7 " + v;
  return Page(title, h.Take());
}

HttpResponse WebSite::LocationsPage() const {
  HtmlWriter h;
  h << Markup("<h1>Trials by location</h1>\n<p class=\"lead\">Choose a country to see its cities, or search near a place.</p>\n"
              "<form class=\"inline\" action=\"/search\" method=\"get\"><label for=\"loc-near\">Near</label>"
              "<input id=\"loc-near\" name=\"near\" type=\"text\" placeholder=\"City, country\" required>"
              "<button type=\"submit\" class=\"primary\">Find trials near this place</button></form>\n");
  h << Markup("<ul class=\"columns places\">\n");
  for (const Country& c : countries_) {
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", "/locations/" + UrlEncode(c.name)}}) << c.name << Markup("</a> <span class=\"count\">")
                                                                        << c.studies << Markup("</span></li>\n");
  }
  h << Markup("</ul>\n");
  return Page("Trials by location", h.Take(), "Clinical trials by country and city.");
}

HttpResponse WebSite::CountryPage(const std::string& name) const {
  auto it = std::find_if(countries_.begin(), countries_.end(), [&](const Country& c) { return EqualsIgnoreCase(c.name, name); });
  if (it == countries_.end()) return NotFoundPage("trials in \"" + name.substr(0, 80) + "\"");
  HtmlWriter h;
  h << Markup("<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a href=\"/locations\">Trials by location</a> \xE2\x80\xBA ") << it->name
    << Markup("</nav>\n<h1>Trials in ") << it->name << Markup("</h1>\n<p class=\"lead\">");
  h.Open(Markup("a"), {{"href", UrlFor("/search", {{"filter.country", it->name}})}})
      << Markup("All ") << it->studies << Markup(" trials in ") << it->name << Markup("</a>, or choose a city:</p>\n");
  h << Markup("<ul class=\"columns places\">\n");
  for (const City& c : it->cities) {
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", UrlFor("/search", {{"filter.country", it->name}, {"filter.city", c.name}})}})
        << c.name << Markup("</a> <span class=\"count\">") << c.studies << Markup("</span></li>\n");
  }
  h << Markup("</ul>\n");
  return Page("Trials in " + it->name, h.Take());
}

}  // namespace ts
