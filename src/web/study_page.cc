// The trial page and the plain-language page of WebSite.
#include <algorithm>
#include <cstdio>

#include "common/strings.h"
#include "web/plain_language.h"
#include "web/site.h"

namespace ts {

namespace {

template <typename E>
std::string LabelOr(const std::optional<E>& v, std::string_view none = "Not given") {
  return v ? std::string(Label(*v)) : std::string(none);
}

std::string DateText(const DateStruct& d) {
  if (d.date.empty()) return "Not given";
  return d.date.ToString() + (d.type == DateType::kEstimated ? " (estimated)" : d.type == DateType::kActual ? " (actual)" : "");
}

void Fact(HtmlWriter& h, std::string_view name, const std::string& value) {
  if (value.empty()) return;
  h << Markup("<div><dt>") << name << Markup("</dt><dd>") << value << Markup("</dd></div>\n");
}

void SectionStart(HtmlWriter& h, std::string_view id, std::string_view title) {
  h.Open(Markup("section"), {{"id", id}, {"aria-labelledby", std::string(id) + "-h"}});
  h.Open(Markup("h2"), {{"id", std::string(id) + "-h"}}) << title << Markup("</h2>\n");
}

std::string Ages(const Eligibility& e) {
  std::string lo = e.minimum_age ? e.minimum_age->ToString() : "";
  std::string hi = e.maximum_age ? e.maximum_age->ToString() : "";
  if (!lo.empty() && !hi.empty()) return lo + " to " + hi;
  if (!lo.empty()) return lo + " and older";
  if (!hi.empty()) return "Up to " + hi;
  return "Any age";
}

std::string YesNo(const std::optional<bool>& b) { return b ? (*b ? "Yes" : "No") : "Not given"; }

void ContactLine(HtmlWriter& h, const Contact& c) {
  h << Markup("<li><span class=\"name\">") << (c.name.empty() ? std::string("Study contact") : c.name) << Markup("</span>");
  if (c.role) h << Markup(" <span class=\"role\">(") << Label(*c.role) << Markup(")</span>");
  if (!c.phone.empty()) {
    h << Markup(" \xC2\xB7 ");
    h.Open(Markup("a"), {{"href", "tel:" + c.phone}}) << c.phone << Markup("</a>");
    if (!c.phone_ext.empty()) h << Markup(" ext. ") << c.phone_ext;
  }
  if (!c.email.empty()) {
    h << Markup(" \xC2\xB7 ");
    h.Open(Markup("a"), {{"href", "mailto:" + c.email}}) << c.email << Markup("</a>");
  }
  h << Markup("</li>\n");
}

void Sentences(HtmlWriter& h, const std::vector<PlainSentence>& list, bool ordered = false) {
  h << (ordered ? Markup("<ol class=\"plain-list\">") : Markup("<ul class=\"plain-list\">"));
  for (const PlainSentence& s : list) {
    h << Markup("<li>");
    h.Open(Markup("span"), {{"data-source", s.source}, {"title", "From the record: " + s.source}}) << s.text << Markup("</span>");
    h << Markup(" <small class=\"source\">") << s.source << Markup("</small></li>\n");
  }
  h << (ordered ? Markup("</ol>\n") : Markup("</ul>\n"));
}

// The criteria as nested lists, inclusion then exclusion, with a mark on those checked automatically.
void CriteriaLists(HtmlWriter& h, const CompiledStudy& cs, const ConceptTable& concepts) {
  for (CriterionKind kind : {CriterionKind::kInclusion, CriterionKind::kExclusion}) {
    std::vector<size_t> top;
    for (size_t i = 0; i < cs.criteria.size(); ++i) {
      const CompiledCriterion& c = cs.criteria[i];
      if (c.kind == kind && c.parent < 0 && c.label != "age" && c.label != "sex") top.push_back(i);
    }
    if (top.empty()) continue;
    h << (kind == CriterionKind::kInclusion ? Markup("<h3>Inclusion criteria</h3>\n<ul class=\"criteria inclusion\">\n")
                                            : Markup("<h3>Exclusion criteria</h3>\n<ul class=\"criteria exclusion\">\n"));
    auto item = [&](auto&& self, size_t i) -> void {
      const CompiledCriterion& c = cs.criteria[i];
      h << Markup("<li>") << c.text;
      if (c.computable && c.rule.IsComputable()) {
        h.Open(Markup("span"), {{"class", "rule"}, {"title", c.rule.ToString(concepts)}}) << Markup("checked automatically</span>");
      }
      std::vector<size_t> kids;
      for (size_t j = i + 1; j < cs.criteria.size(); ++j)
        if (cs.criteria[j].parent == static_cast<int>(i)) kids.push_back(j);
      if (!kids.empty()) {
        h << Markup("<ul>");
        for (size_t k : kids) self(self, k);
        h << Markup("</ul>");
      }
      h << Markup("</li>\n");
    };
    for (size_t i : top) item(item, i);
    h << Markup("</ul>\n");
  }
}

}  // namespace

HttpResponse WebSite::StudyPage(const std::string& id, const Params& params) const {
  StudyView view;
  auto loaded = LoadStudy(id, &view);
  if (!loaded.ok()) return loaded.status().code() == StatusCode::kNotFound ? NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"")
                                                                           : ErrorPage(500, "Cannot show this trial", loaded.status().message());
  const Study& s = *loaded;
  const std::string key(view.key);
  const std::string near = web::Param(params, "near");
  HtmlWriter h;
  h << Markup("<article class=\"study\">\n<header class=\"study-head\">\n<p class=\"meta\">")
    << Markup::Trusted(web::StatusBadge(s.status.overall_status));
  std::string phase = web::PhaseText(s.design.phases);
  if (!phase.empty()) h << Markup(" <span class=\"badge phase\">") << phase << Markup("</span>");
  h << Markup(" <span class=\"id\">") << key << Markup("</span></p>\n<h1>") << s.identification.brief_title << Markup("</h1>\n");
  if (!s.identification.official_title.empty() && s.identification.official_title != s.identification.brief_title) {
    h << Markup("<p class=\"official\">") << s.identification.official_title << Markup("</p>\n");
  }
  h << Markup("<p class=\"actions\">");
  h.Open(Markup("a"), {{"class", "button"}, {"href", "/study/" + UrlEncode(key) + "/plain"}}) << Markup("Plain-language summary</a> ");
  if (screening_) h.Open(Markup("a"), {{"class", "button"}, {"href", "/study/" + UrlEncode(key) + "/check"}}) << Markup("Check if I may qualify</a> ");
  if (!s.identification.nct_id.empty()) {
    h.Open(Markup("a"), {{"class", "button ghost"}, {"href", "https://clinicaltrials.gov/study/" + UrlEncode(s.identification.nct_id)}, {"rel", "external"}})
        << Markup("View on ClinicalTrials.gov</a>");
  }
  h << Markup("</p>\n</header>\n");

