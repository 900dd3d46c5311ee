#include "eligibility_commands.h"

#include <iostream>
#include <optional>

#include "api/screening_json.h"
#include "common/binary_io.h"
#include "common/strings.h"
#include "exit_codes.h"
#include "screening_text.h"
#include "service/screening_service.h"

namespace ts {

const char* const kCriteriaHelp = R"(Usage: trialscope criteria ID [--json] [--ungated] [--db PATH]
       trialscope criteria --sample N [--seed S] [--untyped] [--json] [--ungated] [--db PATH]

Prints a study's eligibility criteria, each beside the typed rule it was turned into
(or "not computable" with the reason). The structured age and sex limits come first.
--sample draws N criteria with a typed part at random from the whole database (the same N and
seed give the same sample on the same database; default seed 1), for review against their text.
--untyped draws from every criterion, typed or not (for reviewing what the parser leaves out).
--ungated types every rule form the grammar reads, also those the form gate leaves not computable
(resources/eligibility_form_gate.tsv), for reviewing a form before it is opened. Never what is served.
)";

const char* const kCheckHelp = R"(Usage: trialscope check --patient FILE --study ID [--as-of DATE] [--json] [--ungated] [--db PATH]
       trialscope check --note FILE --study ID [--as-of DATE] [--json] [--ungated] [--db PATH]

Pre-screens one patient for one study. FILE is a FHIR R4 Bundle or a native patient
(docs/PATIENT.md), or with --note a clinical note as plain UTF-8 text: the facts read from it are
listed with their sentence numbers, and each criterion also gets one of the six expert labels
(included / not included / excluded / not excluded / not enough information / not applicable),
how it was reached (stated, presumed: silence read as absence, team, open) and the sentences that
decide it. Nothing about the patient is stored or logged. Every criterion gets true / false / unknown with the evidence used or the
question that would decide it; the study gets one verdict: eligible, not_eligible or
possibly_eligible. --as-of defaults to today. --ungated checks with every rule form typed, as
`criteria --ungated` shows them (for review; the served verdict is the gated one).
)";

const char* const kMatchHelp = R"(Usage: trialscope match --patient FILE [--as-of DATE] [--limit N] [--json] [search filters]
       trialscope match --note FILE [--as-of DATE] [--limit N] [--json] [search filters]

Checks one patient against every study (or those passing the search filters, e.g.
--filter.overallStatus RECRUITING, --near "Tianjin, China", --query.cond "aplastic anemia") and
ranks them: eligible first, then possibly eligible by fewest open questions, then relevance.
--status is short for --filter.overallStatus. --limit caps the list (default 20, max 1000).

       trialscope match --patient FILE --changed-since TOKEN [--as-of DATE] [--json]
Re-screens the patient against only the studies whose status, sites or criteria changed since the change
token (`trialscope changes` and GET /api/v2/changes give tokens), or that are new since: for each, what
changed and the verdict on the version at the token -> the verdict now; then the token to use next time.
)";

namespace {

FormGating GatingOf(const CliArgs& args) {
  return args.Has("--ungated") ? FormGating::kNone : FormGating::kReviewed;
}

Result<PartialDate> AsOf(const CliArgs& args, const Clock& clock) {
  if (!args.Has("--as-of")) return clock.Today();
  auto d = PartialDate::Parse(args.Get("--as-of"));
  if (!d.ok() || d->day == 0) return Status::InvalidArgument("--as-of must be a date YYYY-MM-DD");
  return d;
}

Result<NoteReading> LoadNote(const CliArgs& args, const ScreeningService& scr, PartialDate as_of) {
  std::string path = args.Get("--note");
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto reading = scr.ReadNote(*text, as_of);
  if (!reading.ok()) return Status::InvalidArgument(path + ": " + reading.status().message());
  return reading;
}

Result<Patient> LoadPatient(const CliArgs& args, const ConceptTable& concepts) {
  if (args.Has("--patient") && args.Has("--note")) return Status::InvalidArgument("give --patient FILE or --note FILE, not both");
  if (!args.Has("--patient")) return Status::InvalidArgument("--patient FILE (or --note FILE) is required");
  std::string path = args.Get("--patient");
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParsePatientJson(*text, concepts, path);
}

}  // namespace

