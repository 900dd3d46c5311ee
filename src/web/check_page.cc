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

using web::FormValues;
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

// A question answered with a number: a lab value or a score.
bool IsMeasure(const Ask& a) { return a.kind == RuleKind::kLab || a.kind == RuleKind::kScore; }

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

// The "labs" array: one entry per lab or score question answered, dated `as_of`; an answer that
// is not a number is an error naming the analyte.
Status WriteLabs(JsonWriter& w, const Params& p, const std::vector<Ask>& asks, PartialDate as_of) {
  w.Key("labs");
  w.BeginArray();
  for (const Ask& a : asks) {
    if (!IsMeasure(a)) continue;
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
  return Status::Ok();
}

// The "conditions", "medications", "procedures" and "allergies" arrays: one entry per concept
// answered (not "unknown"): absent, active, or resolved with the date it ended.
void WriteConceptLists(JsonWriter& w, const Params& p, const std::vector<Ask>& asks) {
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
  if (Status labs = WriteLabs(w, p, asks, as_of); !labs.ok()) return labs;
  WriteConceptLists(w, p, asks);
  w.EndObject();
  return w.Take();
}

std::string_view TruthClass(Truth t) { return t == Truth::kTrue ? "yes" : t == Truth::kFalse ? "no" : "unknown"; }

// What the sections of the check page read.
struct CheckView {
  const CompiledStudy& cs;
  const ConceptTable& concepts;
  const Params& form;               // the answers (the query, or the posted body)
  const std::vector<Ask>& asks;     // the questions about labs, scores and concepts
  const std::set<RuleKind>& simple; // the kinds of the other leaves (pregnancy, trial participation ...)
};

// The criteria as checked: what rules the patient out first, then what is still open, then what is met.
void CheckList(HtmlWriter& h, const CompiledStudy& cs, const StudyCheck& check) {
  h << Markup("<ul class=\"checks\">\n");
  auto is_failing = [&](size_t index) { return std::find(check.failing.begin(), check.failing.end(), index) != check.failing.end(); };
  std::vector<const CriterionCheck*> order;
  for (const CriterionCheck& cc : check.criteria) order.push_back(&cc);
  auto rank = [&](const CriterionCheck* cc) { return is_failing(cc->index) ? 0 : cc->finding.truth == Truth::kUnknown ? 1 : 2; };
  std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
  for (const CriterionCheck* ccp : order) {
    const CriterionCheck& cc = *ccp;
    const CompiledCriterion& c = cs.criteria[cc.index];
    std::string li = std::string("check ") + std::string(TruthClass(cc.finding.truth)) + (is_failing(cc.index) ? " failing" : "");
    h.Open(Markup("li"), {{"class", li}});
    h << Markup("<span class=\"kind\">") << CriterionKindName(c.kind) << Markup("</span> ") << c.text << Markup("<br><small>");
    if (cc.finding.truth == Truth::kUnknown) {
      h << Markup("Open: ") << (cc.finding.questions.empty() ? std::string("the study team decides") : Join(cc.finding.questions, " "));
    } else {
      h << (cc.finding.truth == Truth::kTrue ? Markup("Yes: ") : Markup("No: ")) << Join(cc.finding.evidence, "; ");
    }
    h << Markup("</small></li>\n");
  }
  h << Markup("</ul>");
}

// The verdict's heading and explanation, then each criterion as checked.
void VerdictBody(HtmlWriter& h, const CompiledStudy& cs, const StudyCheck& check) {
  Verdict verdict = check.verdict;
  std::string cls = std::string("verdict ") + std::string(VerdictName(verdict));
  h.Open(Markup("section"), {{"class", cls}, {"role", "status"}, {"aria-live", "polite"}});
  if (verdict == Verdict::kEligible) {
    h << Markup("<h2>You may qualify</h2><p>Your answers meet every criterion we can check. The study team decides; contact them.</p>");
  } else if (verdict == Verdict::kNotEligible) {
    h << Markup("<h2>You probably do not qualify</h2><p>At least one criterion rules you out (marked below). Ask your doctor; ");
    h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(cs.key) + "#related"}}) << Markup("related trials</a> may fit better.</p>");
  } else {
    h << Markup("<h2>You might qualify</h2><p>Nothing you told us rules you out, but some criteria are still open (below). "
                "The study team or your doctor can answer them.</p>");
  }
  CheckList(h, cs, check);
  h << Markup("</section>\n");
}

