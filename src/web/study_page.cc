// The trial page and the plain-language page of WebSite.
#include <algorithm>
#include <cstdio>

#include "common/strings.h"
#include "model/results_due.h"
#include "web/plain_language.h"
#include "web/protocol_html.h"
#include "web/results_html.h"
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

// What every section of the trial page reads.
struct StudyPageInput {
  const Study& s;
  const std::string& key;  // the study's key
  StudyView study;         // the served study (for its listing and related studies)
  const std::string& near;  // the `near` parameter ("" when absent): sites show their distance from it
  const SearchService& search;
  const ScreeningService* screening;  // null when the site has no eligibility check
  const ProtocolService* protocols;   // null when the site has no protocols
  const ChangeLog* changes;           // null when the site serves no history
};

void FactsSection(HtmlWriter& h, const StudyPageInput& v) {
  const Study& s = v.s;
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Recruitment status", LabelOr(s.status.overall_status));
  if (!s.status.why_stopped.empty()) Fact(h, "Why stopped", s.status.why_stopped);
  std::string phase = web::PhaseText(s.design.phases);
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
  h << Markup("</dl>\n");
}

void SummarySection(HtmlWriter& h, const StudyPageInput& v) {
  const Study& s = v.s;
  if (s.brief_summary.empty()) h << Markup("<p class=\"muted\">No summary was given.</p>");
  h.RichText(s.brief_summary);
  if (!s.detailed_description.empty()) {
    h << Markup("<h3 id=\"description\">Detailed description</h3>\n<div class=\"long\">");
    h.RichText(s.detailed_description);
    h << Markup("</div>\n");
  }
}

void ConditionsSection(HtmlWriter& h, const StudyPageInput& v) {
  h << Markup("<ul class=\"tags\">");
  for (const std::string& c : v.s.conditions) {
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", UrlFor("/search", {{"query.cond", c}})}}) << c << Markup("</a></li>");
  }
  h << Markup("</ul>\n");
  if (!v.s.keywords.empty()) h << Markup("<p><span class=\"k\">Keywords:</span> ") << Join(v.s.keywords, ", ") << Markup("</p>\n");
}

void DesignSection(HtmlWriter& h, const StudyPageInput& v) {
  const Design& d = v.s.design;
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Allocation", LabelOr(d.allocation));
  Fact(h, "Intervention model", LabelOr(d.intervention_model));
  if (!d.intervention_model_description.empty()) Fact(h, "Model description", d.intervention_model_description);
  Fact(h, "Primary purpose", LabelOr(d.primary_purpose));
  std::string masking = LabelOr(d.masking);
  if (!d.who_masked.empty()) {
    std::vector<std::string> who;
    for (WhoMasked w : d.who_masked) who.emplace_back(Label(w));
    masking += " (" + Join(who, ", ") + ")";
  }
  Fact(h, "Masking", masking);
  if (d.observational_model) Fact(h, "Observational model", LabelOr(d.observational_model));
  if (d.time_perspective) Fact(h, "Time perspective", LabelOr(d.time_perspective));
  h << Markup("</dl>\n");
}

void GroupsSection(HtmlWriter& h, const StudyPageInput& v) {
  if (v.s.arm_groups.empty()) h << Markup("<p class=\"muted\">No groups were listed.</p>\n");
  for (const ArmGroup& a : v.s.arm_groups) {
    h << Markup("<div class=\"arm\"><h3>") << a.label << Markup("</h3>");
    if (a.type) h << Markup("<p><span class=\"badge\">") << Label(*a.type) << Markup("</span></p>");
    h.RichText(a.description);
    if (!a.intervention_names.empty()) {
      h << Markup("<p><span class=\"k\">Treatment:</span> ") << Join(a.intervention_names, "; ") << Markup("</p>");
    }
    h << Markup("</div>\n");
  }
}

void InterventionsSection(HtmlWriter& h, const StudyPageInput& v) {
  for (const Intervention& i : v.s.interventions) {
    h << Markup("<div class=\"intervention\"><h3>") << i.name;
    if (i.type) h << Markup(" <span class=\"badge\">") << Label(*i.type) << Markup("</span>");
    h << Markup("</h3>");
    h.RichText(i.description);
    if (!i.other_names.empty()) h << Markup("<p><span class=\"k\">Other names:</span> ") << Join(i.other_names, ", ") << Markup("</p>");
    if (!i.arm_group_labels.empty()) h << Markup("<p><span class=\"k\">Groups:</span> ") << Join(i.arm_group_labels, "; ") << Markup("</p>");
    h << Markup("</div>\n");
  }
  if (v.s.interventions.empty()) h << Markup("<p class=\"muted\">No interventions were listed.</p>\n");
}

