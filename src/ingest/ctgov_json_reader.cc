// API v2 JSON -> Study, with simdjson's DOM API (no exceptions).
#include <simdjson.h>

#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "ingest/json_fields.h"
#include "ingest/record_sections_json.h"
#include "ingest/results_json.h"

namespace ts {

namespace {

using namespace ingest_internal;  // NOLINT: the field helpers and simdjson's DOM names

// Walks a study object, remembering the first error with its JSON path.
class Walker : public JsonFieldReader {
 public:
  Contact ContactOf(object c, const std::string& p) {
    Contact out;
    out.name = Str(c, "name", p);
    out.role = Enum<ContactRole>(c, "role", p);
    out.phone = Str(c, "phone", p);
    out.phone_ext = Str(c, "phoneExt", p);
    out.email = Str(c, "email", p);
    return out;
  }

  std::vector<Outcome> Outcomes(object o, const char* key, const std::string& path) {
    std::vector<Outcome> out;
    EachObj(o, key, path, [&](object x, const std::string& p) {
      out.push_back({Str(x, "measure", p), Str(x, "description", p), Str(x, "timeFrame", p)});
    });
    return out;
  }

  std::vector<MeshTerm> Meshes(object derived, const char* module, const std::string& path) {
    std::vector<MeshTerm> out;
    auto m = Obj(derived, module, path);
    if (!m) return out;
    EachObj(*m, "meshes", path + "." + module, [&](object x, const std::string& p) {
      out.push_back({Str(x, "id", p), Str(x, "term", p)});
    });
    return out;
  }

