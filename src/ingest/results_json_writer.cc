// StudyResults -> the members of an API v2 resultsSection, in the API's order; only set fields.
#include "ingest/results_json.h"

namespace ts::ingest_internal {

namespace {

void Groups(JsonFieldWriter& w, const char* key, const std::vector<ResultGroup>& groups) {
  w.Array(key, groups, [&](const ResultGroup& g) {
    w.Str("id", g.id);
    w.Str("title", g.title);
    w.Str("description", g.description);
  });
}

void Stats(JsonFieldWriter& w, const char* key, const std::vector<FlowStats>& stats) {
  w.Array(key, stats, [&](const FlowStats& s) {
    w.Str("groupId", s.group_id);
    w.Str("comment", s.comment);
    w.Str("numSubjects", s.num_subjects);
    w.Str("numUnits", s.num_units);
  });
}

void Flow(JsonFieldWriter& w, const ParticipantFlow& f) {
  w.Str("preAssignmentDetails", f.pre_assignment_details);
  w.Str("recruitmentDetails", f.recruitment_details);
  w.Str("typeUnitsAnalyzed", f.type_units_analyzed);
  Groups(w, "groups", f.groups);
  w.Array("periods", f.periods, [&](const FlowPeriod& p) {
    w.Str("title", p.title);
    w.Array("milestones", p.milestones, [&](const FlowMilestone& m) {
      w.Str("type", m.type);
      w.Str("comment", m.comment);
      Stats(w, "achievements", m.achievements);
    });
    w.Array("dropWithdraws", p.drop_withdraws, [&](const DropWithdraw& d) {
      w.Str("type", d.type);
      w.Str("comment", d.comment);
      Stats(w, "reasons", d.reasons);
    });
  });
}

void Denoms(JsonFieldWriter& w, const std::vector<Denom>& denoms) {
  w.Array("denoms", denoms, [&](const Denom& d) {
    w.Str("units", d.units);
    w.Array("counts", d.counts, [&](const DenomCount& c) {
      w.Str("groupId", c.group_id);
      w.Str("value", c.value);
    });
  });
}

void Classes(JsonFieldWriter& w, const std::vector<MeasureClass>& classes) {
  w.Array("classes", classes, [&](const MeasureClass& c) {
    w.Str("title", c.title);
    Denoms(w, c.denoms);
    w.Array("categories", c.categories, [&](const MeasureCategory& cat) {
      w.Str("title", cat.title);
      w.Array("measurements", cat.measurements, [&](const Measurement& m) {
        w.Str("groupId", m.group_id);
        w.Str("value", m.value);
        w.Str("spread", m.spread);
        w.Str("lowerLimit", m.lower_limit);
        w.Str("upperLimit", m.upper_limit);
        w.Str("comment", m.comment);
      });
    });
  });
}

void Baseline(JsonFieldWriter& w, const BaselineCharacteristics& b) {
  w.Str("populationDescription", b.population_description);
  w.Str("typeUnitsAnalyzed", b.type_units_analyzed);
  Groups(w, "groups", b.groups);
  Denoms(w, b.denoms);
  w.Array("measures", b.measures, [&](const BaselineMeasure& m) {
    w.Str("title", m.title);
    w.Str("description", m.description);
    w.Str("populationDescription", m.population_description);
    w.Enum("paramType", m.param_type);
    w.Enum("dispersionType", m.dispersion_type);
    w.Str("unitOfMeasure", m.unit_of_measure);
    w.Bool("calculatePct", m.calculate_pct);
    w.Str("denomUnitsSelected", m.denom_units_selected);
    Denoms(w, m.denoms);
    Classes(w, m.classes);
  });
}

void Analysis(JsonFieldWriter& w, const MeasureAnalysis& a) {
  w.Str("paramType", a.param_type);
  w.Str("paramValue", a.param_value);
  w.Enum("dispersionType", a.dispersion_type);
  w.Str("dispersionValue", a.dispersion_value);
  w.Str("statisticalMethod", a.statistical_method);
  w.Str("statisticalComment", a.statistical_comment);
  w.Str("pValue", a.p_value);
  w.Str("pValueComment", a.p_value_comment);
  w.Enum("ciNumSides", a.ci_num_sides);
  w.Str("ciPctValue", a.ci_pct_value);
  w.Str("ciLowerLimit", a.ci_lower_limit);
  w.Str("ciUpperLimit", a.ci_upper_limit);
  w.Str("ciLowerLimitComment", a.ci_lower_limit_comment);
  w.Str("ciUpperLimitComment", a.ci_upper_limit_comment);
  w.Str("estimateComment", a.estimate_comment);
  w.Bool("testedNonInferiority", a.tested_non_inferiority);
  w.Enum("nonInferiorityType", a.non_inferiority_type);
  w.Str("nonInferiorityComment", a.non_inferiority_comment);
  w.Str("otherAnalysisDescription", a.other_analysis_description);
  w.Str("groupDescription", a.group_description);
  w.Strings("groupIds", a.group_ids);
}

void Outcome(JsonFieldWriter& w, const OutcomeMeasure& m) {
  w.Enum("type", m.type);
  w.Str("title", m.title);
  w.Str("description", m.description);
  w.Str("populationDescription", m.population_description);
  w.Enum("reportingStatus", m.reporting_status);
  w.Str("anticipatedPostingDate", m.anticipated_posting_date);
  w.Enum("paramType", m.param_type);
  w.Str("dispersionType", m.dispersion_type);
  w.Str("unitOfMeasure", m.unit_of_measure);
  w.Bool("calculatePct", m.calculate_pct);
  w.Str("timeFrame", m.time_frame);
  w.Str("typeUnitsAnalyzed", m.type_units_analyzed);
  w.Str("denomUnitsSelected", m.denom_units_selected);
  Groups(w, "groups", m.groups);
  Denoms(w, m.denoms);
  Classes(w, m.classes);
  w.Array("analyses", m.analyses, [&](const MeasureAnalysis& a) { Analysis(w, a); });
}

void Events(JsonFieldWriter& w, const char* key, const std::vector<AdverseEvent>& events) {
  w.Array(key, events, [&](const AdverseEvent& e) {
    w.Str("term", e.term);
    w.Str("organSystem", e.organ_system);
    w.Str("sourceVocabulary", e.source_vocabulary);
    w.Enum("assessmentType", e.assessment_type);
    w.Str("notes", e.notes);
    w.Array("stats", e.stats, [&](const EventStats& s) {
      w.Str("groupId", s.group_id);
      w.Int("numEvents", s.num_events);
      w.Int("numAffected", s.num_affected);
      w.Int("numAtRisk", s.num_at_risk);
    });
  });
}

void Adverse(JsonFieldWriter& w, const AdverseEvents& ae) {
  w.Str("frequencyThreshold", ae.frequency_threshold);
  w.Str("timeFrame", ae.time_frame);
  w.Str("description", ae.description);
  w.Str("allCauseMortalityComment", ae.all_cause_mortality_comment);
  w.Array("eventGroups", ae.event_groups, [&](const EventGroup& g) {
    w.Str("id", g.id);
    w.Str("title", g.title);
    w.Str("description", g.description);
    w.Int("deathsNumAffected", g.deaths_num_affected);
    w.Int("deathsNumAtRisk", g.deaths_num_at_risk);
    w.Int("seriousNumAffected", g.serious_num_affected);
    w.Int("seriousNumAtRisk", g.serious_num_at_risk);
    w.Int("otherNumAffected", g.other_num_affected);
    w.Int("otherNumAtRisk", g.other_num_at_risk);
  });
  Events(w, "seriousEvents", ae.serious_events);
  Events(w, "otherEvents", ae.other_events);
}

void More(JsonFieldWriter& w, const MoreInfo& mi) {
  if (!mi.limitations_and_caveats.empty()) {
    w.Object("limitationsAndCaveats", [&] { w.Str("description", mi.limitations_and_caveats); });
  }
  if (const auto& c = mi.certain_agreement) {
    w.Object("certainAgreement", [&] {
      w.Bool("piSponsorEmployee", c->pi_sponsor_employee);
      w.Enum("restrictionType", c->restriction_type);
      w.Bool("restrictiveAgreement", c->restrictive_agreement);
      w.Str("otherDetails", c->other_details);
    });
  }
  if (const auto& c = mi.point_of_contact) {
    w.Object("pointOfContact", [&] {
      w.Str("title", c->title);
      w.Str("organization", c->organization);
      w.Str("email", c->email);
      w.Str("phone", c->phone);
      w.Str("phoneExt", c->phone_ext);
    });
  }
}

}  // namespace

void WriteResults(JsonFieldWriter& w, const StudyResults& r) {
  if (r.participant_flow) w.Object("participantFlowModule", [&] { Flow(w, *r.participant_flow); });
  if (r.baseline) w.Object("baselineCharacteristicsModule", [&] { Baseline(w, *r.baseline); });
  if (r.has_outcome_module || !r.outcome_measures.empty()) {
    w.Object("outcomeMeasuresModule", [&] {
      w.Array("outcomeMeasures", r.outcome_measures, [&](const OutcomeMeasure& m) { Outcome(w, m); });
    });
  }
  if (r.adverse_events) w.Object("adverseEventsModule", [&] { Adverse(w, *r.adverse_events); });
  if (r.more_info) w.Object("moreInfoModule", [&] { More(w, *r.more_info); });
}

}  // namespace ts::ingest_internal
