// The parts of an API v2 record beyond the protocol and the results (ctg-oas-v2.yaml): the derived
// section's MeSH browse trees and registry bookkeeping, the document section and the annotation section,
// plus the protocol's IPD sharing statement. Value types only; ingest/ reads and writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/enums.h"

namespace ts {

enum class OrgStudyIdType { kNih, kFda, kVa, kCdc, kAhrq, kSamhsa };
TS_ENUM_TABLE(OrgStudyIdType, "orgStudyIdInfo.type", {OrgStudyIdType::kNih, "NIH", "U.S. NIH Grant/Contract"},
              {OrgStudyIdType::kFda, "FDA", "U.S. FDA Grant/Contract"}, {OrgStudyIdType::kVa, "VA", "U.S. VA Grant/Contract"},
              {OrgStudyIdType::kCdc, "CDC", "U.S. CDC Grant/Contract"}, {OrgStudyIdType::kAhrq, "AHRQ", "U.S. AHRQ Grant/Contract"},
              {OrgStudyIdType::kSamhsa, "SAMHSA", "U.S. SAMHSA Grant/Contract"})

enum class ExpandedAccessStatus { kAvailable, kNoLongerAvailable, kTemporarilyNotAvailable, kApprovedForMarketing };
TS_ENUM_TABLE(ExpandedAccessStatus, "statusForNctId", {ExpandedAccessStatus::kAvailable, "AVAILABLE", "Available"},
              {ExpandedAccessStatus::kNoLongerAvailable, "NO_LONGER_AVAILABLE", "No longer available"},
              {ExpandedAccessStatus::kTemporarilyNotAvailable, "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available"},
              {ExpandedAccessStatus::kApprovedForMarketing, "APPROVED_FOR_MARKETING", "Approved for marketing"})

enum class IpdSharing { kYes, kNo, kUndecided };
TS_ENUM_TABLE(IpdSharing, "ipdSharing", {IpdSharing::kYes, "YES", "Yes"}, {IpdSharing::kNo, "NO", "No"},
              {IpdSharing::kUndecided, "UNDECIDED", "Undecided"})

enum class IpdInfoType { kStudyProtocol, kSap, kIcf, kCsr, kAnalyticCode };
TS_ENUM_TABLE(IpdInfoType, "infoTypes", {IpdInfoType::kStudyProtocol, "STUDY_PROTOCOL", "Study Protocol"},
              {IpdInfoType::kSap, "SAP", "Statistical Analysis Plan (SAP)"},
              {IpdInfoType::kIcf, "ICF", "Informed Consent Form (ICF)"},
              {IpdInfoType::kCsr, "CSR", "Clinical Study Report (CSR)"},
              {IpdInfoType::kAnalyticCode, "ANALYTIC_CODE", "Analytic Code"})

enum class LeafRelevance { kLow, kHigh };
TS_ENUM_TABLE(LeafRelevance, "relevance", {LeafRelevance::kLow, "LOW", "Low"}, {LeafRelevance::kHigh, "HIGH", "High"})

enum class UnpostedEventType { kReset, kRelease, kUnrelease };
TS_ENUM_TABLE(UnpostedEventType, "unpostedEvents.type", {UnpostedEventType::kReset, "RESET", "Reset"},
              {UnpostedEventType::kRelease, "RELEASE", "Release"}, {UnpostedEventType::kUnrelease, "UNRELEASE", "Unrelease"})

enum class ViolationEventType { kViolationIdentified, kCorrectionConfirmed, kPenaltyImposed };
TS_ENUM_TABLE(ViolationEventType, "violationEvents.type",
              {ViolationEventType::kViolationIdentified, "VIOLATION_IDENTIFIED", "Violation identified"},
              {ViolationEventType::kCorrectionConfirmed, "CORRECTION_CONFIRMED", "Correction confirmed"},
              {ViolationEventType::kPenaltyImposed, "PENALTY_IMPOSED", "Penalty imposed"})

struct IpdSharingStatement {
  std::optional<IpdSharing> ipd_sharing;
  std::string description;
  std::vector<IpdInfoType> info_types;
  std::string time_frame;
  std::string access_criteria;
  std::string url;
  bool operator==(const IpdSharingStatement&) const = default;
};

struct BrowseLeaf {
  std::string id;  // "M6245"
  std::string name;
  std::string as_found;
  std::optional<LeafRelevance> relevance;
  bool operator==(const BrowseLeaf&) const = default;
};

struct BrowseBranch {
  std::string abbrev;  // "BC04"
  std::string name;    // "Neoplasms"
  bool operator==(const BrowseBranch&) const = default;
};

// A browse module beyond its MeSH terms (those are Study::condition_meshes / intervention_meshes).
struct BrowseTree {
  std::vector<std::pair<std::string, std::string>> ancestors;  // MeSH id, term
  std::vector<BrowseLeaf> leaves;
  std::vector<BrowseBranch> branches;
  bool empty() const { return ancestors.empty() && leaves.empty() && branches.empty(); }
  bool operator==(const BrowseTree&) const = default;
};

struct SubmissionInfo {
  std::string release_date, unrelease_date, reset_date;
  std::optional<bool> unrelease_date_unknown;
  std::optional<int64_t> mcp_release_n;
  bool operator==(const SubmissionInfo&) const = default;
};

// derivedSection.miscInfoModule: the registry's bookkeeping.
struct MiscInfo {
  std::string version_holder;  // the registry data version that last touched the record ("2024-05-31")
  std::vector<std::string> removed_countries;
  std::string estimated_results_first_submit_date;
  std::string first_mcp_post_date;
  std::string first_mcp_post_date_type;  // "ACTUAL" / "ESTIMATED"
  std::vector<SubmissionInfo> submission_infos;
  bool has_submission_tracking = false;
  std::optional<double> min_bmi, max_bmi;  // modelPredictions.bmiLimits
  bool operator==(const MiscInfo&) const = default;
};

struct LargeDoc {
  std::string type_abbrev;  // "Prot_SAP"
  std::optional<bool> has_protocol, has_sap, has_icf;
  std::string label;
  std::string date;
  std::string upload_date;
  std::string filename;
  std::optional<int64_t> size;
  bool operator==(const LargeDoc&) const = default;
};

// documentSection.largeDocumentModule: protocol, SAP and consent documents the registry holds.
struct StudyDocuments {
  std::optional<bool> no_sap;
  std::vector<LargeDoc> large_docs;
  bool operator==(const StudyDocuments&) const = default;
};

struct UnpostedEvent {
  std::optional<UnpostedEventType> type;
  std::string date;
  std::optional<bool> date_unknown;
  bool operator==(const UnpostedEvent&) const = default;
};

struct ViolationEvent {
  std::optional<ViolationEventType> type;
  std::string description, creation_date, issued_date, release_date, posted_date;
  bool operator==(const ViolationEvent&) const = default;
};

// annotationSection.annotationModule: results submitted but not posted, and FDAAA 801 violations.
struct StudyAnnotations {
  bool has_unposted = false;
  std::string unposted_responsible_party;
  std::vector<UnpostedEvent> unposted_events;
  std::vector<ViolationEvent> violation_events;
  bool has_violation = false;
  bool operator==(const StudyAnnotations&) const = default;
};

}  // namespace ts
