// The web site, served by `trialscope serve` beside the API: server-rendered HTML pages that work
// without JavaScript.
//   /                         home: search by condition, drug and place
//   /search?query.cond=...    results with filters, facet counts, sort, paging, what matched
//                             (the API v2 parameter names; `near`/`radius` for distance)
//   /study/{id}               the full trial page; /study/{id}/plain the plain-language summary;
//   /study/{id}/check         "Check if I may qualify" (a form; nothing is stored)
//   /study/{id}/timeline      follow one patient through an arm (a form); /study/{id}/cohort endpoint rates of
//                             many subjects and a randomisation list
//   /search.atom?...          the same search as an Atom 1.0 feed of its studies' changes (atom_feed.cc)
//   /locations                countries with counts; /locations/{country} its cities
//   /static/site.css, /static/site.js, /healthz
// Every record value is HTML-escaped (see html.h) and every page sends a Content-Security-Policy
// that allows only our own script and style files.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "geo/gazetteer.h"
#include "http/handler.h"
#include "model/study.h"
#include "service/protocol_service.h"
#include "service/change_log.h"
#include "service/screening_service.h"
#include "service/search_service.h"
#include "web/html.h"

namespace ts {

struct SiteOptions {
  std::string data_timestamp;  // shown in the footer
};

class WebSite final : public RequestHandler {
 public:
  // `search`, `screening`, `clock` and `changes` must outlive the site; `screening` may be null (no eligibility
  // check pages), `changes` too (no "Changes" on trial pages, no Atom feeds). `clock` dates the check form's
  // answers and the tense of the plain-language summary.
  WebSite(const SearchService& search, const ScreeningService* screening, const Clock& clock, SiteOptions options,
          const ChangeLog* changes = nullptr);

  HttpResponse Handle(const HttpRequest& request) const override;

  // Countries and their cities with the number of studies having a site there (built once).
  using Country = CountryCount;
  using City = CityCount;
  const std::vector<Country>& countries() const { return countries_; }

 private:
  HttpResponse Home() const;
  HttpResponse SearchPage(const Params& params) const;
  HttpResponse StudyPage(const std::string& id, const Params& params) const;
  HttpResponse PlainPage(const std::string& id) const;
  HttpResponse CheckPage(const std::string& id, const HttpRequest& request) const;
  HttpResponse TimelinePage(const std::string& id, const HttpRequest& request) const;  // protocol_pages.cc
  HttpResponse CohortPage(const std::string& id, const HttpRequest& request) const;    // protocol_pages.cc
  HttpResponse AtomFeed(const Params& params) const;  // atom_feed.cc
  HttpResponse LocationsPage() const;
  HttpResponse CountryPage(const std::string& country) const;
  HttpResponse NotFoundPage(const std::string& what) const;
  HttpResponse ErrorPage(int http_status, const std::string& title, const std::string& message) const;

  // The study behind an ID (parsed from the served API v2 JSON), and its view in *view; NotFound otherwise.
  Result<Study> LoadStudy(const std::string& id, StudyView* view = nullptr) const;
  void SimilarResults(HtmlWriter& h, const StudyView& served, const Study& s) const;
  // A whole page: <head>, the site header with the search box, `body`, the footer.
  HttpResponse Page(const std::string& title, const std::string& body, const std::string& description = "",
                   int http_status = 200) const;

  const SearchService& search_;
  const ScreeningService* screening_;
  std::unique_ptr<ProtocolService> protocols_;  // the trial page's "What happens in this trial"; null if unbuilt
  const Clock& clock_;
  SiteOptions options_;
  const ChangeLog* changes_;
  std::vector<Country> countries_;  // by name
};

// Shared by the page files.
namespace web {
// The search parameters of a site or API search URL as a feed takes them: blanks dropped, repeated
// filters joined, and what pages a result (start, pageToken, pageSize, sort, facets ...) left out.
Params FeedSearchParams(const Params& raw);
// The first value of `key`, trimmed ("" when absent).
std::string Param(const Params& params, std::string_view key);
// The request's parameters, with a posted form body (application/x-www-form-urlencoded) decoded when the server
// did not parse it: the site's forms post a hidden field "form".
Params FormValues(const HttpRequest& r);
std::string StatusBadge(const std::optional<OverallStatus>& status);
std::string PhaseText(const std::vector<Phase>& phases);  // "Phase 2 / Phase 3"; "" for none or N/A
// For an ambiguous place name: "Which one did you mean?" and a link for each candidate, the link being
// `params` with `near` replaced by a name that resolves to that place alone, then `fragment` ("#locations").
// Writes nothing when the name is not ambiguous (unknown, or no gazetteer).
void PlaceChoices(HtmlWriter& h, const SearchService& search, std::string_view path, const Params& params,
                  std::string_view fragment = "");
}  // namespace web

}  // namespace ts