// The answers checked against the study: the verdict and each criterion, or what is wrong with the answers.
void VerdictSection(HtmlWriter& h, const CheckView& v, const ScreeningService& screening, PartialDate today) {
  auto json = PatientFromForm(v.form, v.asks, today);
  Result<Patient> patient = json.ok() ? ParsePatientJson(*json, v.concepts, "the form") : Result<Patient>(json.status());
  Result<StudyCheckResult> check = patient.ok() ? screening.Check(v.cs.key, *patient, today) : Result<StudyCheckResult>(patient.status());
  if (!check.ok()) {
    h << Markup("<div class=\"error\" role=\"alert\"><h2>Please check your answers</h2><p>") << check.status().message()
      << Markup("</p></div>\n");
    return;
  }
  VerdictBody(h, v.cs, check->check);
}

// The note as pasted, each fact read marked in place (its kind and context in the title and the class).
void HighlightedNote(HtmlWriter& h, const NoteReading& reading) {
  h << Markup("<pre class=\"note-text\">");
  std::vector<const NoteFact*> order;
  for (const NoteFact& f : reading.facts.facts) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const NoteFact* a, const NoteFact* b) { return a->begin < b->begin; });
  size_t at = 0;
  for (const NoteFact* fp : order) {  // a fact overlapping an earlier mark is listed, not marked
    const NoteFact& f = *fp;
    if (f.begin < at) continue;
    h << std::string_view(reading.text).substr(at, f.begin - at);
    std::string title = std::string(NoteFactKindName(f.kind)) + (f.context == NoteContext::kAffirmed ? "" : ", " + std::string(NoteContextName(f.context)));
    h.Open(Markup("mark"), {{"class", "fact " + std::string(NoteContextName(f.context))}, {"title", title}}) << f.text << Markup("</mark>");
    at = f.end;
  }
  h << std::string_view(reading.text).substr(std::min(at, reading.text.size())) << Markup("</pre>\n");
}

// A pasted note: the facts read (highlighted in the text, then listed), before the verdict and each criterion's label.
void NoteSection(HtmlWriter& h, const CheckView& v, const ScreeningService& screening, PartialDate today) {
  auto reading = screening.ReadNote(Param(v.form, "note"), today);
  Result<NoteCheckResult> check = reading.ok() ? screening.CheckNote(v.cs.key, *reading, today) : Result<NoteCheckResult>(reading.status());
  if (!check.ok()) {
    h << Markup("<div class=\"error\" role=\"alert\"><h2>Please check your note</h2><p>") << check.status().message()
      << Markup("</p></div>\n");
    return;
  }
  h << Markup("<section class=\"note-read\"><h2>What we read in your note</h2>\n");
  HighlightedNote(h, *reading);
  h << Markup("<ul class=\"facts\">\n");
  for (const NoteFact& f : reading->facts.facts) {
    h << Markup("<li>") << Markup("Sentence ") << f.sentence << Markup(": ") << NoteFactKindName(f.kind) << Markup(" ");
    h << Markup("<q>") << f.text << Markup("</q>");
    if (f.context != NoteContext::kAffirmed) h << Markup(" (") << NoteContextName(f.context) << Markup(")");
    if (!f.value.empty()) h << Markup(" = ") << f.value;
    h << Markup("</li>\n");
  }
  for (const std::string& w : reading->patient.warnings) h << Markup("<li class=\"warning\">") << w << Markup("</li>\n");
  h << Markup("</ul>\n<p>If what the note does not mention is taken as absent, the verdict would be: <strong>")
    << VerdictName(check->check.presumed_verdict) << Markup("</strong>.</p>\n<ul class=\"labels\">\n");
  for (size_t k = 0; k < check->check.labels.size(); ++k) {
    const CriterionLabel& l = check->check.labels[k];
    const CompiledCriterion& c = v.cs.criteria[l.index];
    h << Markup("<li>") << CriterionKindName(c.kind) << Markup(" ") << c.label << Markup(": <strong>") << ExpertLabelName(l.label)
      << Markup("</strong> (") << LabelBasisName(l.basis) << Markup(")");
    if (!l.sentences.empty()) {
      std::string s;
      for (int n : l.sentences) s += (s.empty() ? "" : ", ") + std::to_string(n);
      h << Markup(", sentences ") << s;
    }
    h << Markup("</li>\n");
  }
  h << Markup("</ul>\n</section>\n");
  VerdictBody(h, v.cs, check->check.check);
}

