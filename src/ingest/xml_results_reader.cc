#include "ingest/xml_results.h"

#include <string>

#include "common/strings.h"

namespace ts::ingest_internal {

namespace {

class ResultsWalker {
 public:
  Status status;

  static std::string Text(pugi::xml_node n) { return std::string(Trim(n.child_value())); }
  static std::string Text(pugi::xml_node n, const char* child) { return Text(n.child(child)); }
  static std::string Attr(pugi::xml_node n, const char* name) { return std::string(Trim(n.attribute(name).value())); }

  template <typename E>
  std::optional<E> Label(pugi::xml_node n, const char* child, const std::string& path) {
    std::string s = Text(n, child);
    if (s.empty()) return std::nullopt;
    auto v = ParseLabel<E>(s);
    if (!v && status.ok()) status = Status::InvalidArgument(path + "/" + child + ": unknown value \"" + s.substr(0, 64) + "\"");
    return v;
  }

  std::optional<int64_t> Count(pugi::xml_node n, const char* attr) {
    std::string s = Attr(n, attr);
    int64_t v = 0;
    if (s.empty() || !ParseInt64(s, &v) || v < 0) return std::nullopt;
    return v;
  }

  std::vector<ResultGroup> Groups(pugi::xml_node parent) {
    std::vector<ResultGroup> out;
    for (pugi::xml_node g : parent.child("group_list").children("group")) {
      out.push_back({Attr(g, "group_id"), Text(g, "title"), Text(g, "description")});
    }
    return out;
  }

  std::vector<FlowStats> Participants(pugi::xml_node parent) {
    std::vector<FlowStats> out;
    for (pugi::xml_node p : parent.child("participants_list").children("participants")) {
      out.push_back({Attr(p, "group_id"), Text(p), Attr(p, "count"), ""});
    }
    return out;
  }

  ParticipantFlow Flow(pugi::xml_node f) {
    ParticipantFlow out;
    out.recruitment_details = Text(f, "recruitment_details");
    out.pre_assignment_details = Text(f, "pre_assignment_details");
    out.type_units_analyzed = Text(f, "units_analyzed");
    out.groups = Groups(f);
    for (pugi::xml_node p : f.child("period_list").children("period")) {
      FlowPeriod period;
      period.title = Text(p, "title");
      for (pugi::xml_node m : p.child("milestone_list").children("milestone")) {
        period.milestones.push_back({Text(m, "title"), "", Participants(m)});
      }
      for (pugi::xml_node d : p.child("drop_withdraw_reason_list").children("drop_withdraw_reason")) {
        period.drop_withdraws.push_back({Text(d, "title"), "", Participants(d)});
      }
      out.periods.push_back(std::move(period));
    }
    return out;
  }

  std::vector<Denom> Analyzed(pugi::xml_node parent) {
    std::vector<Denom> out;
    for (pugi::xml_node a : parent.child("analyzed_list").children("analyzed")) {
      Denom d;
      d.units = Text(a, "units");
      for (pugi::xml_node c : a.child("count_list").children("count")) d.counts.push_back({Attr(c, "group_id"), Attr(c, "value")});
      out.push_back(std::move(d));
    }
    return out;
  }

  std::vector<MeasureClass> Classes(pugi::xml_node measure) {
    std::vector<MeasureClass> out;
    for (pugi::xml_node c : measure.child("class_list").children("class")) {
      MeasureClass mc;
      mc.title = Text(c, "title");
      mc.denoms = Analyzed(c);
      for (pugi::xml_node cat : c.child("category_list").children("category")) {
        MeasureCategory category;
        category.title = Text(cat, "title");
        for (pugi::xml_node m : cat.child("measurement_list").children("measurement")) {
          category.measurements.push_back({Attr(m, "group_id"), Attr(m, "value"), Attr(m, "spread"),
                                           Attr(m, "lower_limit"), Attr(m, "upper_limit"), Text(m)});
        }
        mc.categories.push_back(std::move(category));
      }
      out.push_back(std::move(mc));
    }
    return out;
  }