// "What happens in this trial": each arm's schedule as a day strip and its rules in plain words.
void PlanSection(HtmlWriter& h, const StudyPageInput& v) {
  auto p = v.protocols ? v.protocols->ProtocolOf(v.key) : Result<Protocol>(Status::NotFound("no protocols"));
  if (!p.ok()) {
    h << Markup("<p class=\"muted\">Not available.</p>\n");
    return;
  }
  ProtocolHtml(h, *p, v.protocols->concepts());
  bool any_agent = std::any_of(p->arms.begin(), p->arms.end(), [](const Arm& a) { return !a.agents.empty(); });
  if (!any_agent) return;
  h << Markup("<p class=\"plan-links\">");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(v.key) + "/timeline"}}) << Markup("Follow a patient through this trial</a>");
  h << Markup(" \xC2\xB7 ");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(v.key) + "/cohort"}}) << Markup("Cohort rates and randomisation</a></p>\n");
}

// One list of outcomes under its heading; nothing for an empty list.
void OutcomeList(HtmlWriter& h, std::string_view title, const std::vector<Outcome>& list) {
  if (list.empty()) return;
  h << Markup("<h3>") << title << Markup("</h3>\n<ol class=\"outcomes\">");
  for (const Outcome& o : list) {
    h << Markup("<li><p class=\"measure\">") << UnescapeMarkdown(o.measure) << Markup("</p>");
    if (!o.description.empty()) h.RichText(o.description);
    if (!o.time_frame.empty()) h << Markup("<p class=\"muted\">Time frame: ") << o.time_frame << Markup("</p>");
    h << Markup("</li>\n");
  }
  h << Markup("</ol>\n");
}

void OutcomesSection(HtmlWriter& h, const StudyPageInput& v) {
  OutcomeList(h, "Primary outcomes", v.s.primary_outcomes);
  OutcomeList(h, "Secondary outcomes", v.s.secondary_outcomes);
  OutcomeList(h, "Other outcomes", v.s.other_outcomes);
}

// The registry's results tab of a study on ClinicalTrials.gov, as "ClinicalTrials.gov" linked.
void RegistryResultsLink(HtmlWriter& h, const Study& s) {
  h.Open(Markup("a"), {{"href", "https://clinicaltrials.gov/study/" + UrlEncode(s.identification.nct_id) + "?tab=results"},
                       {"rel", "noopener"}})
      << Markup("ClinicalTrials.gov</a>");
}

// The protocol, statistical analysis plan and consent documents the registry holds (documentSection), linked
// where the registry serves them: https://cdn.clinicaltrials.gov/large-docs/<last two digits>/<NCT ID>/<file>.
void Documents(HtmlWriter& h, const Study& s) {
  if (!s.documents || s.documents->large_docs.empty()) return;
  const std::string& nct = s.identification.nct_id;
  const bool linkable = nct.size() == 11 && StartsWith(nct, "NCT");
  h << Markup("<h3>Documents</h3>\n<ul class=\"documents\">\n");
  for (const LargeDoc& d : s.documents->large_docs) {
    std::vector<std::string> what;
    if (d.has_protocol == true) what.push_back("protocol");
    if (d.has_sap == true) what.push_back("statistical analysis plan");
    if (d.has_icf == true) what.push_back("informed consent form");
    std::string title = !d.label.empty() ? d.label : what.empty() ? d.filename : Capitalised(Join(what, ", "));
    h << Markup("<li>");
    const bool file_ok = !d.filename.empty() && d.filename.find_first_of("/\\?#%") == std::string::npos;
    if (linkable && file_ok) {
      h.Open(Markup("a"), {{"href", "https://cdn.clinicaltrials.gov/large-docs/" + nct.substr(9) + "/" + nct + "/" + d.filename}})
          << title << Markup("</a>");
    } else {
      h << title;
    }
    std::vector<std::string> facts;
    if (!what.empty() && !d.label.empty()) facts.push_back(Join(what, ", "));
    if (!d.date.empty()) facts.push_back("dated " + d.date);
    if (d.size) facts.push_back(std::to_string((*d.size + 1023) / 1024) + " KB");
    if (!facts.empty()) h << Markup(" <small>(") << Join(facts, "; ") << Markup(")</small>");
    h << Markup("</li>\n");
  }
  h << Markup("</ul>\n");
}

