#include "protocol_commands.h"

#include <iostream>

#include "common/binary_io.h"
#include "common/strings.h"
#include "exit_codes.h"
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

namespace {

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

}  // namespace ts
