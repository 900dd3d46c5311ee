// Study -> API v2 JSON. Only set fields are written, in the API's module order.
#include "ingest/ctgov_json.h"
#include "ingest/json_fields.h"
#include "ingest/record_sections_json.h"
#include "ingest/results_json.h"

namespace ts {

namespace {

using Out = ingest_internal::JsonFieldWriter;

void WriteContact(Out& o, const Contact& c) {
  o.Str("name", c.name);
  o.Enum("role", c.role);
  o.Str("phone", c.phone);
  o.Str("phoneExt", c.phone_ext);
  o.Str("email", c.email);
}

void WriteOutcomes(Out& o, const char* key, const std::vector<Outcome>& v) {
  o.Array(key, v, [&](const Outcome& x) {
    o.Str("measure", x.measure);
    o.Str("description", x.description);
    o.Str("timeFrame", x.time_frame);
  });
}

void WriteProtocol(Out& o, const Study& s) {
  const Identification& id = s.identification;
  o.Object("identificationModule", [&] {
    o.Str("nctId", id.nct_id);
    o.Strings("nctIdAliases", id.nct_id_aliases);
    if (!id.org_study_id.empty() || id.org_study_id_type || !id.org_study_id_link.empty()) {
      o.Object("orgStudyIdInfo", [&] {
        o.Str("id", id.org_study_id);
        o.Enum("type", id.org_study_id_type);
        o.Str("link", id.org_study_id_link);
      });
    }
    o.Array("secondaryIdInfos", id.secondary_ids, [&](const SecondaryId& x) {
      o.Str("id", x.id);
      o.Enum("type", x.type);
      o.Str("domain", x.domain);
      o.Str("link", x.link);
    });
    if (!id.organization.full_name.empty() || id.organization.agency_class) {
      o.Object("organization", [&] {
        o.Str("fullName", id.organization.full_name);
        o.Enum("class", id.organization.agency_class);
      });
    }
    o.Str("briefTitle", id.brief_title);
    o.Str("officialTitle", id.official_title);
    o.Str("acronym", id.acronym);
  });
  const StatusInfo& st = s.status;
  o.Object("statusModule", [&] {
    o.Date("statusVerifiedDate", st.status_verified_date);
    o.Enum("overallStatus", st.overall_status);
    o.Enum("lastKnownStatus", st.last_known_status);
    o.Str("whyStopped", st.why_stopped);
    o.Bool("delayedPosting", st.delayed_posting);
    if (st.has_expanded_access || !st.expanded_access_nct_id.empty() || st.expanded_access_status) {
      o.Object("expandedAccessInfo", [&] {
        o.Bool("hasExpandedAccess", st.has_expanded_access);
        o.Str("nctId", st.expanded_access_nct_id);
        o.Enum("statusForNctId", st.expanded_access_status);
      });
    }
    o.DateStr("startDateStruct", st.start_date);
    o.DateStr("primaryCompletionDateStruct", st.primary_completion_date);
    o.DateStr("completionDateStruct", st.completion_date);
    o.Date("studyFirstSubmitDate", st.study_first_submit_date);
    o.Date("studyFirstSubmitQcDate", st.study_first_submit_qc_date);
    o.DateStr("studyFirstPostDateStruct", st.study_first_post_date);
    o.Date("resultsFirstSubmitDate", st.results_first_submit_date);
    o.Date("resultsFirstSubmitQcDate", st.results_first_submit_qc_date);
    o.Date("lastUpdateSubmitDate", st.last_update_submit_date);
    o.DateStr("lastUpdatePostDateStruct", st.last_update_post_date);
    o.DateStr("resultsFirstPostDateStruct", st.results_first_post_date);
    o.Date("dispFirstSubmitDate", st.disp_first_submit_date);
    o.Date("dispFirstSubmitQcDate", st.disp_first_submit_qc_date);
    o.DateStr("dispFirstPostDateStruct", st.disp_first_post_date);
  });
  o.Object("sponsorCollaboratorsModule", [&] {
    const ResponsibleParty& r = s.responsible_party;
    if (r != ResponsibleParty{}) {
      o.Object("responsibleParty", [&] {
        o.Enum("type", r.type);
        o.Str("investigatorFullName", r.investigator_full_name);
        o.Str("investigatorTitle", r.investigator_title);
        o.Str("investigatorAffiliation", r.investigator_affiliation);
        o.Str("oldNameTitle", r.old_name_title);
        o.Str("oldOrganization", r.old_organization);
      });
    }
    if (s.lead_sponsor != Sponsor{}) {
      o.Object("leadSponsor", [&] {
        o.Str("name", s.lead_sponsor.name);
        o.Enum("class", s.lead_sponsor.agency_class);
      });
    }
    o.Array("collaborators", s.collaborators, [&](const Sponsor& x) {
      o.Str("name", x.name);
      o.Enum("class", x.agency_class);
    });
  });
  if (s.oversight != Oversight{}) {
    o.Object("oversightModule", [&] {
      o.Bool("oversightHasDmc", s.oversight.has_dmc);
      o.Bool("isFdaRegulatedDrug", s.oversight.is_fda_regulated_drug);
      o.Bool("isFdaRegulatedDevice", s.oversight.is_fda_regulated_device);
      o.Bool("isUnapprovedDevice", s.oversight.is_unapproved_device);
      o.Bool("isPpsd", s.oversight.is_ppsd);
      o.Bool("isUsExport", s.oversight.is_us_export);
      o.Bool("fdaaa801Violation", s.oversight.fdaaa801_violation);
    });
  }
  o.Object("descriptionModule", [&] {
    o.Str("briefSummary", s.brief_summary);
    o.Str("detailedDescription", s.detailed_description);
  });
  o.Object("conditionsModule", [&] {
    o.Strings("conditions", s.conditions);
    o.Strings("keywords", s.keywords);
  });
  const Design& d = s.design;
  o.Object("designModule", [&] {
    o.Enum("studyType", d.study_type);
    o.Int("nPtrsToThisExpAccNctId", d.n_ptrs_to_this_exp_acc_nct_id);
    if (d.expanded_access_individual || d.expanded_access_intermediate || d.expanded_access_treatment) {
      o.Object("expandedAccessTypes", [&] {
        o.Bool("individual", d.expanded_access_individual);
        o.Bool("intermediate", d.expanded_access_intermediate);
        o.Bool("treatment", d.expanded_access_treatment);
      });
    }
    o.Bool("patientRegistry", d.patient_registry);
    o.Str("targetDuration", d.target_duration);
    o.Enums("phases", d.phases);
    bool has_info = d.allocation || d.intervention_model || !d.intervention_model_description.empty() ||
                    d.primary_purpose || d.observational_model || d.time_perspective || d.masking ||
                    !d.who_masked.empty() || !d.masking_description.empty();
    if (has_info) {
      o.Object("designInfo", [&] {
        o.Enum("allocation", d.allocation);
        o.Enum("interventionModel", d.intervention_model);
        o.Str("interventionModelDescription", d.intervention_model_description);
        o.Enum("primaryPurpose", d.primary_purpose);
        o.Enum("observationalModel", d.observational_model);
        o.Enum("timePerspective", d.time_perspective);
        if (d.masking || !d.who_masked.empty() || !d.masking_description.empty()) {
          o.Object("maskingInfo", [&] {
            o.Enum("masking", d.masking);
            o.Str("maskingDescription", d.masking_description);
            o.Enums("whoMasked", d.who_masked);
          });
        }
      });
    }
    if (d.enrollment_count || d.enrollment_type) {
      o.Object("enrollmentInfo", [&] {
        if (d.enrollment_count) {
          o.w()->Key("count");
          o.w()->Int(*d.enrollment_count);
        }
        o.Enum("type", d.enrollment_type);
      });
    }
    if (!d.bio_spec_retention.empty() || !d.bio_spec_description.empty()) {
      o.Object("bioSpec", [&] {
        o.Str("retention", d.bio_spec_retention);
        o.Str("description", d.bio_spec_description);
      });
    }
  });
  if (!s.arm_groups.empty() || !s.interventions.empty()) {
    o.Object("armsInterventionsModule", [&] {
      o.Array("armGroups", s.arm_groups, [&](const ArmGroup& x) {
        o.Str("label", x.label);
        o.Enum("type", x.type);
        o.Str("description", x.description);
        o.Strings("interventionNames", x.intervention_names);
      });
      o.Array("interventions", s.interventions, [&](const Intervention& x) {
        o.Enum("type", x.type);
        o.Str("name", x.name);
        o.Str("description", x.description);
        o.Strings("armGroupLabels", x.arm_group_labels);
        o.Strings("otherNames", x.other_names);
      });
    });
  }
  if (!s.primary_outcomes.empty() || !s.secondary_outcomes.empty() || !s.other_outcomes.empty()) {
    o.Object("outcomesModule", [&] {
      WriteOutcomes(o, "primaryOutcomes", s.primary_outcomes);
      WriteOutcomes(o, "secondaryOutcomes", s.secondary_outcomes);
      WriteOutcomes(o, "otherOutcomes", s.other_outcomes);
    });
  }
  const Eligibility& e = s.eligibility;
  o.Object("eligibilityModule", [&] {
    o.Str("eligibilityCriteria", e.criteria);
    o.Bool("healthyVolunteers", e.healthy_volunteers);
    o.Enum("sex", e.sex);
    o.Bool("genderBased", e.gender_based);
    o.Str("genderDescription", e.gender_description);
    if (e.minimum_age) o.Str("minimumAge", e.minimum_age->ToString());
    if (e.maximum_age) o.Str("maximumAge", e.maximum_age->ToString());
    o.Enums("stdAges", e.std_ages);
    o.Str("studyPopulation", e.study_population);
    o.Enum("samplingMethod", e.sampling_method);
  });
  if (!s.central_contacts.empty() || !s.overall_officials.empty() || !s.locations.empty()) {
    o.Object("contactsLocationsModule", [&] {
      o.Array("centralContacts", s.central_contacts, [&](const Contact& c) { WriteContact(o, c); });
      o.Array("overallOfficials", s.overall_officials, [&](const Official& x) {
        o.Str("name", x.name);
        o.Str("affiliation", x.affiliation);
        o.Enum("role", x.role);
      });
      o.Array("locations", s.locations, [&](const Location& x) {
        o.Str("facility", x.facility);
        o.Enum("status", x.status);
        o.Str("city", x.city);
        o.Str("state", x.state);
        o.Str("zip", x.zip);
        o.Str("country", x.country);
        o.Array("contacts", x.contacts, [&](const Contact& c) { WriteContact(o, c); });
        if (x.geo_point) {
          o.Object("geoPoint", [&] {
            o.w()->Key("lat");
            o.w()->Double(x.geo_point->lat);
            o.w()->Key("lon");
            o.w()->Double(x.geo_point->lon);
          });
        }
      });
    });
  }
  if (!s.references.empty() || !s.see_also_links.empty() || !s.avail_ipds.empty()) {
    o.Object("referencesModule", [&] {
      o.Array("references", s.references, [&](const Reference& x) {
        o.Str("pmid", x.pmid);
        o.Enum("type", x.type);
        o.Str("citation", x.citation);
        o.Array("retractions", x.retractions, [&](const Retraction& r) {
          o.Str("pmid", r.pmid);
          o.Str("source", r.source);
        });
      });
      o.Array("seeAlsoLinks", s.see_also_links, [&](const SeeAlsoLink& x) {
        o.Str("label", x.label);
        o.Str("url", x.url);
      });
      o.Array("availIpds", s.avail_ipds, [&](const AvailIpd& x) {
        o.Str("id", x.id);
        o.Str("type", x.type);
        o.Str("url", x.url);
        o.Str("comment", x.comment);
      });
    });
  }
  if (const auto& ipd = s.ipd_sharing) {
    o.Object("ipdSharingStatementModule", [&] {
      o.Enum("ipdSharing", ipd->ipd_sharing);
      o.Str("description", ipd->description);
      o.Enums("infoTypes", ipd->info_types);
      o.Str("timeFrame", ipd->time_frame);
      o.Str("accessCriteria", ipd->access_criteria);
      o.Str("url", ipd->url);
    });
  }
}

// A browse module: its MeSH terms, then the rest of its tree.
void WriteBrowse(Out& o, const char* module, const std::vector<MeshTerm>& meshes, const BrowseTree& tree) {
  if (meshes.empty() && tree.empty()) return;
  o.Object(module, [&] {
    o.Array("meshes", meshes, [&](const MeshTerm& m) {
      o.Str("id", m.id);
      o.Str("term", m.term);
    });
    ingest_internal::WriteBrowseTree(o, tree);
  });
}

}  // namespace

void WriteStudyJson(const Study& study, JsonWriter* w) {
  Out o(w);
  w->BeginObject();
  o.Object("protocolSection", [&] { WriteProtocol(o, study); });
  if (study.results) o.Object("resultsSection", [&] { ingest_internal::WriteResults(o, *study.results); });
  if (study.documents) o.Object("documentSection", [&] { ingest_internal::WriteDocuments(o, *study.documents); });
  if (!study.condition_meshes.empty() || !study.intervention_meshes.empty() || !study.condition_browse.empty() ||
      !study.intervention_browse.empty() || study.misc_info) {
    o.Object("derivedSection", [&] {
      if (study.misc_info) o.Object("miscInfoModule", [&] { ingest_internal::WriteMiscInfo(o, *study.misc_info); });
      WriteBrowse(o, "conditionBrowseModule", study.condition_meshes, study.condition_browse);
      WriteBrowse(o, "interventionBrowseModule", study.intervention_meshes, study.intervention_browse);
    });
  }
  if (study.annotations) o.Object("annotationSection", [&] { ingest_internal::WriteAnnotations(o, *study.annotations); });
  w->Key("hasResults");
  w->Bool(study.has_results);
  w->EndObject();
}

std::string WriteStudyJson(const Study& study, bool pretty) {
  JsonWriter w(pretty);
  WriteStudyJson(study, &w);
  return w.Take();
}

}  // namespace ts
