#include "study_text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "model/results_text.h"

namespace ts {

namespace {

class Page {
 public:
  void Title(std::string_view t) { out_ << t << "\n" << std::string(std::min<size_t>(t.size(), 100), '=') << "\n"; }
  void Section(std::string_view name) { out_ << "\n" << name << "\n" << std::string(name.size(), '-') << "\n"; }
  void Field(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    out_ << "  " << name << ": " << value << "\n";
  }
  void Text(std::string_view text, int indent = 2) {
    if (text.empty()) return;
    std::string pad(static_cast<size_t>(indent), ' ');
    const std::string plain = UnescapeMarkdown(text);
    for (std::string_view line : Split(plain, '\n')) out_ << pad << line << "\n";
  }
  void Bullet(std::string_view text, int indent = 2) {
    out_ << std::string(static_cast<size_t>(indent), ' ') << "- " << text << "\n";
  }
  std::string Take() { return out_.str(); }

 private:
  std::ostringstream out_;
};

template <typename E>
std::string Opt(const std::optional<E>& v) {
  return v ? std::string(Label(*v)) : "";
}

std::string DateText(const DateStruct& d) {
  if (d.date.empty()) return "";
  std::string s = d.date.ToString();
  if (d.type) s += d.type == DateType::kActual ? " (actual)" : " (estimated)";
  return s;
}

std::string PhasesText(const std::vector<Phase>& phases) {
  std::vector<std::string> parts;
  for (Phase p : phases) parts.emplace_back(Label(p));
  return Join(parts, " / ");
}

std::string ContactText(const Contact& c) {
  std::vector<std::string> parts;
  if (!c.name.empty()) parts.push_back(c.name);
  if (c.role) parts.push_back(std::string(Label(*c.role)));
  std::string phone = c.phone;
  if (!c.phone_ext.empty()) phone += " ext. " + c.phone_ext;
  if (!phone.empty()) parts.push_back(phone);
  if (!c.email.empty()) parts.push_back(c.email);
  return Join(parts, " | ");
}

std::string SponsorText(const Sponsor& s) {
  return s.agency_class ? s.name + " (" + std::string(Label(*s.agency_class)) + ")" : s.name;
}

std::string AgesText(const Eligibility& e) {
  if (e.minimum_age && e.maximum_age) return e.minimum_age->ToString() + " to " + e.maximum_age->ToString();
  if (e.minimum_age) return e.minimum_age->ToString() + " and older";
  if (e.maximum_age) return "up to " + e.maximum_age->ToString();
  return "no age limits given";
}

void Outcomes(Page& p, const char* title, const std::vector<Outcome>& v) {
  if (v.empty()) return;
  p.Section(title);
  for (const Outcome& o : v) {
    p.Bullet(o.measure);
    if (!o.time_frame.empty()) p.Text("Time frame: " + o.time_frame, 4);
    p.Text(o.description, 4);
  }
}

// The sections (listed in kSections below). Each prints its heading and its fields, or nothing at
// all when the study has nothing for it (a field with an empty value is never printed).

void TitleSection(Page& p, const Study& s) {
  const Identification& id = s.identification;
  p.Title(id.brief_title.empty() ? StudyKey(s) : id.brief_title);
  if (!id.official_title.empty() && id.official_title != id.brief_title) p.Text(id.official_title, 0);
}

void FactsSection(Page& p, const Study& s) {
  const Identification& id = s.identification;
  p.Section("Quick facts");
  p.Field("Study ID", StudyKey(s));
  p.Field("NCT ID", id.nct_id);
  p.Field("Acronym", id.acronym);
  p.Field("Status", Opt(s.status.overall_status));
  p.Field("Last known status", Opt(s.status.last_known_status));
  p.Field("Why stopped", s.status.why_stopped);
  p.Field("Phase", PhasesText(s.design.phases));
  std::string type = Opt(s.design.study_type);
  if (s.design.patient_registry == true) type += " (patient registry)";
  p.Field("Study type", type);
  if (s.design.enrollment_count) {
    std::string e = std::to_string(*s.design.enrollment_count) + " participants";
    if (s.design.enrollment_type) e += s.design.enrollment_type == EnrollmentType::kActual ? " (actual)" : " (estimated)";
    p.Field("Enrollment", e);
  }
  p.Field("Start date", DateText(s.status.start_date));
  p.Field("Primary completion", DateText(s.status.primary_completion_date));
  p.Field("Completion date", DateText(s.status.completion_date));
  p.Field("First posted", DateText(s.status.study_first_post_date));
  p.Field("Last updated", DateText(s.status.last_update_post_date));
  p.Field("Funder type", Opt(s.lead_sponsor.agency_class));
  p.Field("Results", s.has_results ? "posted" : "not posted");
}

void SummarySection(Page& p, const Study& s) {
  if (!s.brief_summary.empty()) {
    p.Section("Brief summary");
    p.Text(s.brief_summary);
  }
  if (!s.detailed_description.empty()) {
    p.Section("Detailed description");
    p.Text(s.detailed_description);
  }
}

void ConditionsSection(Page& p, const Study& s) {
  if (s.conditions.empty() && s.keywords.empty()) return;
  p.Section("Conditions");
  for (const auto& c : s.conditions) p.Bullet(c);
  p.Field("Keywords", Join(s.keywords, ", "));
}

void DesignSection(Page& p, const Study& s) {
  const Design& d = s.design;
  p.Section("Study design");
  p.Field("Primary purpose", Opt(d.primary_purpose));
  p.Field("Allocation", Opt(d.allocation));
  p.Field("Intervention model", Opt(d.intervention_model));
  if (!d.intervention_model_description.empty()) {
    p.Text("Model description:");
    p.Text(d.intervention_model_description, 4);
  }
  p.Field("Observational model", Opt(d.observational_model));
  p.Field("Time perspective", Opt(d.time_perspective));
  if (d.masking) {
    std::string m(Label(*d.masking));
    std::vector<std::string> who;
    for (WhoMasked w : d.who_masked) who.emplace_back(Label(w));
    if (!who.empty()) m += " (" + Join(who, ", ") + ")";
    p.Field("Masking", m);
  }
  p.Field("Masking description", d.masking_description);
}

void GroupsSection(Page& p, const Study& s) {
  if (s.arm_groups.empty()) return;
  p.Section("Study groups (" + std::to_string(s.arm_groups.size()) + ")");
  for (const ArmGroup& a : s.arm_groups) {
    p.Bullet(a.label + (a.type ? " [" + std::string(Label(*a.type)) + "]" : ""));
    p.Text(a.description, 4);
    for (const auto& n : a.intervention_names) p.Text("Treatment: " + n, 4);
  }
}

void InterventionsSection(Page& p, const Study& s) {
  if (s.interventions.empty()) return;
  p.Section("Interventions");
  for (const Intervention& iv : s.interventions) {
    p.Bullet((iv.type ? std::string(Label(*iv.type)) + ": " : "") + iv.name);
    if (!iv.other_names.empty()) p.Text("Other names: " + Join(iv.other_names, ", "), 4);
    p.Text(iv.description, 4);
    if (!iv.arm_group_labels.empty()) p.Text("Groups: " + Join(iv.arm_group_labels, "; "), 4);
  }
}

void OutcomesSection(Page& p, const Study& s) {
  Outcomes(p, "Primary outcomes", s.primary_outcomes);
  Outcomes(p, "Secondary outcomes", s.secondary_outcomes);
  Outcomes(p, "Other outcomes", s.other_outcomes);
}

// Posted results: each outcome measure with its values group by group, the participant flow and the
// adverse-event totals (every value is in `show --json`).
void ResultsSection(Page& p, const Study& s) {
  if (!s.results) return;
  const StudyResults& r = *s.results;
  p.Section("Results (posted " + (s.status.results_first_post_date.date.empty() ? std::string("to the registry")
                                                                                 : s.status.results_first_post_date.date.ToString()) + ")");
  for (const OutcomeMeasure& m : r.outcome_measures) {
    std::string head = (m.type ? std::string(Label(*m.type)) + ": " : std::string()) + m.title;
    if (!m.time_frame.empty()) head += " [" + m.time_frame + "]";
    p.Bullet(head);
    for (const std::string& line : ResultFindings(m)) p.Bullet(line, 4);
    for (const MeasureAnalysis& a : m.analyses) {
      if (a.p_value.empty()) continue;
      std::string text = "p " + std::string(StartsWith(a.p_value, "<") || StartsWith(a.p_value, ">") ? "" : "= ") + a.p_value;
      if (!a.statistical_method.empty()) text += " (" + a.statistical_method + ")";
      p.Bullet(text, 4);
    }
  }
  if (r.participant_flow) {
    for (const FlowPeriod& period : r.participant_flow->periods) {
      for (const FlowMilestone& m : period.milestones) {
        std::vector<std::string> parts;
        for (const FlowStats& st : m.achievements) {
          parts.push_back(GroupTitle(r.participant_flow->groups, st.group_id) + " " + st.num_subjects);
        }
        p.Field("Flow, " + period.title + ", " + m.type, Join(parts, "; "));
      }
    }
  }
  if (r.adverse_events) {
    std::vector<std::string> parts;
    for (const EventGroup& g : r.adverse_events->event_groups) {
      if (g.serious_num_affected && g.serious_num_at_risk) {
        parts.push_back(g.title + " " + std::to_string(*g.serious_num_affected) + "/" + std::to_string(*g.serious_num_at_risk));
      }
    }
    p.Field("Serious adverse events (affected/at risk)", Join(parts, "; "));
  }
  if (r.more_info) p.Field("Limitations and caveats", r.more_info->limitations_and_caveats);
}

void EligibilitySection(Page& p, const Study& s) {
  const Eligibility& e = s.eligibility;
  p.Section("Eligibility");
  p.Field("Ages", AgesText(e));
  std::vector<std::string> groups;
  for (StandardAge a : e.std_ages) groups.emplace_back(Label(a));
  p.Field("Age groups", Join(groups, ", "));
  p.Field("Sex", Opt(e.sex));
  if (e.healthy_volunteers) p.Field("Healthy volunteers", *e.healthy_volunteers ? "accepted" : "not accepted");
  p.Field("Study population", e.study_population);
  p.Field("Sampling method", Opt(e.sampling_method));
  if (!e.criteria.empty()) {
    p.Text("Criteria:");
    p.Text(e.criteria, 4);
  }
}

void SponsorsSection(Page& p, const Study& s) {
  p.Section("Sponsors");
  p.Field("Lead sponsor", SponsorText(s.lead_sponsor));
  for (const Sponsor& c : s.collaborators) p.Field("Collaborator", SponsorText(c));
  p.Field("Organization", s.identification.organization.full_name);
  const ResponsibleParty& rp = s.responsible_party;
  if (rp.type) {
    std::string r(Label(*rp.type));
    std::vector<std::string> who;
    for (const auto* part : {&rp.investigator_full_name, &rp.investigator_title, &rp.investigator_affiliation})
      if (!part->empty()) who.push_back(*part);
    if (!who.empty()) r += ": " + Join(who, ", ");
    p.Field("Responsible party", r);
  }
}

// Central contacts, officials, then each site with its contacts, then the sites' countries (sorted).
void ContactsSection(Page& p, const Study& s) {
  if (s.central_contacts.empty() && s.overall_officials.empty() && s.locations.empty()) return;
  p.Section("Contacts and locations");
  for (const Contact& c : s.central_contacts) p.Field("Central contact", ContactText(c));
  for (const Official& o : s.overall_officials) {
    std::string t = o.name;
    if (o.role) t += " (" + std::string(Label(*o.role)) + ")";
    if (!o.affiliation.empty()) t += ", " + o.affiliation;
    p.Field("Official", t);
  }
  if (!s.locations.empty()) p.Text(std::to_string(s.locations.size()) + (s.locations.size() == 1 ? " site:" : " sites:"));
  std::set<std::string> countries;
  for (const Location& l : s.locations) {
    std::vector<std::string> place;
    for (const auto* part : {&l.city, &l.state, &l.zip, &l.country})
      if (!part->empty()) place.push_back(*part);
    std::string line = (l.facility.empty() ? "" : l.facility + ", ") + Join(place, ", ");
    if (l.status) line += " [" + std::string(Label(*l.status)) + "]";
    p.Bullet(line);
    for (const Contact& c : l.contacts) p.Text(ContactText(c), 4);
    if (!l.country.empty()) countries.insert(l.country);
  }
  if (!countries.empty()) p.Field("Countries", Join(std::vector<std::string>(countries.begin(), countries.end()), ", "));
}

void IdentifiersSection(Page& p, const Study& s) {
  const Identification& id = s.identification;
  p.Section("Identifiers");
  p.Field("NCT ID", id.nct_id);
  p.Field("Organization study ID", id.org_study_id);
  for (const SecondaryId& sec : id.secondary_ids) {
    std::string t = sec.id;
    if (sec.type) t += " (" + std::string(Label(*sec.type)) + ")";
    if (!sec.domain.empty()) t += ", " + sec.domain;
    p.Field("Secondary ID", t);
  }
  p.Field("NCT aliases", Join(id.nct_id_aliases, ", "));
}

void MeshSection(Page& p, const Study& s) {
  if (s.condition_meshes.empty() && s.intervention_meshes.empty()) return;
  p.Section("MeSH terms");
  std::vector<std::string> c, i;
  for (const auto& m : s.condition_meshes) c.push_back(m.term);
  for (const auto& m : s.intervention_meshes) i.push_back(m.term);
  p.Field("Conditions", Join(c, "; "));
  p.Field("Interventions", Join(i, "; "));
}

void ReferencesSection(Page& p, const Study& s) {
  if (s.references.empty()) return;
  p.Section("References");
  for (const Reference& r : s.references) p.Bullet(r.citation + (r.pmid.empty() ? "" : " PMID " + r.pmid));
}

// The sections of RenderStudyText, in print order.
constexpr void (*kSections[])(Page&, const Study&) = {
    TitleSection,
    FactsSection,
    SummarySection,
    ConditionsSection,
    DesignSection,
    GroupsSection,
    InterventionsSection,
    OutcomesSection,
    ResultsSection,
    EligibilitySection,
    SponsorsSection,
    ContactsSection,
    IdentifiersSection,
    MeshSection,
    ReferencesSection,
};

}  // namespace

std::string RenderStudyText(const Study& s) {
  Page p;
  for (auto section : kSections) section(p, s);
  return p.Take();
}

std::string RenderHistoryText(const std::string& key, const std::vector<VersionInfo>& versions) {
  std::ostringstream out;
  out << key << ": " << versions.size() << (versions.size() == 1 ? " version\n" : " versions\n");
  char line[512];
  std::snprintf(line, sizeof(line), "%-8s %-8s %-12s %-11s %-21s %s\n", "VERSION", "CURRENT", "LAST UPDATE", "FORMAT",
                "IMPORTED", "ORIGIN");
  out << line;
  for (const VersionInfo& v : versions) {
    std::snprintf(line, sizeof(line), "%-8d %-8s %-12s %-11s %-21s %s\n", v.version, v.current ? "*" : "",
                  v.last_update.c_str(), v.source_format.c_str(), v.imported_at.c_str(), v.origin.c_str());
    out << line;
  }
  return out.str();
}

std::string RenderDiffText(const std::string& key, int v1, int v2, const std::vector<FieldChange>& changes) {
  std::ostringstream out;
  out << key << ": version " << v1 << " -> " << v2 << ", " << changes.size()
      << (changes.size() == 1 ? " field changed\n" : " fields changed\n");
  auto clip = [](const std::string& s) { return s.size() > 200 ? s.substr(0, 200) + "..." : s; };
  for (const FieldChange& c : changes) {
    if (!c.had_before) {
      out << "+ " << c.path << ": " << clip(c.after) << "\n";
    } else if (!c.has_after) {
      out << "- " << c.path << ": " << clip(c.before) << "\n";
    } else {
      out << "~ " << c.path << ": " << clip(c.before) << " -> " << clip(c.after) << "\n";
    }
  }
  return out.str();
}

std::string RenderStatsText(const StoreStats& st) {
  std::ostringstream out;
  out << "Studies: " << st.studies << "  (versions: " << st.versions << ")\n";
  auto table = [&](const char* title, const std::map<std::string, int64_t>& m, size_t limit) {
    std::vector<std::pair<std::string, int64_t>> rows(m.begin(), m.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    out << "\n" << title << "\n";
    size_t n = 0;
    for (const auto& [k, v] : rows) {
      if (n++ == limit) {
        out << "  ... " << rows.size() - limit << " more\n";
        break;
      }
      char line[256];
      std::snprintf(line, sizeof(line), "  %-40s %8lld\n", k.empty() ? "(not given)" : k.c_str(), static_cast<long long>(v));
      out << line;
    }
  };
  table("By status", st.by_status, 100);
  table("By phase", st.by_phase, 100);
  table("By study type", st.by_study_type, 100);
  table("By country (top 30)", st.by_country, 30);
  return out.str();
}

}  // namespace ts
