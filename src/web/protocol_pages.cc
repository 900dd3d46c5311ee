// The protocol pages of a trial, linked from its "What happens in this trial" section:
//   /study/{id}/timeline  follow one patient through an arm: a form (arm, start, weight, height, lab results,
//                         events), then the dose calendar, the rule events and the endpoints;
//   /study/{id}/cohort    endpoint rates of many subjects (a cohort file pasted in), and a seeded permuted-block
//                         randomisation list with the study's arms and ratio.
// Forms are posted, read once and not stored; every value shown is HTML-escaped.
#include <algorithm>

#include <cmath>
#include <tuple>

#include "common/json_writer.h"
#include "common/strings.h"
#include "eligibility/units.h"
#include "web/site.h"

namespace ts {

namespace {

using web::FormValues;
using web::Param;

constexpr size_t kMaxFormLines = 500;
constexpr int64_t kMaxPageAllocations = 2000;  // the page shows the list; the API and CLI go to 100,000

// "2026-01-05 platelets 20 10*9/L" lines to native patient labs; "2026-01-08 bleeding risk" lines to events. The
// patient JSON is then read by ParsePatientJson, which checks codes and units. An error names the box and line.
Result<std::string> PatientJsonFromForm(const Params& form, const std::string& start) {
  JsonWriter w(false);
  w.BeginObject();
  w.Key("id");
  w.String("form");
  w.Key("labs");
  w.BeginArray();
  for (const auto& [field, code, unit] : {std::tuple{"weight", "weight", "kg"}, std::tuple{"height", "LOINC:8302-2", "cm"}}) {
    std::string v = Param(form, field);
    if (v.empty()) continue;
    double d = 0;
    if (!ParseDouble(v, &d)) return Status::InvalidArgument(std::string(field) + ": \"" + v.substr(0, 40) + "\" is not a number");
    w.BeginObject();
    w.Key("code"); w.String(code);
    w.Key("value"); w.Double(d);
    w.Key("unit"); w.String(unit);
    w.Key("date"); w.String(start);
    w.EndObject();
  }
  size_t n = 0;
  const std::string labs = Param(form, "labs"), events = Param(form, "events");  // Split returns views into these
  for (std::string_view line : Split(labs, '\n')) {
    ++n;
    std::vector<std::string_view> f;
    for (std::string_view t : Split(Trim(line), ' '))
      if (!Trim(t).empty()) f.push_back(Trim(t));
    if (f.empty()) continue;
    if (n > kMaxFormLines) return Status::InvalidArgument("lab results: at most " + std::to_string(kMaxFormLines) + " lines");
    double v = 0;
    if (f.size() < 3 || f.size() > 4 || !PartialDate::Parse(f[0]).ok() || !ParseDouble(f[2], &v)) {
      return Status::InvalidArgument("lab results, line " + std::to_string(n) + ": expected DATE TEST VALUE UNIT, e.g. "
                                     "\"2026-01-05 platelets 20 10*9/L\"; got \"" + std::string(Trim(line).substr(0, 60)) + "\"");
    }
    w.BeginObject();
    w.Key("code"); w.String(f[1]);
    w.Key("value"); w.Double(v);
    if (f.size() == 4) { w.Key("unit"); w.String(f[3]); }
    w.Key("date"); w.String(f[0]);
    w.EndObject();
  }
  w.EndArray();
  w.Key("conditions");
  w.BeginArray();
  n = 0;
  for (std::string_view line : Split(events, '\n')) {
    ++n;
    std::string_view t = Trim(line);
    if (t.empty()) continue;
    if (n > kMaxFormLines) return Status::InvalidArgument("events: at most " + std::to_string(kMaxFormLines) + " lines");
    size_t sp = t.find(' ');
    if (sp == std::string_view::npos || !PartialDate::Parse(t.substr(0, sp)).ok() || Trim(t.substr(sp)).empty()) {
      return Status::InvalidArgument("events, line " + std::to_string(n) + ": expected DATE EVENT, e.g. \"2026-01-08 bleeding risk\"; got \"" +
                                     std::string(t.substr(0, 60)) + "\"");
    }
    w.BeginObject();
    w.Key("text"); w.String(Trim(t.substr(sp)));
    w.Key("status"); w.String("active");
    w.Key("onset"); w.String(t.substr(0, sp));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

void Crumbs(HtmlWriter& h, const std::string& key, std::string_view here) {
  h << Markup("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(key)}}) << key << Markup("</a> \xE2\x80\xBA ") << here << Markup("</nav>\n");
}

void TextInput(HtmlWriter& h, std::string_view id, std::string_view label, std::string_view type, const std::string& value,
               std::string_view hint = "") {
  h.Open(Markup("label"), {{"for", id}}) << label << Markup("</label> ");
  h.Open(Markup("input"), {{"id", id}, {"name", id.substr(2)}, {"type", type}, {"value", value}, {"step", "any"}});
  if (!hint.empty()) h << Markup(" <small>") << hint << Markup("</small>");
  h << Markup("<br>\n");
}

void TextArea(HtmlWriter& h, std::string_view id, std::string_view label, const std::string& value, std::string_view placeholder,
              std::string_view rows = "6") {
  h.Open(Markup("label"), {{"for", id}}) << label << Markup("</label><br>\n");
  h.Open(Markup("textarea"), {{"id", id}, {"name", id.substr(2)}, {"rows", rows}, {"cols", "70"}, {"placeholder", placeholder}})
      << value << Markup("</textarea><br>\n");
}

std::string Amount(const DoseEntry& d) {
  if (!d.amount) return "unknown";
  std::string a = FormatNumber(*d.amount);
  if (d.amount_high && *d.amount_high != *d.amount) a += "\xE2\x80\x93" + FormatNumber(*d.amount_high);
  return a + " " + d.unit;
}

void TimelineResult(HtmlWriter& h, const Timeline& t) {
  h << Markup("<section aria-labelledby=\"t-result\"><h2 id=\"t-result\">Timeline</h2>\n<p>Arm ") << t.arm << Markup(", from ")
    << t.start.ToString() << Markup(" (") << std::to_string(t.days) << Markup(" days).</p>\n");
  for (const std::string& warn : t.warnings) h << Markup("<p class=\"warn\">") << warn << Markup("</p>\n");
  h << Markup("<h3>Endpoints</h3>\n<ul class=\"endpoints\">");
  for (const EndpointVerdict& e : t.endpoints) {
    h << Markup("<li><strong>") << e.name << Markup(":</strong> ")
      << std::string(e.met == Truth::kTrue ? "met on " + e.date.ToString() : e.met == Truth::kFalse ? "not met" : "unknown")
      << Markup(" <small>") << e.reason << Markup("</small></li>");
  }
  h << Markup("</ul>\n<h3>Rule events</h3>\n");
  if (t.events.empty()) h << Markup("<p class=\"muted\">No stop, hold, rescue, dose-change or evaluation rule fired.</p>\n");
  else h << Markup("<ul class=\"events\">");
  for (const RuleEvent& e : t.events) {
    h << Markup("<li>") << e.date.ToString() << Markup(" (day ") << std::to_string(e.day) << Markup(") <strong>")
      << std::string(RuleActionName(e.kind)) << Markup("</strong>: ") << e.rule << Markup(" <small>") << e.reason << Markup("</small></li>");
  }
  if (!t.events.empty()) h << Markup("</ul>\n");
  h << Markup("<h3>Doses</h3>\n");
  if (t.doses.empty()) {
    h << Markup("<p class=\"muted\">No doses in this arm's schedule.</p>\n</section>\n");
    return;
  }
  h << Markup("<table class=\"doses\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Day</th><th scope=\"col\">Agent</th>"
              "<th scope=\"col\">Amount</th><th scope=\"col\">How</th></tr></thead><tbody>\n");
  for (const DoseEntry& d : t.doses) {
    h << Markup("<tr><td>") << d.date.ToString() << Markup("</td><td>") << std::to_string(d.day) << Markup("</td><td>") << d.agent
      << Markup("</td><td>") << Amount(d) << std::string(d.capped ? " (capped)" : "") << std::string(d.rounded ? " (rounded)" : "")
      << Markup("</td><td><small>") << d.note << Markup("</small></td></tr>\n");
  }
  h << Markup("</tbody></table>\n</section>\n");
}

}  // namespace

HttpResponse WebSite::TimelinePage(const std::string& id, const HttpRequest& r) const {
  if (protocols_ == nullptr) return NotFoundPage("the protocol pages (not enabled on this server)");
  auto p = protocols_->ProtocolOf(id);
  if (!p.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const Params form = FormValues(r);
  HtmlWriter h;
  Crumbs(h, p->study_key, "Follow a patient through this trial");
  h << Markup("<h1>Follow a patient through this trial</h1>\n<p>Give an arm, a start date and the patient's results: the "
              "doses each day, the stop, hold and rescue rules that fire, and whether each endpoint is met. Nothing is stored.</p>\n");
  std::vector<const Arm*> arms;
  for (const Arm& a : p->arms)
    if (!a.agents.empty()) arms.push_back(&a);
  if (arms.empty()) {
    h << Markup("<p class=\"muted\">The record does not describe the treatment in words trialscope can read.</p>\n");
    return Page("Follow a patient \xC2\xB7 " + p->study_key, h.Take());
  }
  if (r.method == "POST") {
    TimelineRequest req;
    req.arm = Param(form, "arm");
    auto start = PartialDate::Parse(Param(form, "start"));
    Status problem = Status::Ok();
    if (!start.ok() || start->day == 0) problem = Status::InvalidArgument("start: a date like 2026-01-05 is required");
    Result<std::string> patient_json = problem.ok() ? PatientJsonFromForm(form, Param(form, "start")) : Result<std::string>(problem);
    Result<Timeline> t = [&]() -> Result<Timeline> {
      if (!patient_json.ok()) return patient_json.status();
      req.start = *start;
      auto patient = ParsePatientJson(*patient_json, protocols_->concepts(), "the form");
      if (!patient.ok()) return patient.status();
      return protocols_->TimelineOf(id, *patient, req);
    }();
    if (t.ok()) TimelineResult(h, *t);
    else h << Markup("<p class=\"warn\" role=\"alert\">") << t.status().message() << Markup("</p>\n");
  }
  h << Markup("<form class=\"check timeline\" method=\"post\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"timeline\">\n");
  h << Markup("<label for=\"f-arm\">Arm</label> <select id=\"f-arm\" name=\"arm\">");
  for (const Arm* a : arms) {
    if (Param(form, "arm") == a->label) h.Open(Markup("option"), {{"value", a->label}, {"selected", "selected"}});
    else h.Open(Markup("option"), {{"value", a->label}});
    h << a->label << Markup("</option>");
  }
  h << Markup("</select><br>\n");
  TextInput(h, "f-start", "First day of treatment", "date", Param(form, "start"));
  TextInput(h, "f-weight", "Body weight (kg)", "number", Param(form, "weight"), "for doses per kg");
  TextInput(h, "f-height", "Height (cm)", "number", Param(form, "height"), "for doses per m\xC2\xB2");
  TextArea(h, "f-labs", "Lab results, one a line: date, test, value, unit", Param(form, "labs"),
           "2026-01-05 platelets 20 10*9/L\n2026-01-11 platelets 72 10*9/L");
  TextArea(h, "f-events", "Events, one a line: date and event", Param(form, "events"), "2026-01-08 bleeding risk", "3");
  h << Markup("<p><button type=\"submit\" class=\"primary\">Show the timeline</button></p>\n</form>\n"
              "<p class=\"note\">The protocol is read from the registry record by fixed rules. It can be wrong: the study's "
              "own protocol and team decide every dose.</p>\n");
  h << Markup("<p>Many subjects at once: ");
  h.Open(Markup("a"), {{"href", "/study/" + UrlEncode(p->study_key) + "/cohort"}}) << Markup("endpoint rates and randomisation</a>.</p>\n");
  return Page("Follow a patient \xC2\xB7 " + p->study_key, h.Take());
}

HttpResponse WebSite::CohortPage(const std::string& id, const HttpRequest& r) const {
  if (protocols_ == nullptr) return NotFoundPage("the protocol pages (not enabled on this server)");
  auto p = protocols_->ProtocolOf(id);
  if (!p.ok()) return NotFoundPage("a trial with ID \"" + id.substr(0, 80) + "\"");
  const Params form = FormValues(r);
  HtmlWriter h;
  Crumbs(h, p->study_key, "Cohort and randomisation");
  h << Markup("<h1>Cohort and randomisation</h1>\n");
  h << Markup("<section aria-labelledby=\"c-rates\"><h2 id=\"c-rates\">Endpoint rates</h2>\n");
  if (r.method == "POST" && Param(form, "form") == "cohort") {
    auto rates = protocols_->CohortOf(id, Param(form, "subjects"), "the subjects box");
    if (!rates.ok()) {
      h << Markup("<p class=\"warn\" role=\"alert\">") << rates.status().message() << Markup("</p>\n");
    } else {
      h << Markup("<table class=\"rates\"><thead><tr><th scope=\"col\">Arm</th><th scope=\"col\">Endpoint</th><th scope=\"col\">Met</th>"
                  "<th scope=\"col\">Not met</th><th scope=\"col\">Unknown</th><th scope=\"col\">Rate (exact 95% interval)</th></tr></thead><tbody>\n");
      for (const EndpointRate& e : *rates) {
        std::string rate = "\xE2\x80\x94";
        if (e.ci) {
          rate = FormatNumber(std::round(1000.0 * static_cast<double>(e.met) / static_cast<double>(e.met + e.not_met)) / 10) + "% (" +
                 FormatNumber(std::round(e.ci->low * 1000) / 10) + "\xE2\x80\x93" + FormatNumber(std::round(e.ci->high * 1000) / 10) + "%)";
        }
        h << Markup("<tr><td>") << e.arm << Markup("</td><td>") << e.endpoint << Markup("</td><td>") << std::to_string(e.met)
          << Markup("</td><td>") << std::to_string(e.not_met) << Markup("</td><td>") << std::to_string(e.unknown) << Markup("</td><td>")
          << rate << Markup("</td></tr>\n");
      }
      h << Markup("</tbody></table>\n<p class=\"note\">Unknown verdicts (a missing lab, say) are counted apart, never as met or not met.</p>\n");
    }
  }
  h << Markup("<form class=\"check cohort\" method=\"post\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"cohort\">\n");
  TextArea(h, "f-subjects", "Subjects, one JSON object a line (docs/PROTOCOL.md: id, arm, start, patient)", Param(form, "subjects"),
           "{\"id\": \"s1\", \"arm\": \"Experimental arm\", \"start\": \"2026-01-05\", \"patient\": {\"labs\": []}}", "8");
  h << Markup("<p><button type=\"submit\" class=\"primary\">Compute the rates</button></p>\n</form>\n</section>\n");

  h << Markup("<section aria-labelledby=\"c-rand\"><h2 id=\"c-rand\">Randomisation list</h2>\n");
  if (p->design.ratio.empty()) {
    h << Markup("<p class=\"muted\">The record states no randomisation ratio.</p>\n</section>\n");
    return Page("Cohort and randomisation \xC2\xB7 " + p->study_key, h.Take());
  }
  if (Param(form, "form") == "randomise") {
    RandomisationPlan plan;
    Status problem = Status::Ok();
    int64_t n = 0, seed = 1;
    const std::string blocks = Param(form, "blocks"), strata = Param(form, "strata");  // Split returns views into these
    for (std::string_view b : Split(blocks, ',')) {
      int64_t v = 0;
      if (!ParseInt64(Trim(b), &v) || v < 1 || v > 1000 || plan.block_sizes.size() == 8) problem = Status::InvalidArgument("block sizes: up to 8 whole numbers, e.g. 4,6");
      else plan.block_sizes.push_back(static_cast<int>(v));
    }
    for (std::string_view s : Split(strata, ','))
      if (!Trim(s).empty()) plan.strata.emplace_back(Trim(s).substr(0, 100));
    if (!ParseInt64(Param(form, "per_stratum"), &n) || n < 1 || n * std::max<int64_t>(1, static_cast<int64_t>(plan.strata.size())) > kMaxPageAllocations) {
      problem = Status::InvalidArgument("subjects per stratum: a whole number, at most " + std::to_string(kMaxPageAllocations) +
                                        " over all strata on this page (the API goes further)");
    }
    if (!Param(form, "seed").empty() && (!ParseInt64(Param(form, "seed"), &seed) || seed < 0)) problem = Status::InvalidArgument("seed: a whole number");
    plan.per_stratum = static_cast<int>(n);
    plan.seed = static_cast<uint64_t>(seed);
    Result<BlockAllocation> a = problem.ok() ? protocols_->RandomisationOf(id, &plan) : Result<BlockAllocation>(problem);
    if (!a.ok()) {
      h << Markup("<p class=\"warn\" role=\"alert\">") << a.status().message() << Markup("</p>\n");
    } else {
      h << Markup("<p>Seed ") << std::to_string(plan.seed) << Markup(": the same seed and settings always give this list. ")
        << std::string(a->ratio_holds ? "Every completed block holds the ratio." : "A completed block does NOT hold the ratio.") << Markup("</p>\n");
      h << Markup("<table class=\"allocation\"><thead><tr><th scope=\"col\">Stratum</th><th scope=\"col\">Sequence</th><th scope=\"col\">Block</th>"
                  "<th scope=\"col\">Block size</th><th scope=\"col\">Arm</th></tr></thead><tbody>\n");
      for (const AllocationRow& row : a->list) {
        h << Markup("<tr><td>") << row.stratum << Markup("</td><td>") << std::to_string(row.sequence) << Markup("</td><td>")
          << std::to_string(row.block) << Markup("</td><td>") << std::to_string(row.block_size) << Markup("</td><td>") << row.arm
          << Markup("</td></tr>\n");
      }
      h << Markup("</tbody></table>\n");
    }
  }
  std::vector<std::string> ratio;
  for (int x : p->design.ratio) ratio.push_back(std::to_string(x));
  h << Markup("<p>Arms and ratio from the record: ") << Join(ratio, ":") << Markup(".</p>\n");
  h << Markup("<form class=\"check randomise\" method=\"get\" action=\"\">\n<input type=\"hidden\" name=\"form\" value=\"randomise\">\n");
  TextInput(h, "f-blocks", "Block sizes", "text", Param(form, "blocks").empty() ? "4,6" : Param(form, "blocks"), "each a multiple of the ratio's sum");
  TextInput(h, "f-per_stratum", "Subjects per stratum", "number", Param(form, "per_stratum"));
  TextInput(h, "f-strata", "Strata (optional)", "text", Param(form, "strata"), "comma-separated, e.g. site 1,site 2");
  TextInput(h, "f-seed", "Seed", "number", Param(form, "seed").empty() ? "1" : Param(form, "seed"));
  h << Markup("<p><button type=\"submit\" class=\"primary\">Make the list</button></p>\n</form>\n</section>\n");
  return Page("Cohort and randomisation \xC2\xB7 " + p->study_key, h.Take());
}

}  // namespace ts
