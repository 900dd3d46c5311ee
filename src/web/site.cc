#include "web/site.h"

#include <algorithm>
#include <map>

#include "common/strings.h"
#include "ingest/ctgov_json.h"

namespace ts {

extern const std::string_view kSiteCss;  // generated from resources/web/site.css
extern const std::string_view kSiteJs;   // generated from resources/web/site.js

namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'";

HttpResponse Html(int status, std::string body) {
  HttpResponse r{status, std::move(body), "text/html; charset=utf-8"};
  r.headers = {{"Content-Security-Policy", std::string(kCsp)},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "same-origin"}};
  return r;
}

HttpResponse Static(std::string_view body, const char* type) {
  HttpResponse r{200, std::string(body), type};
  r.headers = {{"Cache-Control", "public, max-age=3600"}, {"X-Content-Type-Options", "nosniff"}};
  return r;
}

// The site's icon: the "ts" mark of the header, as SVG.
constexpr std::string_view kIconSvg =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" "
    "fill=\"#0b5cad\"/><text x=\"16\" y=\"21\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"700\" "
    "fill=\"#fff\" text-anchor=\"middle\">ts</text></svg>";

}  // namespace

namespace web {

std::string Param(const Params& params, std::string_view key) {
  for (const auto& [k, v] : params)
    if (k == key) return std::string(Trim(v));
  return "";
}

std::string StatusBadge(const std::optional<OverallStatus>& status) {
  HtmlWriter h;
  if (!status) return "";
  std::string cls = "badge status-" + ToLowerAscii(ApiName(*status));
  h.Open(Markup("span"), {{"class", cls}}) << Label(*status) << Markup("</span>");
  return h.Take();
}

std::string PhaseText(const std::vector<Phase>& phases) {
  std::vector<std::string> out;
  for (Phase p : phases)
    if (p != Phase::kNa) out.emplace_back(Label(p));  // "not applicable" is no phase to show
  return Join(out, " / ");
}

void PlaceChoices(HtmlWriter& h, const SearchService& search, std::string_view path, const Params& params,
                  std::string_view fragment) {
  const std::string near = Param(params, "near");
  if (near.empty()) return;
  const auto candidates = search.PlaceCandidates(near);
  if (candidates.empty()) return;
  h << Markup("<div class=\"choices\"><p>Which ") << near << Markup(" did you mean?</p>\n<ul class=\"place-choices\">\n");
  for (const Gazetteer::Candidate& c : candidates) {
    Params with = params;
    for (auto& [k, v] : with)
      if (k == "near") v = c.query;
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", UrlFor(path, with) + std::string(fragment)}}) << c.place.ToString() << Markup("</a></li>\n");
  }
  h << Markup("</ul></div>\n");
}


// The request's parameters, with a posted form body decoded when the server did not parse it.
Params FormValues(const HttpRequest& r) {
  Params form = r.params;
  if (r.method == "POST" && Param(form, "form").empty()) {  // the body was not parsed into params
    for (auto pair : Split(r.body, '&')) {
      size_t eq = pair.find('=');
      form.emplace_back(UrlDecode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1)));
    }
  }
  return form;
}

}  // namespace web

WebSite::WebSite(const SearchService& search, const ScreeningService* screening, const Clock& clock, SiteOptions options,
                 const ChangeLog* changes)
    : search_(search), screening_(screening), clock_(clock), options_(std::move(options)), changes_(changes) {
  countries_ = search_.StudiesByPlace();
  if (auto protocols = ProtocolService::Build(search_.studies()); protocols.ok()) protocols_ = std::move(*protocols);
}