  void Protocol(object ps, Study* s);
};

void Walker::Protocol(object ps, Study* s) {
  const std::string root = "protocolSection";
  if (auto m = Obj(ps, "identificationModule", root)) {
    std::string p = root + ".identificationModule";
    Identification& id = s->identification;
    id.nct_id = Str(*m, "nctId", p);
    if (!id.nct_id.empty() && !IsNctId(id.nct_id)) Fail(p + ".nctId", "not an NCT ID: \"" + id.nct_id.substr(0, 32) + "\"");
    if (auto org = Obj(*m, "orgStudyIdInfo", p)) {
      id.org_study_id = Str(*org, "id", p + ".orgStudyIdInfo");
      id.org_study_id_type = Enum<OrgStudyIdType>(*org, "type", p + ".orgStudyIdInfo");
      id.org_study_id_link = Str(*org, "link", p + ".orgStudyIdInfo");
    }
    EachObj(*m, "secondaryIdInfos", p, [&](object x, const std::string& q) {
      id.secondary_ids.push_back(
          {Str(x, "id", q), Enum<SecondaryIdType>(x, "type", q), Str(x, "domain", q), Str(x, "link", q)});
    });
    id.nct_id_aliases = Strings(*m, "nctIdAliases", p);
    if (auto org = Obj(*m, "organization", p)) {
      id.organization.full_name = Str(*org, "fullName", p + ".organization");
      id.organization.agency_class = Enum<AgencyClass>(*org, "class", p + ".organization");
    }
    id.brief_title = Str(*m, "briefTitle", p);
    id.official_title = Str(*m, "officialTitle", p);
    id.acronym = Str(*m, "acronym", p);
  } else {
    Fail(root, "missing identificationModule");
  }
  if (auto m = Obj(ps, "statusModule", root)) {
    std::string p = root + ".statusModule";
    StatusInfo& st = s->status;
    st.status_verified_date = Date(*m, "statusVerifiedDate", p);
    st.overall_status = Enum<OverallStatus>(*m, "overallStatus", p);
    st.last_known_status = Enum<OverallStatus>(*m, "lastKnownStatus", p);
    st.why_stopped = Str(*m, "whyStopped", p);
    st.delayed_posting = Bool(*m, "delayedPosting", p);
    if (auto ea = Obj(*m, "expandedAccessInfo", p)) {
      std::string q = p + ".expandedAccessInfo";
      st.has_expanded_access = Bool(*ea, "hasExpandedAccess", q);
      st.expanded_access_nct_id = Str(*ea, "nctId", q);
      st.expanded_access_status = Enum<ExpandedAccessStatus>(*ea, "statusForNctId", q);
    }
    st.start_date = DateStr(*m, "startDateStruct", p);
    st.primary_completion_date = DateStr(*m, "primaryCompletionDateStruct", p);
    st.completion_date = DateStr(*m, "completionDateStruct", p);
    st.study_first_submit_date = Date(*m, "studyFirstSubmitDate", p);
    st.study_first_submit_qc_date = Date(*m, "studyFirstSubmitQcDate", p);
    st.study_first_post_date = DateStr(*m, "studyFirstPostDateStruct", p);
    st.results_first_submit_date = Date(*m, "resultsFirstSubmitDate", p);
    st.results_first_submit_qc_date = Date(*m, "resultsFirstSubmitQcDate", p);
    st.disp_first_submit_date = Date(*m, "dispFirstSubmitDate", p);
    st.disp_first_submit_qc_date = Date(*m, "dispFirstSubmitQcDate", p);
    st.disp_first_post_date = DateStr(*m, "dispFirstPostDateStruct", p);
    st.last_update_submit_date = Date(*m, "lastUpdateSubmitDate", p);
    st.last_update_post_date = DateStr(*m, "lastUpdatePostDateStruct", p);
    st.results_first_post_date = DateStr(*m, "resultsFirstPostDateStruct", p);
  }
  if (auto m = Obj(ps, "sponsorCollaboratorsModule", root)) {
    std::string p = root + ".sponsorCollaboratorsModule";
    if (auto rp = Obj(*m, "responsibleParty", p)) {
      std::string q = p + ".responsibleParty";
      ResponsibleParty& r = s->responsible_party;
      r.type = Enum<ResponsiblePartyType>(*rp, "type", q);
      r.investigator_full_name = Str(*rp, "investigatorFullName", q);
      r.investigator_title = Str(*rp, "investigatorTitle", q);
      r.investigator_affiliation = Str(*rp, "investigatorAffiliation", q);
      r.old_name_title = Str(*rp, "oldNameTitle", q);
      r.old_organization = Str(*rp, "oldOrganization", q);
    }
    if (auto ls = Obj(*m, "leadSponsor", p)) {
      s->lead_sponsor = {Str(*ls, "name", p + ".leadSponsor"), Enum<AgencyClass>(*ls, "class", p + ".leadSponsor")};
    }
    EachObj(*m, "collaborators", p, [&](object x, const std::string& q) {
      s->collaborators.push_back({Str(x, "name", q), Enum<AgencyClass>(x, "class", q)});
    });
  }
  if (auto m = Obj(ps, "oversightModule", root)) {
    std::string p = root + ".oversightModule";
    s->oversight.has_dmc = Bool(*m, "oversightHasDmc", p);
    s->oversight.is_fda_regulated_drug = Bool(*m, "isFdaRegulatedDrug", p);
    s->oversight.is_fda_regulated_device = Bool(*m, "isFdaRegulatedDevice", p);
    s->oversight.is_unapproved_device = Bool(*m, "isUnapprovedDevice", p);
    s->oversight.is_ppsd = Bool(*m, "isPpsd", p);
    s->oversight.is_us_export = Bool(*m, "isUsExport", p);
    s->oversight.fdaaa801_violation = Bool(*m, "fdaaa801Violation", p);
  }
  if (auto m = Obj(ps, "descriptionModule", root)) {
    std::string p = root + ".descriptionModule";
    s->brief_summary = Str(*m, "briefSummary", p);
    s->detailed_description = Str(*m, "detailedDescription", p);
  }
  if (auto m = Obj(ps, "conditionsModule", root)) {
    std::string p = root + ".conditionsModule";
    s->conditions = Strings(*m, "conditions", p);
    s->keywords = Strings(*m, "keywords", p);
  }
  if (auto m = Obj(ps, "designModule", root)) {
    std::string p = root + ".designModule";
    Design& d = s->design;
    d.study_type = Enum<StudyType>(*m, "studyType", p);
    d.patient_registry = Bool(*m, "patientRegistry", p);
    d.target_duration = Str(*m, "targetDuration", p);
    d.n_ptrs_to_this_exp_acc_nct_id = Int(*m, "nPtrsToThisExpAccNctId", p);
    if (auto ea = Obj(*m, "expandedAccessTypes", p)) {
      std::string q = p + ".expandedAccessTypes";
      d.expanded_access_individual = Bool(*ea, "individual", q);
      d.expanded_access_intermediate = Bool(*ea, "intermediate", q);
      d.expanded_access_treatment = Bool(*ea, "treatment", q);
    }
    if (auto bs = Obj(*m, "bioSpec", p)) {
      d.bio_spec_retention = Str(*bs, "retention", p + ".bioSpec");
      d.bio_spec_description = Str(*bs, "description", p + ".bioSpec");
    }
    d.phases = Enums<Phase>(*m, "phases", p);
    if (auto di = Obj(*m, "designInfo", p)) {
      std::string q = p + ".designInfo";
      d.allocation = Enum<Allocation>(*di, "allocation", q);
      d.intervention_model = Enum<InterventionModel>(*di, "interventionModel", q);
      d.intervention_model_description = Str(*di, "interventionModelDescription", q);
      d.primary_purpose = Enum<PrimaryPurpose>(*di, "primaryPurpose", q);
      d.observational_model = Enum<ObservationalModel>(*di, "observationalModel", q);
      d.time_perspective = Enum<TimePerspective>(*di, "timePerspective", q);
      if (auto mi = Obj(*di, "maskingInfo", q)) {
        d.masking = Enum<Masking>(*mi, "masking", q + ".maskingInfo");
        d.who_masked = Enums<WhoMasked>(*mi, "whoMasked", q + ".maskingInfo");
        d.masking_description = Str(*mi, "maskingDescription", q + ".maskingInfo");
      }
    }
    if (auto ei = Obj(*m, "enrollmentInfo", p)) {
      d.enrollment_count = Int(*ei, "count", p + ".enrollmentInfo");
      d.enrollment_type = Enum<EnrollmentType>(*ei, "type", p + ".enrollmentInfo");
    }
  }
  if (auto m = Obj(ps, "armsInterventionsModule", root)) {
    std::string p = root + ".armsInterventionsModule";
    EachObj(*m, "armGroups", p, [&](object x, const std::string& q) {
      s->arm_groups.push_back({Str(x, "label", q), Enum<ArmGroupType>(x, "type", q), Str(x, "description", q),
                               Strings(x, "interventionNames", q)});
    });
    EachObj(*m, "interventions", p, [&](object x, const std::string& q) {
      s->interventions.push_back({Enum<InterventionType>(x, "type", q), Str(x, "name", q), Str(x, "description", q),
                                  Strings(x, "armGroupLabels", q), Strings(x, "otherNames", q)});
    });
  }
  if (auto m = Obj(ps, "outcomesModule", root)) {
    std::string p = root + ".outcomesModule";
    s->primary_outcomes = Outcomes(*m, "primaryOutcomes", p);
    s->secondary_outcomes = Outcomes(*m, "secondaryOutcomes", p);
    s->other_outcomes = Outcomes(*m, "otherOutcomes", p);
  }
  if (auto m = Obj(ps, "eligibilityModule", root)) {
    std::string p = root + ".eligibilityModule";
    Eligibility& e = s->eligibility;
    e.criteria = Str(*m, "eligibilityCriteria", p);
    e.healthy_volunteers = Bool(*m, "healthyVolunteers", p);
    e.sex = Enum<Sex>(*m, "sex", p);
    e.gender_based = Bool(*m, "genderBased", p);
    e.gender_description = Str(*m, "genderDescription", p);
    e.minimum_age = AgeField(*m, "minimumAge", p);
    e.maximum_age = AgeField(*m, "maximumAge", p);
    e.std_ages = Enums<StandardAge>(*m, "stdAges", p);
    e.study_population = Str(*m, "studyPopulation", p);
    e.sampling_method = Enum<SamplingMethod>(*m, "samplingMethod", p);
  }
  if (auto m = Obj(ps, "contactsLocationsModule", root)) {
    std::string p = root + ".contactsLocationsModule";
    EachObj(*m, "centralContacts", p, [&](object x, const std::string& q) { s->central_contacts.push_back(ContactOf(x, q)); });
    EachObj(*m, "overallOfficials", p, [&](object x, const std::string& q) {
      s->overall_officials.push_back({Str(x, "name", q), Str(x, "affiliation", q), Enum<ContactRole>(x, "role", q)});
    });
    EachObj(*m, "locations", p, [&](object x, const std::string& q) {
      Location loc;
      loc.facility = Str(x, "facility", q);
      loc.status = Enum<OverallStatus>(x, "status", q);
      loc.city = Str(x, "city", q);
      loc.state = Str(x, "state", q);
      loc.zip = Str(x, "zip", q);
      loc.country = Str(x, "country", q);
      EachObj(x, "contacts", q, [&](object c, const std::string& r) { loc.contacts.push_back(ContactOf(c, r)); });
      if (auto g = Obj(x, "geoPoint", q)) {
        auto lat = Num(*g, "lat", q + ".geoPoint");
        auto lon = Num(*g, "lon", q + ".geoPoint");
        if (lat && lon) {
          if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
            Fail(q + ".geoPoint", "latitude or longitude out of range");
          } else {
            loc.geo_point = GeoPoint{*lat, *lon};
          }
        }
      }
      s->locations.push_back(std::move(loc));
    });
  }
  if (auto m = Obj(ps, "referencesModule", root)) {
    std::string p = root + ".referencesModule";
    EachObj(*m, "references", p, [&](object x, const std::string& q) {
      Reference r{Str(x, "pmid", q), Enum<ReferenceType>(x, "type", q), Str(x, "citation", q), {}};
      EachObj(x, "retractions", q, [&](object y, const std::string& u) {
        r.retractions.push_back({Str(y, "pmid", u), Str(y, "source", u)});
      });
      s->references.push_back(std::move(r));
    });
    EachObj(*m, "seeAlsoLinks", p, [&](object x, const std::string& q) {
      s->see_also_links.push_back({Str(x, "label", q), Str(x, "url", q)});
    });
    EachObj(*m, "availIpds", p, [&](object x, const std::string& q) {
      s->avail_ipds.push_back({Str(x, "id", q), Str(x, "type", q), Str(x, "url", q), Str(x, "comment", q)});
    });
  }
  if (auto m = Obj(ps, "ipdSharingStatementModule", root)) {
    std::string p = root + ".ipdSharingStatementModule";
    s->ipd_sharing = IpdSharingStatement{Enum<IpdSharing>(*m, "ipdSharing", p), Str(*m, "description", p),
                                         Enums<IpdInfoType>(*m, "infoTypes", p), Str(*m, "timeFrame", p),
                                         Str(*m, "accessCriteria", p), Str(*m, "url", p)};
  }
}

}  // namespace

