// "Check if I may qualify": a form built from the study's computable rules (only the facts the rules
// ask about), turned into a native patient record and checked. Nothing is stored or logged.
#include <algorithm>
#include <set>

#include "common/json_writer.h"
#include "common/strings.h"
#include "model/age.h"
#include "web/plain_language.h"
#include "web/site.h"

namespace ts {

namespace {

using web::Param;

// One question of the form, from a leaf of a rule.
struct Ask {
  RuleKind kind;
  std::string concept_id;
  std::string unit;  // labs: the rule's unit ("" for multiples of ULN)
  bool uln = false;
};

void CollectAsks(const Rule& r, std::vector<Ask>& out, std::set<RuleKind>& simple) {
  switch (r.kind) {
    case RuleKind::kAnd:
    case RuleKind::kOr:
    case RuleKind::kNot:
      for (const Rule& c : r.children) CollectAsks(c, out, simple);
      return;
    case RuleKind::kLab:
    case RuleKind::kScore:
    case RuleKind::kCondition:
    case RuleKind::kTherapy:
    case RuleKind::kProcedure:
    case RuleKind::kAllergy: {
      Ask a{r.kind, r.concept_id, r.base == LimitBase::kAbsolute ? r.unit : "", r.base != LimitBase::kAbsolute};
      bool dup = std::any_of(out.begin(), out.end(), [&](const Ask& b) {
        return b.kind == a.kind && b.concept_id == a.concept_id && b.uln == a.uln;
      });
      if (!dup) out.push_back(a);
      return;
    }
    default:
      simple.insert(r.kind);
  }
}

std::string FieldName(const Ask& a) {
  return std::string(RuleKindName(a.kind)) + "." + a.concept_id + (a.uln ? ".uln" : "");
}

void Select(HtmlWriter& h, const std::string& name, const std::string& id, const std::string& current,
            std::initializer_list<std::pair<std::string_view, std::string_view>> options) {
  h.Open(Markup("select"), {{"id", id}, {"name", name}});
  for (const auto& [v, label] : options) {
    if (v == current) h.Open(Markup("option"), {{"value", v}, {"selected", "selected"}});
    else h.Open(Markup("option"), {{"value", v}});
    h << label << Markup("</option>");
  }
  h << Markup("</select>");
}

// Form values -> native patient JSON (docs/PATIENT.md), or an error naming the field.
Result<std::string> PatientFromForm(const Params& p, const std::vector<Ask>& asks, PartialDate as_of) {
  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.String("web-form");
  std::string age = Param(p, "age");
  if (!age.empty()) {
    double years = 0;
    if (!ParseDouble(age, &years) || years < 0 || years > 120) return Status::InvalidArgument("Age: give a number of years from 0 to 120");
    // The middle of the year of age, so that the age counted from it (AgeAccepts) is the one given.
    w.Key("birthDate");
    w.String(PartialDate::FromDays(as_of.ToDays() - static_cast<int64_t>(years * kDaysPerYear + 182)).ToString());
  }
  std::string sex = Param(p, "sex");
  if (sex == "female" || sex == "male") {
    w.Key("sex");
    w.String(sex);
  }
  for (std::string_view flag : {"pregnant", "breastfeeding", "contraception"}) {
    std::string v = Param(p, std::string(flag));
    if (v == "yes" || v == "no") {
      w.Key(flag);
      w.Bool(v == "yes");
    }
  }
  std::string trial = Param(p, "otherTrial");
  if (trial == "no") {
    w.Key("otherTrial");
    w.Bool(false);
  } else if (trial == "yes") {
    std::string date = Param(p, "otherTrial.date");
    w.Key("otherTrial");
    w.Bool(true);
    if (!date.empty()) {
      w.Key("lastTrialDate");
      w.String(date);
    }
  }
  w.Key("labs");
  w.BeginArray();
  for (const Ask& a : asks) {
    if (a.kind != RuleKind::kLab && a.kind != RuleKind::kScore) continue;
    std::string v = Param(p, FieldName(a));
    if (v.empty()) continue;
    double value = 0;
    if (!ParseDouble(v, &value)) return Status::InvalidArgument(a.concept_id + ": \"" + v.substr(0, 20) + "\" is not a number");
    w.BeginObject();
    w.Key("code");
    w.String(a.concept_id);
    w.Key("value");
    w.Double(value);
    if (a.kind == RuleKind::kLab) {
      w.Key("unit");
      w.String(a.uln ? "U/L" : a.unit);  // a multiple of ULN is sent as value / ULN with ULN = 1
      if (a.uln) {
        w.Key("uln");
        w.Double(1);
      }
    }
    w.Key("date");
    w.String(as_of.ToString());
    w.EndObject();
  }
  w.EndArray();
  const std::pair<RuleKind, std::string_view> lists[] = {{RuleKind::kCondition, "conditions"},
                                                          {RuleKind::kTherapy, "medications"},
                                                          {RuleKind::kProcedure, "procedures"},
                                                          {RuleKind::kAllergy, "allergies"}};
  for (const auto& [kind, list] : lists) {
    w.Key(list);
    w.BeginArray();
    for (const Ask& a : asks) {
      if (a.kind != kind) continue;
      std::string v = Param(p, FieldName(a));
      if (v.empty() || v == "unknown") continue;
      std::string date = Param(p, FieldName(a) + ".date");
      w.BeginObject();
      w.Key("code");
      w.String(a.concept_id);
      w.Key("status");
      w.String(v == "no" ? "absent" : v == "past" ? "resolved" : "active");
      if (v == "past" && !date.empty()) {
        w.Key(kind == RuleKind::kProcedure ? "date" : "end");
        w.String(date);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string_view TruthClass(Truth t) { return t == Truth::kTrue ? "yes" : t == Truth::kFalse ? "no" : "unknown"; }

}  // namespace

HttpResponse WebSite::CheckPage(const std::string& id, const HttpRequest& r) const {
  if (screening_ == nullptr) return NotFoundPage("the eligibility check (not enabled on this server)");
  auto compiled = screening_->Criteria(id);
  if (!compiled.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const CompiledStudy& cs = **compiled;
  const ConceptTable& concepts = screening_->concepts();
  std::vector<Ask> asks;
  std::set<RuleKind> simple;
  for (const CompiledCriterion& c : cs.criteria) CollectAsks(c.rule, asks, simple);

  Params form = r.params;
  if (r.method == "POST" && Param(form, "form").empty()) {  // the body was not parsed into params
    for (auto pair : Split(r.body, '&')) {
      size_t eq = pair.find('=');
      form.emplace_back(UrlDecode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1)));
    }
  }
  const bool submitted = r.method == "POST";
  PartialDate today = clock_.Today();

  HtmlWriter h;
  h << Markup("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(cs.key)}}) << cs.key << Markup("</a> \xE2\x80\xBA Check if I may qualify</nav>\n");
  h << Markup("<h1>Check if I may qualify</h1>\n<p class=\"official\">") << cs.title << Markup("</p>\n");

  if (submitted) {
    auto json = PatientFromForm(form, asks, today);
    Result<Patient> patient = json.ok() ? ParsePatientJson(*json, concepts, "the form") : Result<Patient>(json.status());
    Result<StudyCheckResult> check = patient.ok() ? screening_->Check(cs.key, *patient, today) : Result<StudyCheckResult>(patient.status());
    if (!check.ok()) {
      h << Markup("<div class=\"error\" role=\"alert\"><h2>Please check your answers</h2><p>") << check.status().message()
        << Markup("</p></div>\n");
    } else {
      Verdict v = check->check.verdict;
      std::string cls = std::string("verdict ") + std::string(VerdictName(v));
      h.Open(Markup("section"), {{"class", cls}, {"role", "status"}, {"aria-live", "polite"}});
      if (v == Verdict::kEligible) {
        h << Markup("<h2>You may qualify</h2><p>Your answers meet every criterion we can check. The study team decides; contact them.</p>");
      } else if (v == Verdict::kNotEligible) {
        h << Markup("<h2>You probably do not qualify</h2><p>At least one criterion rules you out (marked below). Ask your doctor; ");
        h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(cs.key) + "#related"}}) << Markup("related trials</a> may fit better.</p>");
      } else {
        h << Markup("<h2>You might qualify</h2><p>Nothing you told us rules you out, but some criteria are still open (below). "
                    "The study team or your doctor can answer them.</p>");
      }
      h << Markup("<ul class=\"checks\">\n");
      // What rules the patient out first, then what is still open, then what is met.
      std::vector<const CriterionCheck*> order;
      for (const CriterionCheck& cc : check->check.criteria) order.push_back(&cc);
      auto rank = [&](const CriterionCheck* cc) {
        bool failing = std::find(check->check.failing.begin(), check->check.failing.end(), cc->index) != check->check.failing.end();
        return failing ? 0 : cc->finding.truth == Truth::kUnknown ? 1 : 2;
      };
      std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
      for (const CriterionCheck* ccp : order) {
        const CriterionCheck& cc = *ccp;
        const CompiledCriterion& c = cs.criteria[cc.index];
        bool failing = std::find(check->check.failing.begin(), check->check.failing.end(), cc.index) != check->check.failing.end();
        std::string li = std::string("check ") + std::string(TruthClass(cc.finding.truth)) + (failing ? " failing" : "");
        h.Open(Markup("li"), {{"class", li}});
        h << Markup("<span class=\"kind\">") << CriterionKindName(c.kind) << Markup("</span> ") << c.text << Markup("<br><small>");
        if (cc.finding.truth == Truth::kUnknown) {
          h << Markup("Open: ") << (cc.finding.questions.empty() ? std::string("the study team decides") : Join(cc.finding.questions, " "));
        } else {
          h << (cc.finding.truth == Truth::kTrue ? Markup("Yes: ") : Markup("No: ")) << Join(cc.finding.evidence, "; ");
        }
        h << Markup("</small></li>\n");
      }
      h << Markup("</ul></section>\n");
    }
  }

  h << Markup("<form class=\"check\" method=\"post\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"check\">\n"
              "<p class=\"note\">Answer what you know; leave the rest blank. Your answers are checked once and are not stored.</p>\n"
              "<fieldset><legend>About you</legend>\n<div class=\"field\"><label for=\"f-age\">Age (years)</label>");
  h.Open(Markup("input"), {{"id", "f-age"}, {"name", "age"}, {"type", "number"}, {"min", "0"}, {"max", "120"}, {"value", Param(form, "age")}});
  h << Markup("</div>\n<div class=\"field\"><label for=\"f-sex\">Sex</label>");
  Select(h, "sex", "f-sex", Param(form, "sex"), {{"", "Prefer not to say"}, {"female", "Female"}, {"male", "Male"}});
  h << Markup("</div>\n");
  for (auto [kind, name, label] : {std::tuple{RuleKind::kPregnant, "pregnant", "Are you pregnant?"},
                                   std::tuple{RuleKind::kBreastfeeding, "breastfeeding", "Are you breastfeeding?"},
                                   std::tuple{RuleKind::kContraception, "contraception", "Do you use effective contraception?"}}) {
    if (!simple.count(kind)) continue;
    std::string fid = std::string("f-") + name;
    h << Markup("<div class=\"field\">");
    h.Open(Markup("label"), {{"for", fid}}) << std::string_view(label) << Markup("</label>");
    Select(h, name, fid, Param(form, name), {{"", "Don't know"}, {"no", "No"}, {"yes", "Yes"}});
    h << Markup("</div>\n");
  }
  if (simple.count(RuleKind::kTrialParticipation)) {
    h << Markup("<div class=\"field\"><label for=\"f-trial\">Have you been in another clinical trial?</label>");
    Select(h, "otherTrial", "f-trial", Param(form, "otherTrial"), {{"", "Don't know"}, {"no", "No"}, {"yes", "Yes"}});
    h << Markup("</div><div class=\"field\"><label for=\"f-trial-date\">If yes, when did it end?</label>");
    h.Open(Markup("input"), {{"id", "f-trial-date"}, {"name", "otherTrial.date"}, {"type", "date"}, {"value", Param(form, "otherTrial.date")}});
    h << Markup("</div>\n");
  }
  h << Markup("</fieldset>\n");

  bool any_lab = std::any_of(asks.begin(), asks.end(), [](const Ask& a) { return a.kind == RuleKind::kLab || a.kind == RuleKind::kScore; });
  if (any_lab) {
    h << Markup("<fieldset><legend>Recent test results</legend>\n");
    for (const Ask& a : asks) {
      if (a.kind != RuleKind::kLab && a.kind != RuleKind::kScore) continue;
      const Concept* c = concepts.Find(a.concept_id);
      std::string label = c ? c->label : a.concept_id;
      std::string unit = a.uln ? "\xC3\x97 upper limit of normal" : PlainUnit(a.unit);
      std::string fid = "f-" + FieldName(a);
      h << Markup("<div class=\"field\">");
      h.Open(Markup("label"), {{"for", fid}}) << Capitalised(label) << (unit.empty() ? Markup("") : Markup(" (")) << unit
                                               << (unit.empty() ? Markup("") : Markup(")")) << Markup("</label>");
      h.Open(Markup("input"), {{"id", fid}, {"name", FieldName(a)}, {"type", "number"}, {"step", "any"}, {"value", Param(form, FieldName(a))}});
      h << Markup("</div>\n");
    }
    h << Markup("</fieldset>\n");
  }
  for (const auto& group : {std::pair{RuleKind::kCondition, "Conditions"}, std::pair{RuleKind::kTherapy, "Treatments"},
                             std::pair{RuleKind::kProcedure, "Procedures"}, std::pair{RuleKind::kAllergy, "Allergies"}}) {
    const RuleKind kind = group.first;
    const char* legend = group.second;
    if (std::none_of(asks.begin(), asks.end(), [kind](const Ask& a) { return a.kind == kind; })) continue;
    h << Markup("<fieldset><legend>") << std::string_view(legend) << Markup("</legend>\n");
    for (const Ask& a : asks) {
      if (a.kind != kind) continue;
      const Concept* c = concepts.Find(a.concept_id);
      std::string label = c ? c->label : a.concept_id;
      std::string fid = "f-" + FieldName(a);
      h << Markup("<div class=\"field row\">");
      h.Open(Markup("label"), {{"for", fid}}) << Capitalised(label) << Markup("</label>");
      if (kind == RuleKind::kAllergy) {
        Select(h, FieldName(a), fid, Param(form, FieldName(a)), {{"unknown", "Don't know"}, {"no", "Not allergic"}, {"yes", "Allergic"}});
      } else {
        Select(h, FieldName(a), fid, Param(form, FieldName(a)),
               {{"unknown", "Don't know"}, {"no", "No, never"}, {"yes", "Yes, now"}, {"past", "Yes, in the past"}});
        h.Open(Markup("label"), {{"for", fid + "-date"}, {"class", "sub"}}) << Markup("ended on</label>");
        h.Open(Markup("input"), {{"id", fid + "-date"}, {"name", FieldName(a) + ".date"}, {"type", "date"}, {"value", Param(form, FieldName(a) + ".date")}});
      }
      h << Markup("</div>\n");
    }
    h << Markup("</fieldset>\n");
  }
  h << Markup("<p><button type=\"submit\" class=\"primary\">Check</button></p>\n</form>\n"
              "<p class=\"note\">This pre-screen reads the trial's criteria by fixed rules. It can be wrong, and only the study team "
              "can enrol you. Criteria about consent or the investigator's judgement are never decided here.</p>\n");
  return Page("Check if I may qualify \xC2\xB7 " + cs.key, h.Take());
}

}  // namespace ts