  h << Markup("<nav class=\"toc\" aria-label=\"On this page\"><h2>On this page</h2><ol>"
              "<li><a href=\"#facts\">Quick facts</a></li><li><a href=\"#summary\">Summary</a></li>"
              "<li><a href=\"#conditions\">Conditions</a></li><li><a href=\"#design\">Design</a></li>"
              "<li><a href=\"#groups\">Study groups</a></li><li><a href=\"#interventions\">Interventions</a></li>"
              "<li><a href=\"#outcomes\">Outcomes</a></li><li><a href=\"#eligibility\">Eligibility</a></li>"
              "<li><a href=\"#sponsors\">Sponsors</a></li><li><a href=\"#contacts\">Contacts</a></li>"
              "<li><a href=\"#locations\">Locations</a></li><li><a href=\"#identifiers\">Identifiers</a></li>"
              "<li><a href=\"#related\">Related trials</a></li></ol></nav>\n<div class=\"study-body\">\n");

  SectionStart(h, "facts", "Quick facts");
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Recruitment status", LabelOr(s.status.overall_status));
  if (!s.status.why_stopped.empty()) Fact(h, "Why stopped", s.status.why_stopped);
  bool na = std::find(s.design.phases.begin(), s.design.phases.end(), Phase::kNa) != s.design.phases.end();
  Fact(h, "Phase", !phase.empty() ? phase : na ? "Not applicable" : "Not given");
  Fact(h, "Study type", LabelOr(s.design.study_type));
  if (s.design.enrollment_count) {
    Fact(h, "Enrollment", std::to_string(*s.design.enrollment_count) + " participants" +
                              (s.design.enrollment_type ? " (" + ToLowerAscii(Label(*s.design.enrollment_type)) + ")" : ""));
  }
  Fact(h, "Start date", DateText(s.status.start_date));
  Fact(h, "Primary completion", DateText(s.status.primary_completion_date));
  Fact(h, "Study completion", DateText(s.status.completion_date));
  Fact(h, "First posted", DateText(s.status.study_first_post_date));
  Fact(h, "Last updated", DateText(s.status.last_update_post_date));
  Fact(h, "Funder type", LabelOr(s.lead_sponsor.agency_class));
  Fact(h, "Lead sponsor", s.lead_sponsor.name);
  Fact(h, "NCT ID", s.identification.nct_id);
  Fact(h, "Sponsor's protocol ID", s.identification.org_study_id);
  if (!s.identification.acronym.empty()) Fact(h, "Acronym", s.identification.acronym);
  Fact(h, "Results", s.has_results ? "Posted" : "Not posted yet");
  h << Markup("</dl>\n</section>\n");