// The posted results as the record holds them (results_html.h); a record that says results were posted
// without holding them links the registry; a missing one says so, with the date the record implies.
void ResultsSection(HtmlWriter& h, const StudyPageInput& v) {
  const Study& s = v.s;
  if (s.results || s.has_results) {
    if (s.results) {
      h << Markup("<p>Results posted");
    } else {
      h << Markup("<p>Results were posted");
    }
    if (!s.status.results_first_post_date.date.empty()) h << Markup(" on ") << s.status.results_first_post_date.date.ToString();
    if (s.results) {
      h << Markup(" by the study team to the registry; trialscope shows them as posted");
      if (!s.identification.nct_id.empty()) {
        h << Markup(" (also on ");
        RegistryResultsLink(h, s);
        h << Markup(")");
      }
    } else {
      h << Markup("; this record does not hold them");
      if (!s.identification.nct_id.empty()) {
        h << Markup(": read them on ");
        RegistryResultsLink(h, s);
      }
    }
    h << Markup(".</p>\n");
    if (s.results) {
      std::optional<int64_t> enrolled;
      if (s.design.enrollment_type == EnrollmentType::kActual) enrolled = s.design.enrollment_count;
      RenderStudyResults(h, *s.results, enrolled);
    }
    Documents(h, s);
    return;
  }
  h << Markup("<p class=\"pending\"><strong>Results pending:</strong> the study team has not published outcome "
              "measurements, participant flow, or safety data for this trial yet.</p>\n");
  if (auto due = ResultsDueDate(s)) {
    h << Markup("<p class=\"muted\">The primary completion date was ") << s.status.primary_completion_date.date.ToString()
      << Markup(". This trial studies a product the FDA regulates, so US law expects its results within a year of that "
                "date, by ")
      << due->ToString() << Markup(".</p>\n");
  } else if (s.status.primary_completion_date.type == DateType::kEstimated && !s.status.primary_completion_date.date.empty()) {
    h << Markup("<p class=\"muted\">Primary completion is expected in ") << s.status.primary_completion_date.date.ToString()
      << Markup("; results come after that.</p>\n");
  }
  Documents(h, s);
}

// The facts, then the criteria: as lists marked where checked automatically when the screening
// service has compiled them, else as the record's text.
void EligibilitySection(HtmlWriter& h, const StudyPageInput& v) {
  const Eligibility& e = v.s.eligibility;
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Ages", Ages(e));
  Fact(h, "Sex", LabelOr(e.sex));
  Fact(h, "Accepts healthy volunteers", YesNo(e.healthy_volunteers));
  if (!e.study_population.empty()) Fact(h, "Study population", e.study_population);
  h << Markup("</dl>\n");
  const CompiledStudy* compiled = nullptr;
  if (v.screening) {
    auto c = v.screening->Criteria(v.key);
    if (c.ok()) compiled = *c;
  }
  if (compiled) {
    CriteriaLists(h, *compiled, v.screening->concepts());
  } else {
    h.RichText(e.criteria);
  }
}

void SponsorsSection(HtmlWriter& h, const StudyPageInput& v) {
  const Study& s = v.s;
  const ResponsibleParty& rp = s.responsible_party;
  h << Markup("<dl class=\"facts\">\n");
  Fact(h, "Lead sponsor", s.lead_sponsor.name + (s.lead_sponsor.agency_class ? " (" + std::string(Label(*s.lead_sponsor.agency_class)) + ")" : ""));
  std::vector<std::string> collab;
  for (const Sponsor& c : s.collaborators) collab.push_back(c.name);
  if (!collab.empty()) Fact(h, "Collaborators", Join(collab, "; "));
  Fact(h, "Responsible party", LabelOr(rp.type));
  if (!rp.investigator_full_name.empty()) {
    Fact(h, "Investigator", rp.investigator_full_name + (rp.investigator_title.empty() ? "" : ", " + rp.investigator_title) +
                                (rp.investigator_affiliation.empty() ? "" : ", " + rp.investigator_affiliation));
  }
  for (const Official& o : s.overall_officials) {
    Fact(h, o.role ? Label(*o.role) : "Study official", o.name + (o.affiliation.empty() ? "" : ", " + o.affiliation));
  }
  h << Markup("</dl>\n");
}