int RunCriteria(const CliArgs& args, const SearchService& search) {
  if (args.Has("--sample")) {
    int64_t n = 0, seed = 1;
    if (!args.positional.empty() || !ParseInt64(args.Get("--sample"), &n) || n < 1 || n > 100000 ||
        (args.Has("--seed") && !ParseInt64(args.Get("--seed"), &seed))) {
      std::cerr << "trialscope criteria: --sample takes a count 1..100000 (and --seed an integer), no study ID\n";
      return kExitUsage;
    }
    auto scr = ScreeningService::Build(search, GatingOf(args));
    if (!scr.ok()) return Fail(scr.status(), "criteria");
    auto sample = (*scr)->Sample(static_cast<size_t>(n), static_cast<uint64_t>(seed), !args.Has("--untyped"));
    std::cout << (args.Has("--json") ? SampleJson(sample, (*scr)->concepts(), true) + "\n" : SampleText(sample, (*scr)->concepts()));
    return kExitOk;
  }
  if (args.positional.size() != 1) {
    std::cerr << "trialscope criteria: give one study ID\n";
    return kExitUsage;
  }
  auto scr = ScreeningService::Build(search, GatingOf(args));
  if (!scr.ok()) return Fail(scr.status(), "criteria");
  auto study = (*scr)->Criteria(args.positional[0]);
  if (!study.ok()) return Fail(study.status(), "criteria");
  std::cout << (args.Has("--json") ? CriteriaJson(**study, (*scr)->concepts(), true) + "\n" : CriteriaText(**study, (*scr)->concepts()));
  return kExitOk;
}

int RunCheck(const CliArgs& args, const SearchService& search, const Clock& clock) {
  if (!args.Has("--study")) {
    std::cerr << "trialscope check: --study ID is required\n";
    return kExitUsage;
  }
  auto as_of = AsOf(args, clock);
  if (!as_of.ok()) return Fail(as_of.status(), "check");
  auto scr = ScreeningService::Build(search, GatingOf(args));
  if (!scr.ok()) return Fail(scr.status(), "check");
  if (args.Has("--note") && !args.Has("--patient")) {
    auto reading = LoadNote(args, **scr, *as_of);
    if (!reading.ok()) return Fail(reading.status(), "check");
    auto r = (*scr)->CheckNote(args.Get("--study"), *reading, *as_of);
    if (!r.ok()) return Fail(r.status(), "check");
    std::cout << (args.Has("--json") ? NoteCheckJson(*r, *reading, (*scr)->concepts(), true) + "\n"
                                     : NoteCheckText(*r, *reading, (*scr)->concepts()));
    return kExitOk;
  }
  auto patient = LoadPatient(args, (*scr)->concepts());
  if (!patient.ok()) return Fail(patient.status(), "check");
  auto r = (*scr)->Check(args.Get("--study"), *patient, *as_of);
  if (!r.ok()) return Fail(r.status(), "check");
  std::cout << (args.Has("--json") ? CheckJson(*r, (*scr)->concepts(), true) + "\n" : CheckText(*r, (*scr)->concepts()));
  return kExitOk;
}

int RunMatch(const CliArgs& args, const SearchService& search, const Clock& clock) {
  auto as_of = AsOf(args, clock);
  if (!as_of.ok()) return Fail(as_of.status(), "match");
  int64_t limit = 20;
  if (args.Has("--limit") && (!ParseInt64(args.Get("--limit"), &limit) || limit < 1 || limit > 1000)) {
    std::cerr << "trialscope match: --limit must be 1..1000\n";
    return kExitUsage;
  }
  Params params;
  for (const auto& [name, value] : args.values) {
    if (name == "--db" || name == "--patient" || name == "--note" || name == "--as-of" || name == "--limit") continue;
    params.emplace_back(name == "--status" ? "filter.overallStatus" : name.substr(2), value);
  }
  auto req = ParseSearchParams(params);
  if (!req.ok()) return Fail(req.status(), "match");
  auto scr = ScreeningService::Build(search);
  if (!scr.ok()) return Fail(scr.status(), "match");
  std::optional<NoteReading> reading;
  Result<Patient> patient = Status::InvalidArgument("");
  if (args.Has("--note") && !args.Has("--patient")) {
    auto r = LoadNote(args, **scr, *as_of);
    if (!r.ok()) return Fail(r.status(), "match");
    reading = std::move(*r);
    patient = reading->patient;
  } else {
    patient = LoadPatient(args, (*scr)->concepts());
  }
  if (!patient.ok()) return Fail(patient.status(), "match");
  auto m = (*scr)->Match(*patient, *as_of, *req, !params.empty(), static_cast<size_t>(limit));
  if (!m.ok()) return Fail(m.status(), "match");
  if (args.Has("--json")) {
    std::cout << (reading ? NoteMatchJson(*m, *reading, (*scr)->concepts(), true) : MatchJson(*m, *patient, (*scr)->concepts(), true))
              << "\n";
    return kExitOk;
  }
  if (reading) std::cout << NoteFactsText(*reading) << "\n";
  std::cout << m->considered << " studies checked as of " << m->as_of.ToString() << ": " << m->eligible << " eligible, "
            << m->possibly << " possibly eligible, " << m->not_eligible << " not eligible\n";
  for (const MatchHit& h : m->hits) {
    std::cout << "  " << VerdictName(h.verdict) << "  " << h.study->key << "  " << h.study->title.substr(0, 70);
    if (h.verdict == Verdict::kPossiblyEligible) std::cout << "  (" << h.open_questions << " open)";
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace ts
