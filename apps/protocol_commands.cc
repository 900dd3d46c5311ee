#include "protocol_commands.h"

#include <algorithm>
#include <iostream>

#include "common/binary_io.h"
#include "common/strings.h"
#include "exit_codes.h"
#include "protocol/cohort.h"
#include "protocol/protocol_file.h"
#include "protocol/protocol_json.h"
#include "protocol/timeline.h"

namespace ts {

const char* const kProtocolHelp = R"(Usage: trialscope protocol ID [--json] [--db PATH]

Prints the study's computable protocol: each arm's agents with dose, route and schedule (caps, maximum number of
doses, conditional doses), the stop / hold / rescue rules, evaluation points, endpoints and randomisation, each beside
the sentence it was read from (record field, or a protocol file under resources/protocols/, docs/PROTOCOL.md).
A value the record states two ways is listed as a CONFLICT and no dose is computed from it. Sentences the reader
could not read (or read only in part) are listed with the reason.
  --json   the same as JSON (docs/PROTOCOL.md)
)";

const char* const kTimelineHelp = R"(Usage: trialscope timeline --study ID --arm LABEL --start DATE --patient FILE [--days N] [--json] [--db PATH]

Applies the study's protocol to one subject from DATE (day 1): the dose calendar (date, day, agent, amount and unit,
whether a cap or rounding applied), the rule events (stop, hold, rescue, dose change, evaluation) with the rule and
the lab value that fired each, and every endpoint's verdict (met / not met / unknown) with the date or the reason.
FILE is a FHIR R4 Bundle or a native patient (docs/PATIENT.md): body weight (LOINC 29463-7, code "weight"), height
(LOINC 8302-2, "height") for doses per m2, and the lab series. A missing weight or lab gives an unknown dose naming
the missing fact. --days sets the number of days (default: the schedule's end, else the last lab; at most 730).
Errors (exit 2): an unknown arm, a weight outside 1-400 kg, a lab in a unit that cannot be converted.
  --json   {"doses": [...], "events": [...], "endpoints": [...], "warnings": [...]}
)";

const char* const kRandomiseHelp = R"(Usage: trialscope randomise (--study ID | --arms A,B --ratio 1:1) --blocks 4,6 --per-stratum N
                            [--strata S1,S2] [--seed S] [--json] [--db PATH]

Seeded, auditable permuted-block randomisation: in each stratum, blocks of a size drawn from --blocks (each a
multiple of the ratio's sum) are filled with the arms in the ratio and shuffled (64-bit Mersenne Twister, seed
--seed, default 1: the same arguments give the same list). Prints the allocation list (sequence, stratum, block,
block size, arm), the counts per stratum and arm, and a check that every completed block holds the ratio.
--study takes the arms and the ratio from the study's protocol (trialscope protocol ID).
)";

const char* const kCohortHelp = R"(Usage: trialscope cohort --study ID --subjects FILE [--json] [--db PATH]

Per-arm endpoint rates over many subjects. FILE has one JSON object a line: {"id", "arm", "start": "YYYY-MM-DD",
"patient": {...}} (native or FHIR patient, docs/PATIENT.md). Each subject's timeline is built; per arm and endpoint
the count met of those with a known verdict, with the exact (Clopper-Pearson) 95% interval. Unknown verdicts are
counted apart. An unknown arm or an impossible weight is an error naming the subject.
)";

namespace {

std::vector<std::string> List(const std::string& s) {
  std::vector<std::string> out;
  for (std::string_view p : Split(s, ','))
    if (!Trim(p).empty()) out.emplace_back(Trim(p));
  return out;
}

bool Ints(const std::string& s, char sep, std::vector<int>* out) {
  for (std::string_view p : Split(s, sep)) {
    int64_t v = 0;
    if (!ParseInt64(Trim(p), &v) || v < 1 || v > 1000) return false;
    out->push_back(static_cast<int>(v));
  }
  return !out->empty();
}

struct Loaded {
  ProtocolLexicon lex;
  ConceptTable concepts;
  Protocol protocol;
};

Result<Loaded> LoadProtocol(StudyStore& store, const std::string& id) {
  auto s = store.Get(id);
  if (!s.ok()) return s.status();
  auto lex = ProtocolLexicon::Builtin();
  if (!lex.ok()) return lex.status();
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) return concepts.status();
  auto p = BuildProtocol(s->study, *lex, *concepts, BuiltinProtocolFiles());
  if (!p.ok()) return p.status();
  return Loaded{std::move(*lex), std::move(*concepts), std::move(*p)};
}

}  // namespace

int RunProtocol(const CliArgs& args, StudyStore& store) {
  if (args.positional.size() != 1) {
    std::cerr << "trialscope protocol: give one study ID\n";
    return kExitUsage;
  }
  auto p = LoadProtocol(store, args.positional[0]);
  if (!p.ok()) return Fail(p.status(), "protocol");
  std::cout << (args.Has("--json") ? ProtocolJson(p->protocol, true) + "\n" : p->protocol.ToString());
  return kExitOk;
}