void ContactsSection(HtmlWriter& h, const StudyPageInput& v) {
  if (v.s.central_contacts.empty()) {
    h << Markup("<p class=\"muted\">No central contact was listed; contact a site below or the sponsor.</p>\n");
  } else {
    h << Markup("<ul class=\"contacts\">");
    for (const Contact& c : v.s.central_contacts) ContactLine(h, c);
    h << Markup("</ul>\n");
  }
}

// One site: facility, place, status, the distance from `origin` when both are known, contacts.
void SiteItem(HtmlWriter& h, const Location& l, const std::optional<GeoPoint>& geo, const std::optional<Place>& origin) {
  h << Markup("<li class=\"site\"><p class=\"facility\">") << (l.facility.empty() ? std::string("Study site") : l.facility)
    << Markup("</p><p>");
  std::vector<std::string> place;
  for (const std::string* part : {&l.city, &l.state, &l.zip, &l.country})
    if (!part->empty()) place.push_back(*part);
  h << Join(place, ", ");
  if (l.status) h << Markup(" ") << Markup::Trusted(web::StatusBadge(l.status));
  if (origin && geo) {
    double km = HaversineKm(origin->lat, origin->lon, geo->lat, geo->lon);
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

// The "distance from" form, the sites, and their countries. A `near` that names no known place
// is said in a note and no distances are shown.
void LocationsSection(HtmlWriter& h, const StudyPageInput& v) {
  const Study& s = v.s;
  std::optional<ts::Place> origin;
  if (!v.near.empty()) {
    auto place = v.search.ResolvePlace(v.near);
    if (place.ok()) {
      origin = *place;
    } else {
      h << Markup("<p class=\"note\">") << place.status().message() << Markup("</p>");
      web::PlaceChoices(h, v.search, "/study/" + UrlEncode(v.key), {{"near", v.near}}, "#locations");
    }
  }
  h << Markup("<form class=\"inline\" action=\"\" method=\"get\"><label for=\"site-near\">Distance from</label>");
  h.Open(Markup("input"), {{"id", "site-near"}, {"name", "near"}, {"type", "text"}, {"value", v.near}, {"placeholder", "City, country"}});
  h << Markup("<button type=\"submit\" class=\"secondary\">Show distances</button></form>\n");
  if (s.locations.empty()) h << Markup("<p class=\"muted\">No sites were listed.</p>\n");
  std::vector<std::string> countries;
  h << Markup("<ul class=\"sites\">\n");
  const std::vector<SiteView> sites = v.search.Sites(v.study);
  for (size_t i = 0; i < s.locations.size(); ++i) {
    const Location& l = s.locations[i];
    if (!l.country.empty() && std::find(countries.begin(), countries.end(), l.country) == countries.end()) countries.push_back(l.country);
    SiteItem(h, l, i < sites.size() ? sites[i].geo : std::nullopt, origin);
  }
  h << Markup("</ul>\n");
  if (!countries.empty()) h << Markup("<p><span class=\"k\">Countries:</span> ") << Join(countries, ", ") << Markup("</p>\n");
}

// What changed in each stored version, newest first, in words ("Status: Not yet recruiting → Recruiting").
void ChangesSection(HtmlWriter& h, const StudyPageInput& v) {
  if (v.changes == nullptr) {
    h << Markup("<p>This server does not serve the record's history.</p>\n");
    return;
  }
  auto versions = v.changes->StudyChangesOf(v.key);
  if (!versions.ok()) {
    h << Markup("<p>The history of this record cannot be read: ") << versions.status().message() << Markup("</p>\n");
    return;
  }
  h << Markup("<p>Every version of the record this site has stored, newest first, with what changed from the one before it.</p>\n");
  h << Markup("<ol class=\"changes\" reversed>\n");
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    const VersionInfo& info = it->info;
    h << Markup("<li><p><strong>Version ") << std::to_string(info.version) << Markup("</strong>");
    if (info.current) h << Markup(" (current)");
    h << Markup(" \xC2\xB7 registry update ") << (info.last_update.empty() ? std::string("not given") : info.last_update)
      << Markup(" \xC2\xB7 imported ") << info.imported_at << Markup("</p>\n<ul>");
    for (const std::string& w : it->changes.words) h << Markup("<li>") << w << Markup("</li>");
    if (it->changes.words.empty()) h << Markup("<li>No field the registry publishes changed</li>");
    h << Markup("</ul></li>\n");
  }
  h << Markup("</ol>\n");
}

void IdentifiersSection(HtmlWriter& h, const StudyPageInput& v) {
  const Identification& id = v.s.identification;
  h << Markup("<table class=\"ids\"><thead><tr><th scope=\"col\">Identifier</th><th scope=\"col\">Type</th><th scope=\"col\">Source</th></tr></thead><tbody>\n");
  if (!id.org_study_id.empty()) {
    h << Markup("<tr><td>") << id.org_study_id << Markup("</td><td>Sponsor's protocol ID</td><td>") << v.s.lead_sponsor.name
      << Markup("</td></tr>\n");
  }
  for (const SecondaryId& id2 : id.secondary_ids) {
    h << Markup("<tr><td>") << id2.id << Markup("</td><td>") << LabelOr(id2.type, "Other") << Markup("</td><td>") << id2.domain
      << Markup("</td></tr>\n");
  }
  for (const std::string& alias : id.nct_id_aliases) {
    h << Markup("<tr><td>") << alias << Markup("</td><td>Earlier NCT ID</td><td>ClinicalTrials.gov</td></tr>\n");
  }
  h << Markup("</tbody></table>\n");
}

void RelatedSection(HtmlWriter& h, const StudyPageInput& v) {
  std::vector<RelatedStudy> related = v.search.Related(v.study, v.s, 5);  // the study is parsed already
  if (related.empty()) {
    h << Markup("<p class=\"muted\">No similar trials were found.</p>\n");
    return;
  }
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

// A section of the trial page: `id` is its anchor, `toc` its entry in "On this page", `title` its
// heading, and `body` writes what lies between the heading and </section>.
struct StudySection {
  std::string_view id;
  std::string_view toc;
  std::string_view title;
  void (*body)(HtmlWriter&, const StudyPageInput&);
};

// The sections in page order; the table of contents is made from this list.
constexpr StudySection kStudySections[] = {
    {"facts", "Quick facts", "Quick facts", FactsSection},
    {"summary", "Summary", "Brief summary", SummarySection},
    {"conditions", "Conditions", "Conditions", ConditionsSection},
    {"design", "Design", "Study design", DesignSection},
    {"groups", "Study groups", "Study groups", GroupsSection},
    {"interventions", "Interventions", "Interventions", InterventionsSection},
    {"plan", "What happens", "What happens in this trial", PlanSection},
    {"outcomes", "Outcomes", "Outcomes", OutcomesSection},
    {"results", "Study results", "Study results", ResultsSection},
    {"eligibility", "Eligibility", "Eligibility", EligibilitySection},
    {"sponsors", "Sponsors", "Sponsors and responsible party", SponsorsSection},
    {"contacts", "Contacts", "Contacts", ContactsSection},
    {"locations", "Locations", "Locations", LocationsSection},
    {"changes", "Changes", "Changes", ChangesSection},
    {"identifiers", "Identifiers", "Other identifiers", IdentifiersSection},
    {"related", "Related trials", "More related trials", RelatedSection},
};

// Status, phase, ID, titles and the action buttons.
void StudyHeader(HtmlWriter& h, const StudyPageInput& v, bool can_check) {
  const Study& s = v.s;
  const std::string base = "/study/" + UrlEncode(v.key);
  h << Markup("<header class=\"study-head\">\n<p class=\"meta\">") << Markup::Trusted(web::StatusBadge(s.status.overall_status));
  std::string phase = web::PhaseText(s.design.phases);
  if (!phase.empty()) h << Markup(" <span class=\"badge phase\">") << phase << Markup("</span>");
  h << Markup(" <span class=\"id\">") << v.key << Markup("</span></p>\n<h1>") << s.identification.brief_title << Markup("</h1>\n");
  if (!s.identification.official_title.empty() && s.identification.official_title != s.identification.brief_title) {
    h << Markup("<p class=\"official\">") << s.identification.official_title << Markup("</p>\n");
  }
  h << Markup("<p class=\"actions\">");
  h.Open(Markup("a"), {{"class", "button"}, {"href", base + "/plain"}}) << Markup("Plain-language summary</a> ");
  if (can_check) h.Open(Markup("a"), {{"class", "button"}, {"href", base + "/check"}}) << Markup("Check if I may qualify</a> ");
  if (!s.identification.nct_id.empty()) {
    h.Open(Markup("a"), {{"class", "button ghost"}, {"href", "https://clinicaltrials.gov/study/" + UrlEncode(s.identification.nct_id)}, {"rel", "external"}})
        << Markup("View on ClinicalTrials.gov</a>");
  }
  h << Markup("</p>\n</header>\n");
}

// "On this page": one entry per section of kStudySections, in its order.
void TableOfContents(HtmlWriter& h) {
  h << Markup("<nav class=\"toc\" aria-label=\"On this page\"><h2>On this page</h2><ol>");
  for (const StudySection& sec : kStudySections) {
    std::string href = "#";
    href += sec.id;
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", href}}) << sec.toc << Markup("</a></li>");
  }
  h << Markup("</ol></nav>\n");
}

}  // namespace

HttpResponse WebSite::StudyPage(const std::string& id, const Params& params) const {
  StudyView served;
  auto loaded = LoadStudy(id, &served);
  if (!loaded.ok()) return loaded.status().code() == StatusCode::kNotFound ? NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"")
                                                                           : ErrorPage(500, "Cannot show this trial", loaded.status().message());
  const Study& s = *loaded;
  const std::string key(served.key);
  const std::string near = web::Param(params, "near");
  const StudyPageInput view{s, key, served, near, search_, screening_, protocols_.get(), changes_};
  HtmlWriter h;
  h << Markup("<article class=\"study\">\n");
  StudyHeader(h, view, screening_ != nullptr);
  TableOfContents(h);
  h << Markup("<div class=\"study-body\">\n");
  for (const StudySection& sec : kStudySections) {
    SectionStart(h, sec.id, sec.title);
    sec.body(h, view);
    h << Markup("</section>\n");
  }
  h << Markup("</div>\n</article>\n");
  return Page(s.identification.brief_title, h.Take(), s.brief_summary.substr(0, 200));
}