  SectionStart(h, "summary", "Brief summary");
  if (s.brief_summary.empty()) h << Markup("<p class=\"muted\">No summary was given.</p>");
  h.RichText(s.brief_summary);
  if (!s.detailed_description.empty()) {
    h << Markup("<h3 id=\"description\">Detailed description</h3>\n<div class=\"long\">");
    h.RichText(s.detailed_description);
    h << Markup("</div>\n");
  }
  h << Markup("</section>\n");

  SectionStart(h, "conditions", "Conditions");
  h << Markup("<ul class=\"tags\">");
  for (const std::string& c : s.conditions) {
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", UrlFor("/search", {{"query.cond", c}})}}) << c << Markup("</a></li>");
  }
  h << Markup("</ul>\n");
  if (!s.keywords.empty()) h << Markup("<p><span class=\"k\">Keywords:</span> ") << Join(s.keywords, ", ") << Markup("</p>\n");
  h << Markup("</section>\n");

  SectionStart(h, "design", "Study design");
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Allocation", LabelOr(s.design.allocation));
  Fact(h, "Intervention model", LabelOr(s.design.intervention_model));
  if (!s.design.intervention_model_description.empty()) Fact(h, "Model description", s.design.intervention_model_description);
  Fact(h, "Primary purpose", LabelOr(s.design.primary_purpose));
  std::string masking = LabelOr(s.design.masking);
  if (!s.design.who_masked.empty()) {
    std::vector<std::string> who;
    for (WhoMasked w : s.design.who_masked) who.emplace_back(Label(w));
    masking += " (" + Join(who, ", ") + ")";
  }
  Fact(h, "Masking", masking);
  if (s.design.observational_model) Fact(h, "Observational model", LabelOr(s.design.observational_model));
  if (s.design.time_perspective) Fact(h, "Time perspective", LabelOr(s.design.time_perspective));
  h << Markup("</dl>\n</section>\n");

