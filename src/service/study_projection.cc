#include "service/study_projection.h"

#include <simdjson.h>

#include <map>

#include "common/json_writer.h"
#include "common/strings.h"

namespace ts {

namespace {

// ClinicalTrials.gov piece names -> API v2 paths (the common ones).
const std::map<std::string, std::string, std::less<>>& PieceNames() {
  static const auto* m = new std::map<std::string, std::string, std::less<>>{
      {"NCTId", "protocolSection.identificationModule.nctId"},
      {"OrgStudyId", "protocolSection.identificationModule.orgStudyIdInfo.id"},
      {"BriefTitle", "protocolSection.identificationModule.briefTitle"},
      {"OfficialTitle", "protocolSection.identificationModule.officialTitle"},
      {"Acronym", "protocolSection.identificationModule.acronym"},
      {"OverallStatus", "protocolSection.statusModule.overallStatus"},
      {"StartDate", "protocolSection.statusModule.startDateStruct"},
      {"PrimaryCompletionDate", "protocolSection.statusModule.primaryCompletionDateStruct"},
      {"CompletionDate", "protocolSection.statusModule.completionDateStruct"},
      {"LastUpdatePostDate", "protocolSection.statusModule.lastUpdatePostDateStruct"},
      {"LeadSponsorName", "protocolSection.sponsorCollaboratorsModule.leadSponsor.name"},
      {"BriefSummary", "protocolSection.descriptionModule.briefSummary"},
      {"Condition", "protocolSection.conditionsModule.conditions"},
      {"Keyword", "protocolSection.conditionsModule.keywords"},
      {"StudyType", "protocolSection.designModule.studyType"},
      {"Phase", "protocolSection.designModule.phases"},
      {"EnrollmentCount", "protocolSection.designModule.enrollmentInfo.count"},
      {"ArmGroup", "protocolSection.armsInterventionsModule.armGroups"},
      {"Intervention", "protocolSection.armsInterventionsModule.interventions"},
      {"PrimaryOutcome", "protocolSection.outcomesModule.primaryOutcomes"},
      {"EligibilityCriteria", "protocolSection.eligibilityModule.eligibilityCriteria"},
      {"Sex", "protocolSection.eligibilityModule.sex"},
      {"MinimumAge", "protocolSection.eligibilityModule.minimumAge"},
      {"MaximumAge", "protocolSection.eligibilityModule.maximumAge"},
      {"HealthyVolunteers", "protocolSection.eligibilityModule.healthyVolunteers"},
      {"CentralContact", "protocolSection.contactsLocationsModule.centralContacts"},
      {"Location", "protocolSection.contactsLocationsModule.locations"},
      {"HasResults", "hasResults"},
  };
  return *m;
}

// A tree of requested paths: "" children means "the whole value".
struct PathTree {
  std::map<std::string, PathTree> kids;
  bool whole = false;
};

void WriteProjected(simdjson::dom::element e, const PathTree& t, JsonWriter* w) {
  simdjson::dom::object obj;
  if (t.whole || e.get_object().get(obj)) {
    w->Raw(simdjson::minify(e));
    return;
  }
  w->BeginObject();
  for (auto field : obj) {
    auto it = t.kids.find(std::string(field.key));
    if (it == t.kids.end()) continue;
    w->Key(field.key);
    WriteProjected(field.value, it->second, w);
  }
  w->EndObject();
}

}  // namespace

Result<std::string> ProjectStudyJson(std::string_view study_json, const std::vector<std::string>& fields) {
  if (fields.empty()) return std::string(study_json);
  PathTree root;
  for (const auto& f : fields) {
    std::string path = f;
    if (auto it = PieceNames().find(f); it != PieceNames().end()) path = it->second;
    else if (f.find('.') == std::string::npos && f != "protocolSection" && f != "resultsSection" &&
             f != "documentSection" && f != "derivedSection" && f != "annotationSection" && f != "hasResults") {
      return Status::InvalidArgument("fields: unknown field \"" + f.substr(0, 60) + "\"");
    }
    PathTree* t = &root;
    for (auto part : Split(path, '.')) t = &t->kids[std::string(part)];
    t->whole = true;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(study_json.data(), study_json.size(), true).get(doc)) {
    return Status::Internal("stored study JSON does not parse");
  }
  JsonWriter w;
  WriteProjected(doc, root, &w);
  return w.Take();
}

}  // namespace ts