// A fieldset of the form. `kind` is the kind of rule whose concepts it asks about (the concept
// groups); `applies` says whether the study asks anything of it, `fields` writes its questions.
struct FormSection {
  std::string_view legend;
  RuleKind kind;
  bool (*applies)(const CheckView&, RuleKind);
  void (*fields)(HtmlWriter&, const CheckView&, RuleKind);
};

bool Always(const CheckView&, RuleKind) { return true; }

// Age and sex always; pregnancy, breastfeeding, contraception and another trial when a rule asks.
void AboutYouFields(HtmlWriter& h, const CheckView& v, RuleKind) {
  h << Markup("<div class=\"field\"><label for=\"f-age\">Age (years)</label>");
  h.Open(Markup("input"), {{"id", "f-age"}, {"name", "age"}, {"type", "number"}, {"min", "0"}, {"max", "120"}, {"value", Param(v.form, "age")}});
  h << Markup("</div>\n<div class=\"field\"><label for=\"f-sex\">Sex</label>");
  Select(h, "sex", "f-sex", Param(v.form, "sex"), {{"", "Prefer not to say"}, {"female", "Female"}, {"male", "Male"}});
  h << Markup("</div>\n");
  for (auto [kind, name, label] : {std::tuple{RuleKind::kPregnant, "pregnant", "Are you pregnant?"},
                                   std::tuple{RuleKind::kBreastfeeding, "breastfeeding", "Are you breastfeeding?"},
                                   std::tuple{RuleKind::kContraception, "contraception", "Do you use effective contraception?"}}) {
    if (!v.simple.count(kind)) continue;
    std::string fid = std::string("f-") + name;
    h << Markup("<div class=\"field\">");
    h.Open(Markup("label"), {{"for", fid}}) << std::string_view(label) << Markup("</label>");
    Select(h, name, fid, Param(v.form, name), {{"", "Don't know"}, {"no", "No"}, {"yes", "Yes"}});
    h << Markup("</div>\n");
  }
  if (v.simple.count(RuleKind::kTrialParticipation)) {
    h << Markup("<div class=\"field\"><label for=\"f-trial\">Have you been in another clinical trial?</label>");
    Select(h, "otherTrial", "f-trial", Param(v.form, "otherTrial"), {{"", "Don't know"}, {"no", "No"}, {"yes", "Yes"}});
    h << Markup("</div><div class=\"field\"><label for=\"f-trial-date\">If yes, when did it end?</label>");
    h.Open(Markup("input"), {{"id", "f-trial-date"}, {"name", "otherTrial.date"}, {"type", "date"}, {"value", Param(v.form, "otherTrial.date")}});
    h << Markup("</div>\n");
  }
}

bool AnyMeasure(const CheckView& v, RuleKind) { return std::any_of(v.asks.begin(), v.asks.end(), IsMeasure); }

// A number for each lab and score, labelled with its unit (or "× upper limit of normal").
void MeasureFields(HtmlWriter& h, const CheckView& v, RuleKind) {
  for (const Ask& a : v.asks) {
    if (!IsMeasure(a)) continue;
    const Concept* c = v.concepts.Find(a.concept_id);
    std::string label = c ? c->label : a.concept_id;
    std::string unit = a.uln ? "\xC3\x97 upper limit of normal" : PlainUnit(a.unit);
    std::string fid = "f-" + FieldName(a);
    h << Markup("<div class=\"field\">");
    h.Open(Markup("label"), {{"for", fid}}) << Capitalised(label) << (unit.empty() ? Markup("") : Markup(" (")) << unit
                                             << (unit.empty() ? Markup("") : Markup(")")) << Markup("</label>");
    h.Open(Markup("input"), {{"id", fid}, {"name", FieldName(a)}, {"type", "number"}, {"step", "any"}, {"value", Param(v.form, FieldName(a))}});
    h << Markup("</div>\n");
  }
}

bool AnyOfKind(const CheckView& v, RuleKind kind) {
  return std::any_of(v.asks.begin(), v.asks.end(), [kind](const Ask& a) { return a.kind == kind; });
}