struct StudyJsonReader::Impl {
  simdjson::dom::parser parser;
};

StudyJsonReader::StudyJsonReader() : impl_(std::make_unique<Impl>()) {}
StudyJsonReader::~StudyJsonReader() = default;

Result<Study> StudyJsonReader::Parse(std::string_view json) {
  element doc;
  auto err = impl_->parser.parse(json.data(), json.size(), true).get(doc);
  if (err) return Status::InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(err));
  object root;
  if (doc.get_object().get(root)) return Status::InvalidArgument("expected a study object");
  Walker w;
  Study s;
  auto ps = w.Obj(root, "protocolSection", "");
  if (!ps) {
    if (!w.status.ok()) return w.status;
    return Status::InvalidArgument("not a ClinicalTrials.gov study: no protocolSection");
  }
  w.Protocol(*ps, &s);
  if (auto ds = w.Obj(root, "derivedSection", "")) {
    s.condition_meshes = w.Meshes(*ds, "conditionBrowseModule", "derivedSection");
    s.intervention_meshes = w.Meshes(*ds, "interventionBrowseModule", "derivedSection");
    if (auto m = w.Obj(*ds, "conditionBrowseModule", "derivedSection")) {
      s.condition_browse = ReadBrowseTree(w, *m, "derivedSection.conditionBrowseModule");
    }
    if (auto m = w.Obj(*ds, "interventionBrowseModule", "derivedSection")) {
      s.intervention_browse = ReadBrowseTree(w, *m, "derivedSection.interventionBrowseModule");
    }
    if (auto m = w.Obj(*ds, "miscInfoModule", "derivedSection")) s.misc_info = ReadMiscInfo(w, *m, "derivedSection.miscInfoModule");
  }
  if (auto d = w.Obj(root, "documentSection", "")) s.documents = ReadDocuments(w, *d, "documentSection");
  if (auto a = w.Obj(root, "annotationSection", "")) s.annotations = ReadAnnotations(w, *a, "annotationSection");
  if (auto rs = w.Obj(root, "resultsSection", "")) s.results = ReadResults(w, *rs, "resultsSection");
  s.has_results = w.Bool(root, "hasResults", "").value_or(false);
  if (!w.status.ok()) return w.status;
  const Identification& id = s.identification;
  if (id.nct_id.empty() && id.org_study_id.empty() && id.brief_title.empty() && id.official_title.empty()) {
    return Status::InvalidArgument("protocolSection.identificationModule: no nctId, orgStudyIdInfo or title");
  }
  return s;
}

}  // namespace ts