  SectionStart(h, "groups", "Study groups");
  if (s.arm_groups.empty()) h << Markup("<p class=\"muted\">No groups were listed.</p>\n");
  for (const ArmGroup& a : s.arm_groups) {
    h << Markup("<div class=\"arm\"><h3>") << a.label << Markup("</h3>");
    if (a.type) h << Markup("<p><span class=\"badge\">") << Label(*a.type) << Markup("</span></p>");
    h.RichText(a.description);
    if (!a.intervention_names.empty()) {
      h << Markup("<p><span class=\"k\">Treatment:</span> ") << Join(a.intervention_names, "; ") << Markup("</p>");
    }
    h << Markup("</div>\n");
  }
  h << Markup("</section>\n");

  SectionStart(h, "interventions", "Interventions");
  for (const Intervention& i : s.interventions) {
    h << Markup("<div class=\"intervention\"><h3>") << i.name;
    if (i.type) h << Markup(" <span class=\"badge\">") << Label(*i.type) << Markup("</span>");
    h << Markup("</h3>");
    h.RichText(i.description);
    if (!i.other_names.empty()) h << Markup("<p><span class=\"k\">Other names:</span> ") << Join(i.other_names, ", ") << Markup("</p>");
    if (!i.arm_group_labels.empty()) h << Markup("<p><span class=\"k\">Groups:</span> ") << Join(i.arm_group_labels, "; ") << Markup("</p>");
    h << Markup("</div>\n");
  }
  if (s.interventions.empty()) h << Markup("<p class=\"muted\">No interventions were listed.</p>\n");
  h << Markup("</section>\n");

  SectionStart(h, "outcomes", "Outcomes");
  auto outcomes = [&](std::string_view title, const std::vector<Outcome>& list) {
    if (list.empty()) return;
    h << Markup("<h3>") << title << Markup("</h3>\n<ol class=\"outcomes\">");
    for (const Outcome& o : list) {
      h << Markup("<li><p class=\"measure\">") << UnescapeMarkdown(o.measure) << Markup("</p>");
      if (!o.description.empty()) h.RichText(o.description);
      if (!o.time_frame.empty()) h << Markup("<p class=\"muted\">Time frame: ") << o.time_frame << Markup("</p>");
      h << Markup("</li>\n");
    }
    h << Markup("</ol>\n");
  };
  outcomes("Primary outcomes", s.primary_outcomes);
  outcomes("Secondary outcomes", s.secondary_outcomes);
  outcomes("Other outcomes", s.other_outcomes);
  h << Markup("</section>\n");

  SectionStart(h, "eligibility", "Eligibility");
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Ages", Ages(s.eligibility));
  Fact(h, "Sex", LabelOr(s.eligibility.sex));
  Fact(h, "Accepts healthy volunteers", YesNo(s.eligibility.healthy_volunteers));
  if (!s.eligibility.study_population.empty()) Fact(h, "Study population", s.eligibility.study_population);
  h << Markup("</dl>\n");
  const CompiledStudy* compiled = nullptr;
  if (screening_) {
    auto c = screening_->Criteria(key);
    if (c.ok()) compiled = *c;
  }
  if (compiled) {
    CriteriaLists(h, *compiled, screening_->concepts());
  } else {
    h.RichText(s.eligibility.criteria);
  }
  h << Markup("</section>\n");

  SectionStart(h, "sponsors", "Sponsors and responsible party");
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Lead sponsor", s.lead_sponsor.name + (s.lead_sponsor.agency_class ? " (" + std::string(Label(*s.lead_sponsor.agency_class)) + ")" : ""));
  std::vector<std::string> collab;
  for (const Sponsor& c : s.collaborators) collab.push_back(c.name);
  if (!collab.empty()) Fact(h, "Collaborators", Join(collab, "; "));
  Fact(h, "Responsible party", LabelOr(s.responsible_party.type));
  if (!s.responsible_party.investigator_full_name.empty()) {
    Fact(h, "Investigator", s.responsible_party.investigator_full_name +
                                (s.responsible_party.investigator_title.empty() ? "" : ", " + s.responsible_party.investigator_title) +
                                (s.responsible_party.investigator_affiliation.empty() ? "" : ", " + s.responsible_party.investigator_affiliation));
  }
  for (const Official& o : s.overall_officials) {
    Fact(h, o.role ? Label(*o.role) : "Study official", o.name + (o.affiliation.empty() ? "" : ", " + o.affiliation));
  }
  h << Markup("</dl>\n</section>\n");