// A choice for each concept of `kind`: allergic or not; otherwise never, now, or in the past with the date it ended.
void ConceptFields(HtmlWriter& h, const CheckView& v, RuleKind kind) {
  for (const Ask& a : v.asks) {
    if (a.kind != kind) continue;
    const Concept* c = v.concepts.Find(a.concept_id);
    std::string label = c ? c->label : a.concept_id;
    std::string fid = "f-" + FieldName(a);
    h << Markup("<div class=\"field row\">");
    h.Open(Markup("label"), {{"for", fid}}) << Capitalised(label) << Markup("</label>");
    if (kind == RuleKind::kAllergy) {
      Select(h, FieldName(a), fid, Param(v.form, FieldName(a)), {{"unknown", "Don't know"}, {"no", "Not allergic"}, {"yes", "Allergic"}});
    } else {
      Select(h, FieldName(a), fid, Param(v.form, FieldName(a)),
             {{"unknown", "Don't know"}, {"no", "No, never"}, {"yes", "Yes, now"}, {"past", "Yes, in the past"}});
      h.Open(Markup("label"), {{"for", fid + "-date"}, {"class", "sub"}}) << Markup("ended on</label>");
      h.Open(Markup("input"), {{"id", fid + "-date"}, {"name", FieldName(a) + ".date"}, {"type", "date"}, {"value", Param(v.form, FieldName(a) + ".date")}});
    }
    h << Markup("</div>\n");
  }
}

// The fieldsets of the form, in page order.
constexpr FormSection kFormSections[] = {
    {"About you", RuleKind::kAge, Always, AboutYouFields},
    {"Recent test results", RuleKind::kLab, AnyMeasure, MeasureFields},
    {"Conditions", RuleKind::kCondition, AnyOfKind, ConceptFields},
    {"Treatments", RuleKind::kTherapy, AnyOfKind, ConceptFields},
    {"Procedures", RuleKind::kProcedure, AnyOfKind, ConceptFields},
    {"Allergies", RuleKind::kAllergy, AnyOfKind, ConceptFields},
};

// The form: a note, the fieldsets of kFormSections that apply, the button.
void CheckForm(HtmlWriter& h, const CheckView& v) {
  h << Markup("<form class=\"check\" method=\"post\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"check\">\n"
              "<p class=\"note\">Answer what you know; leave the rest blank. Your answers are checked once and are not stored.</p>\n");
  for (const FormSection& sec : kFormSections) {
    if (!sec.applies(v, sec.kind)) continue;
    h << Markup("<fieldset><legend>") << sec.legend << Markup("</legend>\n");
    sec.fields(h, v, sec.kind);
    h << Markup("</fieldset>\n");
  }
  h << Markup("<p><button type=\"submit\" class=\"primary\">Check</button></p>\n</form>\n");
}

// The other way in: paste a clinical note (checked once, not stored).
void NoteForm(HtmlWriter& h, const CheckView& v) {
  h << Markup("<form class=\"check note\" method=\"post\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"note\">\n"
              "<label for=\"f-note\">Or paste a clinical note</label>\n");
  h.Open(Markup("textarea"), {{"id", "f-note"}, {"name", "note"}, {"rows", "8"}, {"cols", "80"}}) << Param(v.form, "note") << Markup("</textarea>\n");
  h << Markup("<p class=\"note\">The note is read once, by fixed rules, and is not stored. You will see what was read before the verdict.</p>\n"
              "<p><button type=\"submit\">Read the note and check</button></p>\n</form>\n");
}

}  // namespace

HttpResponse WebSite::CheckPage(const std::string& id, const HttpRequest& r) const {
  if (screening_ == nullptr) return NotFoundPage("the eligibility check (not enabled on this server)");
  auto compiled = screening_->Criteria(id);
  if (!compiled.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const CompiledStudy& cs = **compiled;
  std::vector<Ask> asks;
  std::set<RuleKind> simple;
  for (const CompiledCriterion& c : cs.criteria) CollectAsks(c.rule, asks, simple);
  const Params form = FormValues(r);
  const CheckView view{cs, screening_->concepts(), form, asks, simple};

  HtmlWriter h;
  h << Markup("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(cs.key)}}) << cs.key << Markup("</a> \xE2\x80\xBA Check if I may qualify</nav>\n");
  h << Markup("<h1>Check if I may qualify</h1>\n<p class=\"official\">") << cs.title << Markup("</p>\n");
  if (r.method == "POST" && Param(form, "form") == "note") {
    NoteSection(h, view, *screening_, clock_.Today());
  } else if (r.method == "POST") {
    VerdictSection(h, view, *screening_, clock_.Today());
  }
  CheckForm(h, view);
  NoteForm(h, view);
  h << Markup("<p class=\"note\">This pre-screen reads the trial's criteria by fixed rules. It can be wrong, and only the study team "
              "can enrol you. Criteria about consent or the investigator's judgement are never decided here.</p>\n");
  return Page("Check if I may qualify \xC2\xB7 " + cs.key, h.Take());
}

}  // namespace ts