  BaselineCharacteristics Baseline(pugi::xml_node b) {
    BaselineCharacteristics out;
    out.population_description = Text(b, "population");
    out.groups = Groups(b);
    out.denoms = Analyzed(b);
    for (pugi::xml_node m : b.child("measure_list").children("measure")) {
      BaselineMeasure bm;
      bm.title = Text(m, "title");
      bm.description = Text(m, "description");
      bm.population_description = Text(m, "population");
      bm.unit_of_measure = Text(m, "units");
      bm.param_type = Label<MeasureParam>(m, "param", "clinical_results/baseline/measure");
      bm.dispersion_type = Label<MeasureDispersion>(m, "dispersion", "clinical_results/baseline/measure");
      bm.denoms = Analyzed(m);
      bm.classes = Classes(m);
      out.measures.push_back(std::move(bm));
    }
    return out;
  }

  MeasureAnalysis Analysis(pugi::xml_node a, const std::string& path) {
    MeasureAnalysis out;
    for (pugi::xml_node g : a.child("group_id_list").children("group_id")) out.group_ids.push_back(Text(g));
    out.group_description = Text(a, "groups_desc");
    out.non_inferiority_type = Label<NonInferiorityType>(a, "non_inferiority_type", path);
    out.non_inferiority_comment = Text(a, "non_inferiority_desc");
    out.p_value = Text(a, "p_value");
    out.p_value_comment = Text(a, "p_value_desc");
    out.statistical_method = Text(a, "method");
    out.statistical_comment = Text(a, "method_desc");
    out.param_type = Text(a, "param_type");
    out.param_value = Text(a, "param_value");
    out.dispersion_type = Label<AnalysisDispersion>(a, "dispersion_type", path);
    out.dispersion_value = Text(a, "dispersion_value");
    out.ci_pct_value = Text(a, "ci_percent");
    out.ci_num_sides = Label<CiNumSides>(a, "ci_n_sides", path);
    out.ci_lower_limit = Text(a, "ci_lower_limit");
    out.ci_upper_limit = Text(a, "ci_upper_limit");
    out.estimate_comment = Text(a, "estimate_desc");
    out.other_analysis_description = Text(a, "other_analysis_desc");
    return out;
  }

  OutcomeMeasure Outcome(pugi::xml_node o) {
    const std::string path = "clinical_results/outcome_list/outcome";
    OutcomeMeasure out;
    out.type = Label<OutcomeMeasureType>(o, "type", path);
    out.title = Text(o, "title");
    out.description = Text(o, "description");
    out.time_frame = Text(o, "time_frame");
    out.population_description = Text(o, "population");
    out.anticipated_posting_date = Text(o, "posting_date");
    out.groups = Groups(o);
    pugi::xml_node m = o.child("measure");
    if (!out.anticipated_posting_date.empty() && !m) out.reporting_status = ReportingStatus::kNotPosted;
    out.unit_of_measure = Text(m, "units");
    out.param_type = Label<MeasureParam>(m, "param", path + "/measure");
    out.dispersion_type = Text(m, "dispersion");
    if (auto d = ParseLabel<MeasureDispersion>(out.dispersion_type)) out.dispersion_type = std::string(ApiName(*d));
    out.type_units_analyzed = Text(m, "units_analyzed");
    out.denoms = Analyzed(m);
    out.classes = Classes(m);
    for (pugi::xml_node a : o.child("analysis_list").children("analysis")) {  // beside <measure>, not in it
      out.analyses.push_back(Analysis(a, path + "/analysis_list/analysis"));
    }
    return out;
  }

  // One <serious_events>/<other_events>: its events, and the "Total" rows as the groups' totals.
  void Events(pugi::xml_node list, bool serious, AdverseEvents* ae) {
    std::string vocab = Text(list, "default_vocab");
    std::string assessment = Text(list, "default_assessment");
    for (pugi::xml_node cat : list.child("category_list").children("category")) {
      std::string organ = Text(cat, "title");
      for (pugi::xml_node e : cat.child("event_list").children("event")) {
        std::string term = Text(e, "sub_title");
        if (organ == "Total") {
          Totals(e, term, ae);
          continue;
        }
        AdverseEvent ev;
        ev.term = term;
        ev.organ_system = organ;
        ev.source_vocabulary = Attr(e.child("sub_title"), "vocab").empty() ? vocab : Attr(e.child("sub_title"), "vocab");
        std::string how = Text(e, "assessment").empty() ? assessment : Text(e, "assessment");
        if (!how.empty()) {
          ev.assessment_type = ParseLabel<EventAssessment>(how);
          if (!ev.assessment_type && status.ok()) {
            status = Status::InvalidArgument("clinical_results/reported_events/event/assessment: unknown value \"" +
                                             how.substr(0, 64) + "\"");
          }
        }
        ev.notes = Text(e, "description");
        for (pugi::xml_node c : e.children("counts")) {
          ev.stats.push_back({Attr(c, "group_id"), Count(c, "events"), Count(c, "subjects_affected"), Count(c, "subjects_at_risk")});
        }
        (serious ? ae->serious_events : ae->other_events).push_back(std::move(ev));
      }
    }
  }

