// UCUM-style units for the quantities eligibility criteria compare: cell counts, concentrations,
// enzyme activities, ratios, intervals, flows, durations.
//   std::optional<Unit> u = ParseUnit("×10^9/L");        // u->code == "10*9/L"
//   Result<double> v = ConvertUnit(150, "10*3/uL", "10*9/L", 0);   // 150
//   Result<double> c = ConvertUnit(1.2, "mg/dL", "umol/L", 113.12); // creatinine: 106.1
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

enum class Dimension {
  kCountPerVolume,  // cells per volume; canonical 10*9/L
  kMassPerVolume,   // canonical g/L
  kMolPerVolume,    // canonical umol/L
  kActivity,        // enzyme activity per volume; canonical U/L
  kFraction,        // canonical %
  kInterval,        // canonical ms
  kFlow,            // canonical mL/min
  kFlowPerArea,     // canonical mL/min/{1.73_m2}
  kMass,            // canonical kg
  kMassPerArea,     // canonical kg/m2
  kDuration,        // canonical d
  kRatio,           // dimensionless (INR)
  kLength,          // body height; canonical cm
};

struct Unit {
  std::string code;       // UCUM code as printed in rules: "10*9/L", "g/dL", "umol/L", "%"
  Dimension dimension;
  double to_canonical;    // value_in_canonical = value * to_canonical
};

// Recognises the spellings real criteria use ("x10^9/L", "×10⁹/L", "× 109/L", "G/L", "/mm3", "mg/dl",
// "µmol/L", "ml/min/1.73m²", "msec", "months", ...). Returns nullopt for anything else.
std::optional<Unit> ParseUnit(std::string_view text);

// The unit for a UCUM code this module prints; nullopt for an unknown code.
std::optional<Unit> UnitForCode(std::string_view code);

// Converts `value` from one unit code to another. Mass and molar concentrations convert through
// `molar_mass_g_per_mol` (0 means the analyte has none, and the conversion fails). Units of different
// dimensions never convert: InvalidArgument names both units.
Result<double> ConvertUnit(double value, std::string_view from_code, std::string_view to_code,
                           double molar_mass_g_per_mol);

// A duration as criteria state it: "1 month", "12 weeks", "28 days". Stored as value + UCUM code.
struct Duration {
  double value = 0;
  std::string unit = "d";  // d, wk, mo, a, h
  double Days() const;
  std::string ToString() const;  // "1 mo", "12 wk"
  bool operator==(const Duration&) const = default;
};

// "day(s)", "week(s)", "month(s)", "year(s)", "hour(s)", "d", "wk", "mo", "yr"; nullopt otherwise.
std::optional<std::string> ParseDurationUnit(std::string_view word);

// Prints a number without trailing zeros: 30 -> "30", 1.5 -> "1.5", 0.25 -> "0.25".
std::string FormatNumber(double v);

}  // namespace ts