// "How similar studies have performed": of the trials most like this one, up to three that posted results, each
// linked, with what it measured and found. Another trial's numbers are not this one's, and the page says so.
void WebSite::SimilarResults(HtmlWriter& h, const StudyView& served, const Study& s) const {
  constexpr size_t kLooked = 20, kShown = 3;
  std::vector<RelatedStudy> related = search_.Related(served, s, kLooked);
  h << Markup("<section id=\"similar\"><h2>How similar studies have performed</h2>\n");
  size_t shown = 0;
  for (const RelatedStudy& r : related) {
    if (shown == kShown) break;
    auto other = LoadStudy(r.key);
    if (!other.ok()) continue;
    std::vector<PlainSentence> found = PlainFindings(*other);
    if (found.empty()) continue;
    if (shown++ == 0) {
      h << Markup("<p class=\"note\">Trials like this one that have posted results. They tested other treatments or "
                  "other people: their results are not this trial's.</p>\n<ul class=\"similar\">\n");
    }
    h << Markup("<li>");
    h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(r.key) + "/plain"}}) << r.brief_title << Markup("</a> <span class=\"id\">")
                                                                           << r.key << Markup("</span>");
    if (!r.shared.empty()) h << Markup("<br><small>Like this trial in ") << Join(r.shared, "; ") << Markup("</small>");
    found.resize(std::min<size_t>(found.size(), 2));
    Sentences(h, found);
    h << Markup("</li>\n");
  }
  if (shown > 0) {
    h << Markup("</ul>\n");
  } else {
    h << Markup("<p class=\"muted\">None of the ") << related.size()
      << Markup(" trials most like this one in this registry has posted results yet.</p>\n");
  }
  h << Markup("</section>\n");
}

HttpResponse WebSite::PlainPage(const std::string& id) const {
  StudyView served;
  auto loaded = LoadStudy(id, &served);
  if (!loaded.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const Study& s = *loaded;
  const std::string key(served.key);
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
  h << Markup("</section>\n<section id=\"found\"><h2>What the trial found</h2>\n");
  if (p.found.empty()) {
    h << Markup("<p class=\"muted\">The trial has not posted results in this record.</p>\n");
  } else {
    Sentences(h, p.found);
  }
  h << Markup("</section>\n");
  SimilarResults(h, served, s);
  h << Markup("<section id=\"who\"><h2>Who should consider this trial</h2>\n<div class=\"fit\"><div class=\"good\"><h3>Good fit</h3>\n");
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