  SectionStart(h, "contacts", "Contacts");
  if (s.central_contacts.empty()) {
    h << Markup("<p class=\"muted\">No central contact was listed; contact a site below or the sponsor.</p>\n");
  } else {
    h << Markup("<ul class=\"contacts\">");
    for (const Contact& c : s.central_contacts) ContactLine(h, c);
    h << Markup("</ul>\n");
  }
  h << Markup("</section>\n");

  SectionStart(h, "locations", "Locations");
  std::optional<ts::Place> origin;
  if (!near.empty()) {
    auto place = search_.ResolvePlace(near);
    if (place.ok()) origin = *place;
    else h << Markup("<p class=\"note\">") << place.status().message() << Markup("</p>");
  }
  h << Markup("<form class=\"inline\" action=\"\" method=\"get\"><label for=\"site-near\">Distance from</label>");
  h.Open(Markup("input"), {{"id", "site-near"}, {"name", "near"}, {"type", "text"}, {"value", near}, {"placeholder", "City, country"}});
  h << Markup("<button type=\"submit\" class=\"secondary\">Show distances</button></form>\n");
  if (s.locations.empty()) h << Markup("<p class=\"muted\">No sites were listed.</p>\n");
  std::vector<std::string> countries;
  h << Markup("<ul class=\"sites\">\n");
  const std::vector<SiteView> sites = search_.Listing(view).sites;
  for (size_t i = 0; i < s.locations.size(); ++i) {
    const Location& l = s.locations[i];
    if (!l.country.empty() && std::find(countries.begin(), countries.end(), l.country) == countries.end()) countries.push_back(l.country);
    h << Markup("<li class=\"site\"><p class=\"facility\">") << (l.facility.empty() ? std::string("Study site") : l.facility)
      << Markup("</p><p>");
    std::vector<std::string> place;
    for (const std::string* part : {&l.city, &l.state, &l.zip, &l.country})
      if (!part->empty()) place.push_back(*part);
    h << Join(place, ", ");
    if (l.status) h << Markup(" ") << Markup::Trusted(web::StatusBadge(l.status));
    if (origin && i < sites.size() && sites[i].geo) {
      double km = HaversineKm(origin->lat, origin->lon, sites[i].geo->lat, sites[i].geo->lon);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.0f km", km);
      h << Markup(" <span class=\"distance\">") << std::string(buf) << Markup(" from ") << origin->name << Markup("</span>");
    }
    h << Markup("</p>");
    if (!l.contacts.empty()) {
      h << Markup("<ul class=\"contacts\">");
      for (const Contact& c : l.contacts) ContactLine(h, c);
      h << Markup("</ul>");
    }
    h << Markup("</li>\n");
  }
  h << Markup("</ul>\n");
  if (!countries.empty()) h << Markup("<p><span class=\"k\">Countries:</span> ") << Join(countries, ", ") << Markup("</p>\n");
  h << Markup("</section>\n");

  SectionStart(h, "identifiers", "Other identifiers");
  h << Markup("<table class=\"ids\"><thead><tr><th scope=\"col\">Identifier</th><th scope=\"col\">Type</th><th scope=\"col\">Source</th></tr></thead><tbody>\n");
  if (!s.identification.org_study_id.empty()) {
    h << Markup("<tr><td>") << s.identification.org_study_id << Markup("</td><td>Sponsor's protocol ID</td><td>")
      << s.lead_sponsor.name << Markup("</td></tr>\n");
  }
  for (const SecondaryId& id2 : s.identification.secondary_ids) {
    h << Markup("<tr><td>") << id2.id << Markup("</td><td>") << LabelOr(id2.type, "Other") << Markup("</td><td>") << id2.domain
      << Markup("</td></tr>\n");
  }
  for (const std::string& alias : s.identification.nct_id_aliases) {
    h << Markup("<tr><td>") << alias << Markup("</td><td>Earlier NCT ID</td><td>ClinicalTrials.gov</td></tr>\n");
  }
  h << Markup("</tbody></table>\n</section>\n");