HttpResponse WebSite::Handle(const HttpRequest& r) const {
  const std::string& p = r.path;
  if (r.method == "POST") {
    if (StartsWith(p, "/study/") && EndsWith(p, "/check")) return CheckPage(p.substr(7, p.size() - 7 - 6), r);
    if (StartsWith(p, "/study/") && EndsWith(p, "/timeline")) return TimelinePage(p.substr(7, p.size() - 7 - 9), r);
    if (StartsWith(p, "/study/") && EndsWith(p, "/cohort")) return CohortPage(p.substr(7, p.size() - 7 - 7), r);
    return ErrorPage(405, "Not allowed", "This address does not accept form posts.");
  }
  if (r.method != "GET" && r.method != "HEAD") return ErrorPage(405, "Not allowed", "Only GET is allowed here.");
  if (p == "/" || p == "/index.html") return Home();
  if (p == "/search") return SearchPage(r.params);
  if (p == "/search.atom") return AtomFeed(r.params);
  if (p == "/static/site.css") return Static(kSiteCss, "text/css; charset=utf-8");
  if (p == "/static/site.js") return Static(kSiteJs, "text/javascript; charset=utf-8");
  if (p == "/static/icon.svg" || p == "/favicon.ico") return Static(kIconSvg, "image/svg+xml");
  if (p == "/healthz") return {200, "ok\n", "text/plain"};
  if (p == "/locations" || p == "/locations/") return LocationsPage();
  if (StartsWith(p, "/locations/")) return CountryPage(p.substr(11));
  if (StartsWith(p, "/study/")) {
    std::string rest = p.substr(7);
    if (EndsWith(rest, "/plain")) return PlainPage(rest.substr(0, rest.size() - 6));
    if (EndsWith(rest, "/check")) return CheckPage(rest.substr(0, rest.size() - 6), r);
    if (EndsWith(rest, "/timeline")) return TimelinePage(rest.substr(0, rest.size() - 9), r);
    if (EndsWith(rest, "/cohort")) return CohortPage(rest.substr(0, rest.size() - 7), r);
    if (rest.find('/') == std::string::npos && !rest.empty()) return StudyPage(rest, r.params);
  }
  return NotFoundPage("the page " + p.substr(0, 200));
}

Result<Study> WebSite::LoadStudy(const std::string& id, StudyView* view) const {
  auto found = search_.studies().Find(id);
  if (!found) return Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\"");
  if (view) *view = *found;
  return ParseStudy(*found);
}

HttpResponse WebSite::Page(const std::string& title, const std::string& body, const std::string& description,
                          int http_status) const {
  HtmlWriter h;
  h << Markup("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
    << title << Markup(" \xC2\xB7 trialscope</title>\n");
  if (!description.empty()) h.Open(Markup("meta"), {{"name", "description"}, {"content", description.substr(0, 300)}}) << Markup("\n");
  h << Markup("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
              "<link rel=\"stylesheet\" href=\"/static/site.css\">\n"
              "<script src=\"/static/site.js\" defer></script>\n</head>\n<body>\n"
              "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
              "<header class=\"site\"><div class=\"wrap bar\">\n"
              "<a class=\"brand\" href=\"/\"><span class=\"logo\" aria-hidden=\"true\">ts</span> trialscope</a>\n"
              "<nav aria-label=\"Site\"><a href=\"/search\">Search</a> <a href=\"/locations\">Trials by location</a> "
              "<a href=\"/search?filter.overallStatus=RECRUITING\">Recruiting now</a></nav>\n"
              "<form class=\"near\" action=\"/search\" method=\"get\" role=\"search\">"
              "<label for=\"hdr-near\">Trials near</label>"
              "<input id=\"hdr-near\" name=\"near\" type=\"text\" placeholder=\"City, country\" autocomplete=\"address-level2\">"
              "<button type=\"submit\">Go</button></form>\n"
              "</div></header>\n<main id=\"main\" class=\"wrap\">\n")
    << Markup::Trusted(body)
    << Markup("</main>\n<footer class=\"site\"><div class=\"wrap\">\n"
              "<p>Data from ClinicalTrials.gov and the records imported into this registry");
  if (!options_.data_timestamp.empty()) h << Markup(", as of ") << options_.data_timestamp;
  h << Markup(". Information here is for education, not medical advice: talk to your doctor before joining a trial.</p>\n"
              "<p><a href=\"/api/v2/studies\">API</a> \xC2\xB7 <a href=\"/locations\">Trials by location</a></p>\n"
              "</div></footer>\n</body>\n</html>\n");
  return Html(http_status, h.Take());
}

HttpResponse WebSite::ErrorPage(int http_status, const std::string& title, const std::string& message) const {
  HtmlWriter h;
  h << Markup("<section class=\"notice\"><h1>") << title << Markup("</h1><p>") << message
    << Markup("</p><p><a href=\"/\">Start a new search</a></p></section>\n");
  return Page(title, h.Take(), "", http_status);
}

HttpResponse WebSite::NotFoundPage(const std::string& what) const {
  return ErrorPage(404, "Not found", "We could not find " + what + ".");
}

}  // namespace ts
