// The study model: plain value types for everything a trial listing shows, laid out like the
// ClinicalTrials.gov API v2 modules. No I/O here; readers and writers live in ingest/.
//   Study s;  s.identification.nct_id = "NCT05236582";  s.status.overall_status = OverallStatus::kRecruiting;
//   std::string key = StudyKey(s);  // "NCT05236582"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "model/age.h"
#include "model/enums.h"
#include "model/record_sections.h"
#include "model/results.h"

namespace ts {

struct DateStruct {
  PartialDate date;
  std::optional<DateType> type;
  bool operator==(const DateStruct&) const = default;
};

struct Organization {
  std::string full_name;
  std::optional<AgencyClass> agency_class;
  bool operator==(const Organization&) const = default;
};

struct SecondaryId {
  std::string id;
  std::optional<SecondaryIdType> type;
  std::string domain;  // e.g. the registry or grant agency
  std::string link;
  bool operator==(const SecondaryId&) const = default;
};

struct Identification {
  std::string nct_id;        // "NCT01234567", or "" for a study not on ClinicalTrials.gov
  std::string org_study_id;  // the sponsor's own protocol ID
  std::optional<OrgStudyIdType> org_study_id_type;
  std::string org_study_id_link;
  std::vector<SecondaryId> secondary_ids;
  std::vector<std::string> nct_id_aliases;
  Organization organization;
  std::string brief_title;
  std::string official_title;
  std::string acronym;
  bool operator==(const Identification&) const = default;
};

struct StatusInfo {
  PartialDate status_verified_date;
  std::optional<OverallStatus> overall_status;
  std::optional<OverallStatus> last_known_status;
  std::string why_stopped;
  std::optional<bool> delayed_posting;
  std::optional<bool> has_expanded_access;
  std::string expanded_access_nct_id;
  std::optional<ExpandedAccessStatus> expanded_access_status;
  DateStruct start_date;
  DateStruct primary_completion_date;
  DateStruct completion_date;
  PartialDate study_first_submit_date;
  PartialDate study_first_submit_qc_date;
  DateStruct study_first_post_date;
  PartialDate results_first_submit_date;
  PartialDate results_first_submit_qc_date;
  PartialDate disp_first_submit_date;
  PartialDate disp_first_submit_qc_date;
  DateStruct disp_first_post_date;
  PartialDate last_update_submit_date;
  DateStruct last_update_post_date;
  DateStruct results_first_post_date;
  bool operator==(const StatusInfo&) const = default;
};

struct Sponsor {
  std::string name;
  std::optional<AgencyClass> agency_class;
  bool operator==(const Sponsor&) const = default;
};

struct ResponsibleParty {
  std::optional<ResponsiblePartyType> type;
  std::string investigator_full_name;
  std::string investigator_title;
  std::string investigator_affiliation;
  std::string old_name_title;
  std::string old_organization;
  bool operator==(const ResponsibleParty&) const = default;
};

struct Oversight {
  std::optional<bool> has_dmc;
  std::optional<bool> is_fda_regulated_drug;
  std::optional<bool> is_fda_regulated_device;
  std::optional<bool> is_unapproved_device;
  std::optional<bool> is_ppsd;
  std::optional<bool> is_us_export;
  std::optional<bool> fdaaa801_violation;
  bool operator==(const Oversight&) const = default;
};

struct Design {
  std::optional<StudyType> study_type;
  std::optional<bool> patient_registry;
  std::string target_duration;  // "2 Years" (patient registries)
  std::optional<int64_t> n_ptrs_to_this_exp_acc_nct_id;
  std::optional<bool> expanded_access_individual, expanded_access_intermediate, expanded_access_treatment;
  std::string bio_spec_retention;  // "SAMPLES_WITH_DNA", as written
  std::string bio_spec_description;
  std::vector<Phase> phases;
  std::optional<Allocation> allocation;
  std::optional<InterventionModel> intervention_model;
  std::string intervention_model_description;
  std::optional<PrimaryPurpose> primary_purpose;
  std::optional<ObservationalModel> observational_model;
  std::optional<TimePerspective> time_perspective;
  std::optional<Masking> masking;
  std::vector<WhoMasked> who_masked;
  std::string masking_description;
  std::optional<int64_t> enrollment_count;
  std::optional<EnrollmentType> enrollment_type;
  bool operator==(const Design&) const = default;
};

struct ArmGroup {
  std::string label;
  std::optional<ArmGroupType> type;
  std::string description;
  std::vector<std::string> intervention_names;  // "Drug: Romiplostim N01"
  bool operator==(const ArmGroup&) const = default;
};

struct Intervention {
  std::optional<InterventionType> type;
  std::string name;
  std::string description;
  std::vector<std::string> arm_group_labels;
  std::vector<std::string> other_names;
  bool operator==(const Intervention&) const = default;
};

struct Outcome {
  std::string measure;
  std::string description;
  std::string time_frame;
  bool operator==(const Outcome&) const = default;
};

struct Eligibility {
  std::string criteria;  // free text, inclusion and exclusion
  std::optional<bool> healthy_volunteers;
  std::optional<Sex> sex;
  std::optional<bool> gender_based;
  std::string gender_description;
  std::optional<Age> minimum_age;  // nullopt: no lower limit
  std::optional<Age> maximum_age;  // nullopt: no upper limit
  std::vector<StandardAge> std_ages;
  std::string study_population;
  std::optional<SamplingMethod> sampling_method;
  bool operator==(const Eligibility&) const = default;
};

struct Contact {
  std::string name;
  std::optional<ContactRole> role;
  std::string phone;
  std::string phone_ext;
  std::string email;
  bool operator==(const Contact&) const = default;
};

struct Official {
  std::string name;
  std::string affiliation;
  std::optional<ContactRole> role;
  bool operator==(const Official&) const = default;
};

struct GeoPoint {
  double lat = 0;
  double lon = 0;
  bool operator==(const GeoPoint&) const = default;
};

struct Location {
  std::string facility;
  std::optional<OverallStatus> status;
  std::string city;
  std::string state;
  std::string zip;
  std::string country;
  std::vector<Contact> contacts;
  std::optional<GeoPoint> geo_point;
  bool operator==(const Location&) const = default;
};

struct Retraction {
  std::string pmid;
  std::string source;
  bool operator==(const Retraction&) const = default;
};

struct Reference {
  std::string pmid;
  std::optional<ReferenceType> type;
  std::string citation;
  std::vector<Retraction> retractions;
  bool operator==(const Reference&) const = default;
};

struct SeeAlsoLink {
  std::string label;
  std::string url;
  bool operator==(const SeeAlsoLink&) const = default;
};

// Individual participant data a study makes available (referencesModule.availIpds).
struct AvailIpd {
  std::string id, type, url, comment;
  bool operator==(const AvailIpd&) const = default;
};

struct MeshTerm {
  std::string id;  // "D013921", may be empty in legacy records
  std::string term;
  bool operator==(const MeshTerm&) const = default;
};

struct Study {
  Identification identification;
  StatusInfo status;
  ResponsibleParty responsible_party;
  Sponsor lead_sponsor;
  std::vector<Sponsor> collaborators;
  Oversight oversight;
  std::string brief_summary;
  std::string detailed_description;
  std::vector<std::string> conditions;
  std::vector<std::string> keywords;
  Design design;
  std::vector<ArmGroup> arm_groups;
  std::vector<Intervention> interventions;
  std::vector<Outcome> primary_outcomes;
  std::vector<Outcome> secondary_outcomes;
  std::vector<Outcome> other_outcomes;
  Eligibility eligibility;
  std::vector<Contact> central_contacts;
  std::vector<Official> overall_officials;
  std::vector<Location> locations;
  std::vector<Reference> references;
  std::vector<SeeAlsoLink> see_also_links;
  std::vector<AvailIpd> avail_ipds;
  std::optional<IpdSharingStatement> ipd_sharing;
  std::vector<MeshTerm> condition_meshes;
  std::vector<MeshTerm> intervention_meshes;
  BrowseTree condition_browse;     // derivedSection.conditionBrowseModule beyond its meshes
  BrowseTree intervention_browse;
  std::optional<MiscInfo> misc_info;
  std::optional<StudyDocuments> documents;
  std::optional<StudyAnnotations> annotations;
  bool has_results = false;
  std::optional<StudyResults> results;  // the posted resultsSection, when the record carries it
  bool operator==(const Study&) const = default;
};

// The study's identity in trialscope: its NCT ID; else its organisation's study ID ("ORG:<id>");
// else its first secondary ID ("SEC:<id>"); else "TS-" + a stable hash of organisation and titles.
// Nothing assumes a study is registered on ClinicalTrials.gov.
std::string StudyKey(const Study& study);

// True for "NCT" followed by 8 digits.
bool IsNctId(std::string_view s);

// The date a record was last changed by its registry (last update posted, else submitted, else
// first posted); empty if none. Used to decide which of two versions is newer.
PartialDate LastUpdate(const Study& study);

}  // namespace ts