  SectionStart(h, "related", "More related trials");
  std::vector<RelatedStudy> related = search_.Related(view, s, 5);  // the study is parsed already
  if (related.empty()) {
    h << Markup("<p class=\"muted\">No similar trials were found.</p>\n");
  } else {
    h << Markup("<ul class=\"related\">");
    for (const RelatedStudy& r : related) {
      h << Markup("<li>");
      h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(r.key)}}) << r.brief_title << Markup("</a> <span class=\"id\">") << r.key
                                                                   << Markup("</span>");
      if (!r.shared.empty()) h << Markup("<br><small>Shares ") << Join(r.shared, "; ") << Markup("</small>");
      h << Markup("</li>\n");
    }
    h << Markup("</ul>\n");
  }
  h << Markup("</section>\n</div>\n</article>\n");
  return Page(s.identification.brief_title, h.Take(), s.brief_summary.substr(0, 200));
}

HttpResponse WebSite::PlainPage(const std::string& id) const {
  StudyView view;
  auto loaded = LoadStudy(id, &view);
  if (!loaded.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const Study& s = *loaded;
  const std::string key(view.key);
  const CompiledStudy* compiled = nullptr;
  ConceptTable fallback;
  const ConceptTable* concepts = &fallback;
  if (screening_) {
    concepts = &screening_->concepts();
    auto c = screening_->Criteria(key);
    if (c.ok()) compiled = *c;
  }
  PlainSummary p = SummarizeStudy(s, compiled, *concepts, clock_.Today());
  HtmlWriter h;
  h << Markup("<article class=\"plain\">\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\">");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(key)}}) << Markup("Full trial record</a> \xE2\x80\xBA Plain-language summary</nav>\n");
  h << Markup("<p class=\"meta\">") << Markup::Trusted(web::StatusBadge(s.status.overall_status)) << Markup(" <span class=\"id\">")
    << key << Markup("</span></p>\n");
  h.Open(Markup("h1"), {{"data-source", p.title_source}}) << p.title << Markup("</h1>\n");
  h << Markup("<p class=\"official\">") << s.identification.brief_title << Markup("</p>\n");
  h << Markup("<p class=\"note\">Written from the trial's record by fixed rules, not by a person or a language model. "
              "Each sentence shows the record field it comes from.</p>\n");
  h << Markup("<section id=\"what\"><h2>What this trial studies</h2>\n");
  Sentences(h, p.what);
  h << Markup("</section>\n<section id=\"who\"><h2>Who should consider this trial</h2>\n<div class=\"fit\"><div class=\"good\"><h3>Good fit</h3>\n");
  Sentences(h, p.good_fit);
  h << Markup("</div><div class=\"bad\"><h3>Not a fit</h3>\n");
  if (p.not_fit.empty()) h << Markup("<p class=\"muted\">The record has no exclusion we could state simply; read the full criteria.</p>");
  Sentences(h, p.not_fit);
  h << Markup("</div></div>\n<p>These are the criteria we could read reliably; ");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(key) + "#eligibility"}}) << Markup("the full eligibility criteria</a> decide.");
  if (screening_) {
    h << Markup(" ");
    h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(key) + "/check"}}) << Markup("Check if you may qualify</a>.");
  }
  h << Markup("</p>\n</section>\n<section id=\"participate\"><h2>How to participate</h2>\n");
  Sentences(h, p.participate, true);
  h << Markup("</section>\n</article>\n");
  return Page(p.title, h.Take(), p.what.empty() ? "" : p.what[0].text);
}

}  // namespace ts
