// resultsSection -> StudyResults. Every field of ctg-oas-v2.yaml's ResultsSection is read.
#include "ingest/results_json.h"

namespace ts::ingest_internal {

namespace {

std::vector<ResultGroup> Groups(JsonFieldReader& r, object o, const char* key, const std::string& path) {
  std::vector<ResultGroup> out;
  r.EachObj(o, key, path, [&](object g, const std::string& p) {
    out.push_back({r.Str(g, "id", p), r.Str(g, "title", p), r.Str(g, "description", p)});
  });
  return out;
}

std::vector<FlowStats> Stats(JsonFieldReader& r, object o, const char* key, const std::string& path) {
  std::vector<FlowStats> out;
  r.EachObj(o, key, path, [&](object x, const std::string& p) {
    out.push_back({r.Str(x, "groupId", p), r.Str(x, "comment", p), r.Str(x, "numSubjects", p), r.Str(x, "numUnits", p)});
  });
  return out;
}

ParticipantFlow Flow(JsonFieldReader& r, object m, const std::string& path) {
  ParticipantFlow f;
  f.pre_assignment_details = r.Str(m, "preAssignmentDetails", path);
  f.recruitment_details = r.Str(m, "recruitmentDetails", path);
  f.type_units_analyzed = r.Str(m, "typeUnitsAnalyzed", path);
  f.groups = Groups(r, m, "groups", path);
  r.EachObj(m, "periods", path, [&](object po, const std::string& p) {
    FlowPeriod period;
    period.title = r.Str(po, "title", p);
    r.EachObj(po, "milestones", p, [&](object x, const std::string& q) {
      period.milestones.push_back({r.Str(x, "type", q), r.Str(x, "comment", q), Stats(r, x, "achievements", q)});
    });
    r.EachObj(po, "dropWithdraws", p, [&](object x, const std::string& q) {
      period.drop_withdraws.push_back({r.Str(x, "type", q), r.Str(x, "comment", q), Stats(r, x, "reasons", q)});
    });
    f.periods.push_back(std::move(period));
  });
  return f;
}

std::vector<Denom> Denoms(JsonFieldReader& r, object o, const std::string& path) {
  std::vector<Denom> out;
  r.EachObj(o, "denoms", path, [&](object d, const std::string& p) {
    Denom denom;
    denom.units = r.Str(d, "units", p);
    r.EachObj(d, "counts", p, [&](object c, const std::string& q) {
      denom.counts.push_back({r.Str(c, "groupId", q), r.Str(c, "value", q)});
    });
    out.push_back(std::move(denom));
  });
  return out;
}

std::vector<MeasureClass> Classes(JsonFieldReader& r, object o, const std::string& path) {
  std::vector<MeasureClass> out;
  r.EachObj(o, "classes", path, [&](object c, const std::string& p) {
    MeasureClass mc;
    mc.title = r.Str(c, "title", p);
    mc.denoms = Denoms(r, c, p);
    r.EachObj(c, "categories", p, [&](object cat, const std::string& q) {
      MeasureCategory category;
      category.title = r.Str(cat, "title", q);
      r.EachObj(cat, "measurements", q, [&](object x, const std::string& s) {
        category.measurements.push_back({r.Str(x, "groupId", s), r.Str(x, "value", s), r.Str(x, "spread", s),
                                         r.Str(x, "lowerLimit", s), r.Str(x, "upperLimit", s), r.Str(x, "comment", s)});
      });
      mc.categories.push_back(std::move(category));
    });
    out.push_back(std::move(mc));
  });
  return out;
}

BaselineCharacteristics Baseline(JsonFieldReader& r, object m, const std::string& path) {
  BaselineCharacteristics b;
  b.population_description = r.Str(m, "populationDescription", path);
  b.type_units_analyzed = r.Str(m, "typeUnitsAnalyzed", path);
  b.groups = Groups(r, m, "groups", path);
  b.denoms = Denoms(r, m, path);
  r.EachObj(m, "measures", path, [&](object x, const std::string& p) {
    BaselineMeasure bm;
    bm.title = r.Str(x, "title", p);
    bm.description = r.Str(x, "description", p);
    bm.population_description = r.Str(x, "populationDescription", p);
    bm.param_type = r.Enum<MeasureParam>(x, "paramType", p);
    bm.dispersion_type = r.Enum<MeasureDispersion>(x, "dispersionType", p);
    bm.unit_of_measure = r.Str(x, "unitOfMeasure", p);
    bm.calculate_pct = r.Bool(x, "calculatePct", p);
    bm.denom_units_selected = r.Str(x, "denomUnitsSelected", p);
    bm.denoms = Denoms(r, x, p);
    bm.classes = Classes(r, x, p);
    b.measures.push_back(std::move(bm));
  });
  return b;
}

MeasureAnalysis Analysis(JsonFieldReader& r, object x, const std::string& p) {
  MeasureAnalysis a;
  a.param_type = r.Str(x, "paramType", p);
  a.param_value = r.Str(x, "paramValue", p);
  a.dispersion_type = r.Enum<AnalysisDispersion>(x, "dispersionType", p);
  a.dispersion_value = r.Str(x, "dispersionValue", p);
  a.statistical_method = r.Str(x, "statisticalMethod", p);
  a.statistical_comment = r.Str(x, "statisticalComment", p);
  a.p_value = r.Str(x, "pValue", p);
  a.p_value_comment = r.Str(x, "pValueComment", p);
  a.ci_num_sides = r.Enum<CiNumSides>(x, "ciNumSides", p);
  a.ci_pct_value = r.Str(x, "ciPctValue", p);
  a.ci_lower_limit = r.Str(x, "ciLowerLimit", p);
  a.ci_upper_limit = r.Str(x, "ciUpperLimit", p);
  a.ci_lower_limit_comment = r.Str(x, "ciLowerLimitComment", p);
  a.ci_upper_limit_comment = r.Str(x, "ciUpperLimitComment", p);
  a.estimate_comment = r.Str(x, "estimateComment", p);
  a.tested_non_inferiority = r.Bool(x, "testedNonInferiority", p);
  a.non_inferiority_type = r.Enum<NonInferiorityType>(x, "nonInferiorityType", p);
  a.non_inferiority_comment = r.Str(x, "nonInferiorityComment", p);
  a.other_analysis_description = r.Str(x, "otherAnalysisDescription", p);
  a.group_description = r.Str(x, "groupDescription", p);
  a.group_ids = r.Strings(x, "groupIds", p);
  return a;
}

OutcomeMeasure Outcome(JsonFieldReader& r, object x, const std::string& p) {
  OutcomeMeasure om;
  om.type = r.Enum<OutcomeMeasureType>(x, "type", p);
  om.title = r.Str(x, "title", p);
  om.description = r.Str(x, "description", p);
  om.population_description = r.Str(x, "populationDescription", p);
  om.reporting_status = r.Enum<ReportingStatus>(x, "reportingStatus", p);
  om.anticipated_posting_date = r.Str(x, "anticipatedPostingDate", p);
  om.param_type = r.Enum<MeasureParam>(x, "paramType", p);
  om.dispersion_type = r.Str(x, "dispersionType", p);
  om.unit_of_measure = r.Str(x, "unitOfMeasure", p);
  om.calculate_pct = r.Bool(x, "calculatePct", p);
  om.time_frame = r.Str(x, "timeFrame", p);
  om.type_units_analyzed = r.Str(x, "typeUnitsAnalyzed", p);
  om.denom_units_selected = r.Str(x, "denomUnitsSelected", p);
  om.groups = Groups(r, x, "groups", p);
  om.denoms = Denoms(r, x, p);
  om.classes = Classes(r, x, p);
  r.EachObj(x, "analyses", p, [&](object a, const std::string& q) { om.analyses.push_back(Analysis(r, a, q)); });
  return om;
}

std::vector<AdverseEvent> Events(JsonFieldReader& r, object m, const char* key, const std::string& path) {
  std::vector<AdverseEvent> out;
  r.EachObj(m, key, path, [&](object x, const std::string& p) {
    AdverseEvent e;
    e.term = r.Str(x, "term", p);
    e.organ_system = r.Str(x, "organSystem", p);
    e.source_vocabulary = r.Str(x, "sourceVocabulary", p);
    e.assessment_type = r.Enum<EventAssessment>(x, "assessmentType", p);
    e.notes = r.Str(x, "notes", p);
    r.EachObj(x, "stats", p, [&](object s, const std::string& q) {
      e.stats.push_back({r.Str(s, "groupId", q), r.Int(s, "numEvents", q), r.Int(s, "numAffected", q),
                         r.Int(s, "numAtRisk", q)});
    });
    out.push_back(std::move(e));
  });
  return out;
}

AdverseEvents Adverse(JsonFieldReader& r, object m, const std::string& path) {
  AdverseEvents ae;
  ae.frequency_threshold = r.Str(m, "frequencyThreshold", path);
  ae.time_frame = r.Str(m, "timeFrame", path);
  ae.description = r.Str(m, "description", path);
  ae.all_cause_mortality_comment = r.Str(m, "allCauseMortalityComment", path);
  r.EachObj(m, "eventGroups", path, [&](object g, const std::string& p) {
    EventGroup eg;
    eg.id = r.Str(g, "id", p);
    eg.title = r.Str(g, "title", p);
    eg.description = r.Str(g, "description", p);
    eg.deaths_num_affected = r.Int(g, "deathsNumAffected", p);
    eg.deaths_num_at_risk = r.Int(g, "deathsNumAtRisk", p);
    eg.serious_num_affected = r.Int(g, "seriousNumAffected", p);
    eg.serious_num_at_risk = r.Int(g, "seriousNumAtRisk", p);
    eg.other_num_affected = r.Int(g, "otherNumAffected", p);
    eg.other_num_at_risk = r.Int(g, "otherNumAtRisk", p);
    ae.event_groups.push_back(std::move(eg));
  });
  ae.serious_events = Events(r, m, "seriousEvents", path);
  ae.other_events = Events(r, m, "otherEvents", path);
  return ae;
}

MoreInfo More(JsonFieldReader& r, object m, const std::string& path) {
  MoreInfo mi;
  if (auto l = r.Obj(m, "limitationsAndCaveats", path)) {
    mi.limitations_and_caveats = r.Str(*l, "description", path + ".limitationsAndCaveats");
  }
  if (auto c = r.Obj(m, "certainAgreement", path)) {
    std::string p = path + ".certainAgreement";
    mi.certain_agreement = CertainAgreement{r.Bool(*c, "piSponsorEmployee", p),
                                            r.Enum<AgreementRestriction>(*c, "restrictionType", p),
                                            r.Bool(*c, "restrictiveAgreement", p), r.Str(*c, "otherDetails", p)};
  }
  if (auto c = r.Obj(m, "pointOfContact", path)) {
    std::string p = path + ".pointOfContact";
    mi.point_of_contact = PointOfContact{r.Str(*c, "title", p), r.Str(*c, "organization", p), r.Str(*c, "email", p),
                                         r.Str(*c, "phone", p), r.Str(*c, "phoneExt", p)};
  }
  return mi;
}

}  // namespace

StudyResults ReadResults(JsonFieldReader& r, object section, const std::string& path) {
  StudyResults out;
  if (auto m = r.Obj(section, "participantFlowModule", path)) {
    out.participant_flow = Flow(r, *m, path + ".participantFlowModule");
  }
  if (auto m = r.Obj(section, "baselineCharacteristicsModule", path)) {
    out.baseline = Baseline(r, *m, path + ".baselineCharacteristicsModule");
  }
  if (auto m = r.Obj(section, "outcomeMeasuresModule", path)) {
    out.has_outcome_module = true;
    std::string p = path + ".outcomeMeasuresModule";
    r.EachObj(*m, "outcomeMeasures", p, [&](object x, const std::string& q) {
      out.outcome_measures.push_back(Outcome(r, x, q));
    });
  }
  if (auto m = r.Obj(section, "adverseEventsModule", path)) {
    out.adverse_events = Adverse(r, *m, path + ".adverseEventsModule");
  }
  if (auto m = r.Obj(section, "moreInfoModule", path)) out.more_info = More(r, *m, path + ".moreInfoModule");
  return out;
}

}  // namespace ts::ingest_internal