int RunTimeline(const CliArgs& args, StudyStore& store) {
  for (const char* need : {"--study", "--arm", "--start", "--patient"}) {
    if (!args.Has(need)) {
      std::cerr << "trialscope timeline: " << need << " is required\n";
      return kExitUsage;
    }
  }
  TimelineRequest req;
  req.arm = args.Get("--arm");
  auto start = PartialDate::Parse(args.Get("--start"));
  if (!start.ok() || start->day == 0) {
    std::cerr << "trialscope timeline: --start must be a date YYYY-MM-DD\n";
    return kExitUsage;
  }
  req.start = *start;
  if (args.Has("--days")) {
    int64_t days = 0;
    if (!ParseInt64(args.Get("--days"), &days) || days < 1 || days > kMaxTimelineDays) {
      std::cerr << "trialscope timeline: --days must be 1.." << kMaxTimelineDays << "\n";
      return kExitUsage;
    }
    req.horizon_days = static_cast<int>(days);
  }
  auto p = LoadProtocol(store, args.Get("--study"));
  if (!p.ok()) return Fail(p.status(), "timeline");
  std::string path = args.Get("--patient");
  auto text = ReadWholeFile(path);
  if (!text.ok()) return Fail(text.status(), "timeline");
  auto patient = ParsePatientJson(*text, p->concepts, path);
  if (!patient.ok()) return Fail(patient.status(), "timeline");
  auto t = BuildTimeline(p->protocol, *patient, req, p->lex);
  if (!t.ok()) return Fail(t.status(), "timeline");
  std::cout << (args.Has("--json") ? TimelineJson(*t, true) + "\n" : t->ToString());
  return kExitOk;
}

int RunRandomise(const CliArgs& args, StudyStore& store) {
  RandomisationPlan plan;
  if (args.Has("--study")) {
    auto p = LoadProtocol(store, args.Get("--study"));
    if (!p.ok()) return Fail(p.status(), "randomise");
    for (const Arm& a : p->protocol.arms) plan.arms.push_back(a.label);
    plan.ratio = p->protocol.design.ratio;
    if (plan.ratio.empty()) {
      std::cerr << "trialscope randomise: the protocol of " << args.Get("--study") << " states no ratio; give --arms and --ratio\n";
      return kExitUsage;
    }
  } else {
    plan.arms = List(args.Get("--arms", ""));
    if (!Ints(args.Get("--ratio", ""), ':', &plan.ratio)) {
      std::cerr << "trialscope randomise: --ratio must be like 1:1 or 2:1 (with --arms A,B), or give --study ID\n";
      return kExitUsage;
    }
  }
  int64_t n = 0, seed = 1;
  if (!Ints(args.Get("--blocks", ""), ',', &plan.block_sizes) || !ParseInt64(args.Get("--per-stratum", ""), &n) ||
      (args.Has("--seed") && (!ParseInt64(args.Get("--seed"), &seed) || seed < 0))) {
    std::cerr << "trialscope randomise: --blocks 4,6 and --per-stratum N are required (--seed a whole number)\n";
    return kExitUsage;
  }
  plan.per_stratum = static_cast<int>(std::clamp<int64_t>(n, 0, 1000000));
  plan.seed = static_cast<uint64_t>(seed);
  plan.strata = List(args.Get("--strata", ""));
  auto a = Randomise(plan);
  if (!a.ok()) return Fail(a.status(), "randomise");
  std::cout << (args.Has("--json") ? AllocationJson(*a, plan, true) + "\n" : a->ToString(plan));
  return a->ratio_holds ? kExitOk : kExitFailure;
}

int RunCohort(const CliArgs& args, StudyStore& store) {
  if (!args.Has("--study") || !args.Has("--subjects")) {
    std::cerr << "trialscope cohort: --study ID and --subjects FILE are required\n";
    return kExitUsage;
  }
  auto p = LoadProtocol(store, args.Get("--study"));
  if (!p.ok()) return Fail(p.status(), "cohort");
  std::string path = args.Get("--subjects");
  auto text = ReadWholeFile(path);
  if (!text.ok()) return Fail(text.status(), "cohort");
  auto subjects = ReadCohort(*text, p->concepts, path);
  if (!subjects.ok()) return Fail(subjects.status(), "cohort");
  auto rates = CohortRates(p->protocol, *subjects, p->lex);
  if (!rates.ok()) return Fail(rates.status(), "cohort");
  std::cout << (args.Has("--json") ? CohortRatesJson(*rates, true) + "\n" : CohortRatesText(*rates));
  return kExitOk;
}

}  // namespace ts
