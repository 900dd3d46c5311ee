// Legacy XML -> Study with pugixml. See docs/LEGACY_XML.md for the mapping.
#include <pugixml.hpp>

#include <cctype>

#include "common/strings.h"
#include "ingest/ctgov_xml.h"
#include "ingest/xml_results.h"

namespace ts {

namespace {

class XmlWalker {
 public:
  Status status;

  void Fail(const std::string& path, std::string_view msg) {
    if (status.ok()) status = Status::InvalidArgument(path + ": " + std::string(msg));
  }

  static std::string Text(pugi::xml_node n) { return std::string(Trim(n.child_value())); }
  static std::string Text(pugi::xml_node n, const char* child) { return Text(n.child(child)); }
  static std::string Block(pugi::xml_node n, const char* child) {
    return NormalizeTextblock(n.child(child).child_value("textblock"));
  }

  template <typename E>
  std::optional<E> Enum(pugi::xml_node n, const char* child, const std::string& path) {
    std::string s = Text(n, child);
    return EnumText<E>(s, path + "/" + child);
  }

  template <typename E>
  std::optional<E> EnumText(const std::string& s, const std::string& path) {
    if (s.empty()) return std::nullopt;
    auto v = ParseLabel<E>(s);
    if (!v) Fail(path, "unknown value \"" + s.substr(0, 64) + "\"");
    return v;
  }

  std::optional<bool> YesNo(pugi::xml_node n, const char* child, const std::string& path) {
    std::string s = Text(n, child);
    if (s.empty()) return std::nullopt;
    // Records written before 2017 spell some flags true/false.
    if (EqualsIgnoreCase(s, "Yes") || EqualsIgnoreCase(s, "true")) return true;
    if (EqualsIgnoreCase(s, "No") || EqualsIgnoreCase(s, "false")) return false;
    Fail(path + "/" + child, "expected Yes or No (or true / false), got \"" + s.substr(0, 32) + "\"");
    return std::nullopt;
  }

  PartialDate Date(pugi::xml_node n, const char* child) {
    std::string s = Text(n, child);
    if (s.empty()) return {};
    auto d = PartialDate::Parse(s);
    if (!d.ok()) {
      Fail(child, d.status().message());
      return {};
    }
    return *d;
  }

  // <start_date type="Actual">March 2005</start_date>; "Anticipated" and "Estimate" mean estimated.
  DateStruct DateStr(pugi::xml_node n, const char* child) {
    DateStruct out;
    out.date = Date(n, child);
    std::string type(Trim(n.child(child).attribute("type").value()));
    if (type.empty()) return out;
    if (EqualsIgnoreCase(type, "Actual")) {
      out.type = DateType::kActual;
    } else if (EqualsIgnoreCase(type, "Anticipated") || EqualsIgnoreCase(type, "Estimate") ||
               EqualsIgnoreCase(type, "Estimated")) {
      out.type = DateType::kEstimated;
    } else {
      Fail(std::string(child) + "@type", "unknown date type \"" + type.substr(0, 32) + "\"");
    }
    return out;
  }

  std::optional<Age> AgeField(pugi::xml_node n, const char* child) {
    std::string s = Text(n, child);
    if (s.empty() || EqualsIgnoreCase(s, "N/A")) return std::nullopt;
    auto a = Age::Parse(s);
    if (!a.ok()) {
      Fail(std::string("eligibility/") + child, a.status().message());
      return std::nullopt;
    }
    return *a;
  }

  // first_name middle_name last_name, degrees -> "First Middle Last, Degrees".
  static std::string PersonName(pugi::xml_node n) {
    std::string name;
    for (const char* part : {"first_name", "middle_name", "last_name"}) {
      std::string v = Text(n, part);
      if (v.empty()) continue;
      if (!name.empty()) name += ' ';
      name += v;
    }
    std::string degrees = Text(n, "degrees");
    if (!degrees.empty()) name += (name.empty() ? "" : ", ") + degrees;
    return name;
  }

  Contact ContactOf(pugi::xml_node n, std::optional<ContactRole> role) {
    Contact c;
    c.name = PersonName(n);
    c.role = role;
    c.phone = Text(n, "phone");
    c.phone_ext = Text(n, "phone_ext");
    c.email = Text(n, "email");
    return c;
  }