  void Totals(pugi::xml_node e, const std::string& term, AdverseEvents* ae) {
    for (pugi::xml_node c : e.children("counts")) {
      std::string id = Attr(c, "group_id");
      for (EventGroup& g : ae->event_groups) {
        if (g.id != id) continue;
        auto affected = Count(c, "subjects_affected");
        auto at_risk = Count(c, "subjects_at_risk");
        if (term == "Total, serious adverse events") {
          g.serious_num_affected = affected;
          g.serious_num_at_risk = at_risk;
        } else if (term == "Total, other adverse events") {
          g.other_num_affected = affected;
          g.other_num_at_risk = at_risk;
        } else if (term == "Total, all-cause mortality") {
          g.deaths_num_affected = affected;
          g.deaths_num_at_risk = at_risk;
        }
      }
    }
  }

  AdverseEvents Adverse(pugi::xml_node r) {
    AdverseEvents out;
    out.time_frame = Text(r, "time_frame");
    out.description = Text(r, "desc");
    for (const ResultGroup& g : Groups(r)) out.event_groups.push_back({g.id, g.title, g.description, {}, {}, {}, {}, {}, {}});
    out.frequency_threshold = Text(r.child("other_events"), "frequency_threshold");
    Events(r.child("serious_events"), true, &out);
    Events(r.child("other_events"), false, &out);
    return out;
  }

  MoreInfo More(pugi::xml_node cr) {
    MoreInfo out;
    out.limitations_and_caveats = Text(cr, "limitations_and_caveats");
    if (pugi::xml_node a = cr.child("certain_agreements")) {
      CertainAgreement ca;
      std::string pi = Text(a, "pi_employee");
      if (pi.find("ARE employed") != std::string::npos) ca.pi_sponsor_employee = true;
      if (pi.find("NOT employed") != std::string::npos) ca.pi_sponsor_employee = false;
      std::string ra = Text(a, "restrictive_agreement");
      if (ra.find("There is NOT an agreement") != std::string::npos) ca.restrictive_agreement = false;
      else if (ra.find("There IS an agreement") != std::string::npos) ca.restrictive_agreement = true;
      // The legacy sentences carry what the API splits into flags; the sponsor's own words stay.
      if (!ca.restrictive_agreement && !ra.empty()) ca.other_details = ra;
      out.certain_agreement = ca;
    }
    if (pugi::xml_node p = cr.child("point_of_contact")) {
      out.point_of_contact = PointOfContact{Text(p, "name_or_title"), Text(p, "organization"), Text(p, "email"),
                                            Text(p, "phone"), Text(p, "phone_ext")};
    }
    return out;
  }
};

}  // namespace

Status ReadXmlResults(pugi::xml_node cr, StudyResults* out) {
  ResultsWalker w;
  if (pugi::xml_node f = cr.child("participant_flow")) out->participant_flow = w.Flow(f);
  if (pugi::xml_node b = cr.child("baseline")) out->baseline = w.Baseline(b);
  if (pugi::xml_node ol = cr.child("outcome_list")) {
    out->has_outcome_module = true;
    for (pugi::xml_node o : ol.children("outcome")) out->outcome_measures.push_back(w.Outcome(o));
  }
  if (pugi::xml_node r = cr.child("reported_events")) out->adverse_events = w.Adverse(r);
  out->more_info = w.More(cr);
  return w.status;
}

}  // namespace ts::ingest_internal