  std::vector<Outcome> Outcomes(pugi::xml_node root, const char* name) {
    std::vector<Outcome> out;
    for (auto n : root.children(name)) {
      out.push_back({CollapseSpace(n.child_value("measure")), NormalizeTextblock(n.child_value("description")),
                     CollapseSpace(n.child_value("time_frame"))});
    }
    return out;
  }

  void Phases(const std::string& s, Design* d) {
    if (s.empty()) return;
    if (EqualsIgnoreCase(s, "N/A")) {
      d->phases.push_back(Phase::kNa);
      return;
    }
    for (std::string_view part : Split(s, '/')) {
      if (auto p = EnumText<Phase>(std::string(Trim(part)), "phase")) d->phases.push_back(*p);
    }
  }

  // "Double (Participant, Investigator)" -> DOUBLE + [PARTICIPANT, INVESTIGATOR]; "None (Open Label)" -> NONE.
  void MaskingOf(const std::string& s, Design* d) {
    if (s.empty()) return;
    std::string_view head = s;
    std::string_view who;
    if (size_t paren = s.find('('); paren != std::string::npos) {
      head = Trim(std::string_view(s).substr(0, paren));
      who = std::string_view(s).substr(paren + 1);
      if (!who.empty() && who.back() == ')') who.remove_suffix(1);
    }
    std::string first(Trim(head.substr(0, head.find(' '))));
    if (EqualsIgnoreCase(first, "None") || EqualsIgnoreCase(first, "Open")) {
      d->masking = Masking::kNone;
      return;
    }
    d->masking = EnumText<Masking>(first, "study_design_info/masking");
    if (EqualsIgnoreCase(Trim(who), "Open Label")) return;
    for (std::string_view w : Split(who, ',')) {
      std::string t(Trim(w));
      if (t.empty()) continue;
      if (auto v = EnumText<WhoMasked>(t, "study_design_info/masking")) d->who_masked.push_back(*v);
    }
  }

  // "N/A" (older records, mostly withdrawn or never started) has no API v2 value: the type is left unset, as
  // the registry's API v2 leaves it.
  void StudyTypeOf(const std::string& s, Design* d) {
    if (s.empty() || EqualsIgnoreCase(s, "N/A")) return;
    std::string_view base = s;
    if (size_t b = s.find('['); b != std::string::npos) {
      base = Trim(base.substr(0, b));
      d->patient_registry = s.find("Patient Registry") != std::string::npos;
    }
    d->study_type = EnumText<StudyType>(std::string(base), "study_type");
  }

  Study Parse(pugi::xml_node root);
};

std::vector<StandardAge> DeriveStdAges(const Eligibility& e) {
  // ClinicalTrials.gov's groups: child 0-17, adult 18-64, older adult 65+ (in years).
  double lo = e.minimum_age ? e.minimum_age->ToYears() : 0;
  double hi = e.maximum_age ? e.maximum_age->ToYears() : 1000;
  std::vector<StandardAge> out;
  if (lo < 18) out.push_back(StandardAge::kChild);
  if (lo < 65 && hi >= 18) out.push_back(StandardAge::kAdult);
  if (hi >= 65) out.push_back(StandardAge::kOlderAdult);
  return out;
}

Study XmlWalker::Parse(pugi::xml_node r) {
  Study s;
  Identification& id = s.identification;
  pugi::xml_node ids = r.child("id_info");
  id.nct_id = Text(ids, "nct_id");
  if (!id.nct_id.empty() && !IsNctId(id.nct_id)) Fail("id_info/nct_id", "not an NCT ID: \"" + id.nct_id.substr(0, 32) + "\"");
  id.org_study_id = Text(ids, "org_study_id");
  for (auto n : ids.children("secondary_id")) id.secondary_ids.push_back({Text(n), std::nullopt, "", ""});
  for (auto n : ids.children("nct_alias")) id.nct_id_aliases.push_back(Text(n));
  id.brief_title = CollapseSpace(r.child_value("brief_title"));
  id.official_title = CollapseSpace(r.child_value("official_title"));
  id.acronym = Text(r, "acronym");
  id.organization.full_name = Text(r, "source");

  pugi::xml_node sponsors = r.child("sponsors");
  pugi::xml_node lead = sponsors.child("lead_sponsor");
  s.lead_sponsor = {Text(lead, "agency"), Enum<AgencyClass>(lead, "agency_class", "sponsors/lead_sponsor")};
  for (auto n : sponsors.children("collaborator")) {
    s.collaborators.push_back({Text(n, "agency"), Enum<AgencyClass>(n, "agency_class", "sponsors/collaborator")});
  }
  pugi::xml_node rp = r.child("responsible_party");
  if (rp) {
    s.responsible_party.type = Enum<ResponsiblePartyType>(rp, "responsible_party_type", "responsible_party");
    s.responsible_party.investigator_full_name = Text(rp, "investigator_full_name");
    s.responsible_party.investigator_title = Text(rp, "investigator_title");
    s.responsible_party.investigator_affiliation = Text(rp, "investigator_affiliation");
    s.responsible_party.old_name_title = Text(rp, "name_title");
    s.responsible_party.old_organization = Text(rp, "organization");
  }
  pugi::xml_node ov = r.child("oversight_info");
  s.oversight.has_dmc = YesNo(ov, "has_dmc", "oversight_info");
  s.oversight.is_fda_regulated_drug = YesNo(ov, "is_fda_regulated_drug", "oversight_info");
  s.oversight.is_fda_regulated_device = YesNo(ov, "is_fda_regulated_device", "oversight_info");

  s.brief_summary = Block(r, "brief_summary");
  s.detailed_description = Block(r, "detailed_description");

  StatusInfo& st = s.status;
  st.overall_status = Enum<OverallStatus>(r, "overall_status", "");
  st.last_known_status = Enum<OverallStatus>(r, "last_known_status", "");
  st.why_stopped = CollapseSpace(r.child_value("why_stopped"));
  st.has_expanded_access = YesNo(r, "has_expanded_access", "");
  st.start_date = DateStr(r, "start_date");
  st.completion_date = DateStr(r, "completion_date");
  st.primary_completion_date = DateStr(r, "primary_completion_date");
  st.status_verified_date = Date(r, "verification_date");
  st.study_first_submit_date = Date(r, "study_first_submitted");
  st.study_first_post_date = DateStr(r, "study_first_posted");
  st.last_update_submit_date = Date(r, "last_update_submitted");
  st.last_update_post_date = DateStr(r, "last_update_posted");
  st.results_first_post_date = DateStr(r, "results_first_posted");

  Design& d = s.design;
  Phases(Text(r, "phase"), &d);
  StudyTypeOf(Text(r, "study_type"), &d);
  pugi::xml_node di = r.child("study_design_info");
  d.allocation = Enum<Allocation>(di, "allocation", "study_design_info");
  d.intervention_model = Enum<InterventionModel>(di, "intervention_model", "study_design_info");
  d.intervention_model_description = CollapseSpace(di.child_value("intervention_model_description"));
  d.primary_purpose = Enum<PrimaryPurpose>(di, "primary_purpose", "study_design_info");
  d.observational_model = Enum<ObservationalModel>(di, "observational_model", "study_design_info");
  d.time_perspective = Enum<TimePerspective>(di, "time_perspective", "study_design_info");
  MaskingOf(Text(di, "masking"), &d);
  d.masking_description = CollapseSpace(di.child_value("masking_description"));
  if (pugi::xml_node en = r.child("enrollment")) {
    std::string v = Text(en);
    int64_t count;
    if (!v.empty()) {
      if (ParseInt64(v, &count) && count >= 0) {
        d.enrollment_count = count;
      } else {
        Fail("enrollment", "not a count: \"" + v.substr(0, 32) + "\"");
      }
    }
    std::string type(Trim(en.attribute("type").value()));
    if (EqualsIgnoreCase(type, "Actual")) {
      d.enrollment_type = EnrollmentType::kActual;
    } else if (EqualsIgnoreCase(type, "Anticipated") || EqualsIgnoreCase(type, "Estimate") ||
               EqualsIgnoreCase(type, "Estimated")) {
      d.enrollment_type = EnrollmentType::kEstimated;
    } else if (!type.empty()) {
      Fail("enrollment@type", "unknown value \"" + type.substr(0, 32) + "\"");
    }
  }

  for (auto n : r.children("condition")) s.conditions.push_back(CollapseSpace(n.child_value()));
  for (auto n : r.children("keyword")) s.keywords.push_back(CollapseSpace(n.child_value()));

  for (auto n : r.children("intervention")) {
    Intervention iv;
    iv.type = Enum<InterventionType>(n, "intervention_type", "intervention");
    iv.name = CollapseSpace(n.child_value("intervention_name"));
    iv.description = NormalizeTextblock(n.child_value("description"));
    for (auto a : n.children("arm_group_label")) iv.arm_group_labels.push_back(CollapseSpace(a.child_value()));
    for (auto a : n.children("other_name")) iv.other_names.push_back(CollapseSpace(a.child_value()));
    s.interventions.push_back(std::move(iv));
  }
  for (auto n : r.children("arm_group")) {
    ArmGroup arm;
    arm.label = CollapseSpace(n.child_value("arm_group_label"));
    arm.type = Enum<ArmGroupType>(n, "arm_group_type", "arm_group");
    arm.description = NormalizeTextblock(n.child_value("description"));
    // API v2 lists "Type: Name" of each intervention given to the arm; legacy XML links them the other way.
    for (const Intervention& iv : s.interventions) {
      for (const std::string& label : iv.arm_group_labels) {
        if (label == arm.label) {
          arm.intervention_names.push_back(std::string(iv.type ? Label(*iv.type) : "Other") + ": " + iv.name);
          break;
        }
      }
    }
    s.arm_groups.push_back(std::move(arm));
  }
  s.primary_outcomes = Outcomes(r, "primary_outcome");
  s.secondary_outcomes = Outcomes(r, "secondary_outcome");
  s.other_outcomes = Outcomes(r, "other_outcome");

  pugi::xml_node el = r.child("eligibility");
  Eligibility& e = s.eligibility;
  e.criteria = Block(el, "criteria");
  e.study_population = Block(el, "study_pop");
  {
    std::string sampling = Text(el, "sampling_method");
    e.sampling_method = EnumText<SamplingMethod>(sampling, "eligibility/sampling_method");
  }
  if (std::string g = Text(el, "gender"); EqualsIgnoreCase(g, "Both")) {
    e.sex = Sex::kAll;  // the spelling before 2017
  } else {
    e.sex = EnumText<Sex>(g, "eligibility/gender");
  }
  e.gender_based = YesNo(el, "gender_based", "eligibility");
  e.gender_description = CollapseSpace(el.child_value("gender_description"));
  e.minimum_age = AgeField(el, "minimum_age");
  e.maximum_age = AgeField(el, "maximum_age");
  if (std::string hv = Text(el, "healthy_volunteers"); !hv.empty()) {
    e.healthy_volunteers = EqualsIgnoreCase(hv, "Accepts Healthy Volunteers") || EqualsIgnoreCase(hv, "Yes");
    if (!*e.healthy_volunteers && !EqualsIgnoreCase(hv, "No")) {
      Fail("eligibility/healthy_volunteers", "unknown value \"" + hv.substr(0, 32) + "\"");
    }
  }
  if (el) e.std_ages = DeriveStdAges(e);

  for (auto n : r.children("overall_official")) {
    s.overall_officials.push_back({PersonName(n), Text(n, "affiliation"), Enum<ContactRole>(n, "role", "overall_official")});
  }
  for (const char* name : {"overall_contact", "overall_contact_backup"}) {
    if (pugi::xml_node n = r.child(name)) s.central_contacts.push_back(ContactOf(n, ContactRole::kContact));
  }
  for (auto n : r.children("location")) {
    Location loc;
    pugi::xml_node f = n.child("facility");
    loc.facility = CollapseSpace(f.child_value("name"));
    pugi::xml_node addr = f.child("address");
    loc.city = Text(addr, "city");
    loc.state = Text(addr, "state");
    loc.zip = Text(addr, "zip");
    loc.country = Text(addr, "country");
    loc.status = Enum<OverallStatus>(n, "status", "location");
    for (const char* cname : {"contact", "contact_backup"}) {
      if (pugi::xml_node c = n.child(cname)) loc.contacts.push_back(ContactOf(c, ContactRole::kContact));
    }
    for (auto inv : n.children("investigator")) {
      Contact c;
      c.name = PersonName(inv);
      c.role = Enum<ContactRole>(inv, "role", "location/investigator");
      loc.contacts.push_back(std::move(c));
    }
    s.locations.push_back(std::move(loc));
  }
  for (auto n : r.children("reference")) {
    s.references.push_back({Text(n, "PMID"), ReferenceType::kBackground, CollapseSpace(n.child_value("citation")), {}});
  }
  for (auto n : r.children("results_reference")) {
    s.references.push_back({Text(n, "PMID"), ReferenceType::kResult, CollapseSpace(n.child_value("citation")), {}});
  }
  for (auto n : r.child("condition_browse").children("mesh_term")) s.condition_meshes.push_back({"", Text(n)});
  for (auto n : r.child("intervention_browse").children("mesh_term")) s.intervention_meshes.push_back({"", Text(n)});
  s.has_results = static_cast<bool>(r.child("clinical_results"));
  if (pugi::xml_node cr = r.child("clinical_results")) {
    StudyResults results;
    Status rs = ingest_internal::ReadXmlResults(cr, &results);
    if (!rs.ok() && status.ok()) status = rs;
    s.results = std::move(results);
  }
  return s;
}

bool IsListItem(std::string_view line) {
  if (line.empty()) return false;
  if (line[0] == '-' || line[0] == '*' || StartsWith(line, "\xE2\x80\xA2")) return true;  // - * •
  size_t i = 0;
  while (i < line.size() && i < 3 && (std::isdigit(static_cast<unsigned char>(line[i])) || std::isalpha(static_cast<unsigned char>(line[i])))) ++i;
  return i > 0 && i < line.size() && (line[i] == '.' || line[i] == ')');
}

}  // namespace

std::string NormalizeTextblock(std::string_view text) {
  std::vector<std::string_view> lines = Split(text, '\n');
  std::string out;
  bool in_paragraph = false;
  bool pending_blank = false;
  for (std::string_view raw : lines) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty()) {
      if (!out.empty()) pending_blank = true;
      in_paragraph = false;
      continue;
    }
    if (pending_blank) {
      out += "\n\n";
      pending_blank = false;
    } else if (in_paragraph && IsListItem(line)) {
      out += "\n";
    } else if (in_paragraph) {
      out += " ";
    }
    out += line;
    in_paragraph = true;
  }
  return out;
}

Result<Study> ParseStudyXml(std::string_view xml) {
  // The model holds valid UTF-8 only: invalid bytes become U+FFFD (the raw record keeps the original).
  std::string sanitized;
  if (!IsValidUtf8(xml)) {
    sanitized = SanitizeUtf8(xml);
    xml = sanitized;
  }
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res) {
    return Status::InvalidArgument("invalid XML at byte " + std::to_string(res.offset) + ": " + res.description());
  }
  pugi::xml_node root = doc.child("clinical_study");
  if (!root) return Status::InvalidArgument("not a legacy study: no <clinical_study> root element");
  // A numeric character reference can decode to bytes that are no UTF-8 ("&#x111111;"): such text is
  // sanitized like raw invalid bytes, so the model holds valid UTF-8 only.
  struct Sanitizer : pugi::xml_tree_walker {
    bool for_each(pugi::xml_node& n) override {
      if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) && !IsValidUtf8(n.value())) {
        n.set_value(SanitizeUtf8(n.value()).c_str());
      }
      for (pugi::xml_attribute a : n.attributes()) {
        if (!IsValidUtf8(a.value())) a.set_value(SanitizeUtf8(a.value()).c_str());
      }
      return true;
    }
  } sanitizer;
  doc.traverse(sanitizer);
  XmlWalker w;
  Study s = w.Parse(root);
  if (!w.status.ok()) return w.status;
  const Identification& id = s.identification;
  if (id.nct_id.empty() && id.org_study_id.empty() && id.brief_title.empty()) {
    return Status::InvalidArgument("id_info: no nct_id, org_study_id or brief_title");
  }
  return s;
}

}  // namespace ts
