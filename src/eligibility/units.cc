#include "eligibility/units.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "common/ascii.h"
#include "common/strings.h"
#include "model/age.h"

namespace ts {
namespace {

struct UnitDef {
  const char* code;
  Dimension dimension;
  double to_canonical;
};

// Every unit a rule can carry, with its factor to the dimension's canonical unit.
constexpr std::array kUnits = {
    UnitDef{"10*9/L", Dimension::kCountPerVolume, 1.0},
    UnitDef{"10*3/uL", Dimension::kCountPerVolume, 1.0},
    UnitDef{"10*12/L", Dimension::kCountPerVolume, 1000.0},
    UnitDef{"/uL", Dimension::kCountPerVolume, 0.001},
    UnitDef{"g/L", Dimension::kMassPerVolume, 1.0},
    UnitDef{"g/dL", Dimension::kMassPerVolume, 10.0},
    UnitDef{"mg/dL", Dimension::kMassPerVolume, 0.01},
    UnitDef{"mg/L", Dimension::kMassPerVolume, 0.001},
    UnitDef{"ug/mL", Dimension::kMassPerVolume, 0.001},
    UnitDef{"ug/dL", Dimension::kMassPerVolume, 1e-5},
    UnitDef{"ug/L", Dimension::kMassPerVolume, 1e-6},
    UnitDef{"ng/mL", Dimension::kMassPerVolume, 1e-6},
    UnitDef{"pg/mL", Dimension::kMassPerVolume, 1e-9},
    UnitDef{"umol/L", Dimension::kMolPerVolume, 1.0},
    UnitDef{"mmol/L", Dimension::kMolPerVolume, 1000.0},
    UnitDef{"nmol/L", Dimension::kMolPerVolume, 0.001},
    UnitDef{"U/L", Dimension::kActivity, 1.0},
    UnitDef{"%", Dimension::kFraction, 1.0},
    UnitDef{"ms", Dimension::kInterval, 1.0},
    UnitDef{"s", Dimension::kInterval, 1000.0},
    UnitDef{"mL/min", Dimension::kFlow, 1.0},
    UnitDef{"mL/min/{1.73_m2}", Dimension::kFlowPerArea, 1.0},
    UnitDef{"kg", Dimension::kMass, 1.0},
    UnitDef{"cm", Dimension::kLength, 1.0},
    UnitDef{"kg/m2", Dimension::kMassPerArea, 1.0},
    UnitDef{"h", Dimension::kDuration, 1.0 / 24.0},
    UnitDef{"d", Dimension::kDuration, 1.0},
    UnitDef{"wk", Dimension::kDuration, 7.0},
    UnitDef{"mo", Dimension::kDuration, kDaysPerYear / 12.0},
    UnitDef{"a", Dimension::kDuration, kDaysPerYear},
    UnitDef{"{ratio}", Dimension::kRatio, 1.0},
};

Unit ToUnit(const UnitDef& d) { return Unit{d.code, d.dimension, d.to_canonical}; }

// Lower-cases ASCII, folds µ/μ to u, superscripts to digits, × to x, drops spaces and '^'.
std::string Fold(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    auto next_is = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
    if (next_is("µ") || next_is("μ")) { out += 'u'; i += 1; continue; }
    if (next_is("×")) { out += 'x'; i += 1; continue; }
    if (next_is("⁹")) { out += '9'; i += 2; continue; }
    if (next_is("³")) { out += '3'; i += 1; continue; }
    if (next_is("²")) { out += '2'; i += 1; continue; }
    if (next_is("⁶")) { out += '6'; i += 2; continue; }
    if (next_is("¹²")) { out += "12"; i += 3; continue; }
    if (c == ' ' || c == '^' || c == '\\') continue;
    if (c < 0x80) out += static_cast<char>(ascii::Lower(c));
    else out += static_cast<char>(c);
  }
  return out;
}

struct Spelling {
  const char* folded;
  const char* code;
};

constexpr std::array kSpellings = {
    Spelling{"x109/l", "10*9/L"},   Spelling{"x10*9/l", "10*9/L"},  Spelling{"x10e9/l", "10*9/L"},
    Spelling{"109/l", "10*9/L"},    Spelling{"10*9/l", "10*9/L"},   Spelling{"10e9/l", "10*9/L"},
    Spelling{"x109/lt", "10*9/L"},  Spelling{"x103/ul", "10*3/uL"}, Spelling{"103/ul", "10*3/uL"},
    Spelling{"x10*3/ul", "10*3/uL"}, Spelling{"10*3/ul", "10*3/uL"}, Spelling{"x103/mm3", "10*3/uL"},
    Spelling{"103/mm3", "10*3/uL"}, Spelling{"k/ul", "10*3/uL"},    Spelling{"k/mm3", "10*3/uL"},
    Spelling{"x1012/l", "10*12/L"}, Spelling{"1012/l", "10*12/L"},
    Spelling{"/ul", "/uL"},         Spelling{"/mm3", "/uL"},        Spelling{"cells/ul", "/uL"},
    Spelling{"cells/mm3", "/uL"},   Spelling{"/cumm", "/uL"},       Spelling{"x106/l", "/uL"},
    Spelling{"106/l", "/uL"},       Spelling{"/mcl", "/uL"},        Spelling{"cells/mcl", "/uL"},
    Spelling{"g/l", "g/L"},         Spelling{"g/dl", "g/dL"},       Spelling{"gm/dl", "g/dL"},
    Spelling{"gr/dl", "g/dL"},      Spelling{"mg/dl", "mg/dL"},     Spelling{"mg/l", "mg/L"},
    Spelling{"ug/ml", "ug/mL"},     Spelling{"mcg/ml", "ug/mL"},    Spelling{"ug/dl", "ug/dL"},
    Spelling{"mcg/dl", "ug/dL"},    Spelling{"ug/l", "ug/L"},       Spelling{"mcg/l", "ug/L"},
    Spelling{"ng/ml", "ng/mL"},     Spelling{"pg/ml", "pg/mL"},     Spelling{"umol/l", "umol/L"},
    Spelling{"micromol/l", "umol/L"}, Spelling{"mmol/l", "mmol/L"}, Spelling{"nmol/l", "nmol/L"},
    Spelling{"u/l", "U/L"},         Spelling{"iu/l", "U/L"},        Spelling{"units/l", "U/L"},
    Spelling{"%", "%"},             Spelling{"percent", "%"},       Spelling{"ms", "ms"},
    Spelling{"msec", "ms"},         Spelling{"msecs", "ms"},        Spelling{"millisecond", "ms"},
    Spelling{"milliseconds", "ms"}, Spelling{"sec", "s"},           Spelling{"ml/min", "mL/min"},
    Spelling{"ml/minute", "mL/min"}, Spelling{"ml/min/1.73m2", "mL/min/{1.73_m2}"},
    Spelling{"ml/min/1.73m*2", "mL/min/{1.73_m2}"}, Spelling{"ml/min/1.73", "mL/min/{1.73_m2}"},
    Spelling{"ml/min/{1.73_m2}", "mL/min/{1.73_m2}"}, Spelling{"ml/min/1.73msq", "mL/min/{1.73_m2}"},
    Spelling{"kg", "kg"},           Spelling{"kg/m2", "kg/m2"},     Spelling{"kg/m*2", "kg/m2"},
};

}  // namespace

std::optional<Unit> UnitForCode(std::string_view code) {
  for (const UnitDef& d : kUnits) {
    if (code == d.code) return ToUnit(d);
  }
  return std::nullopt;
}

std::optional<Unit> ParseUnit(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.empty()) return std::nullopt;
  if (auto exact = UnitForCode(t)) return exact;
  // "G/L" (giga per litre) is a count; "g/L" is a mass. Decide before folding case.
  if (t == "G/L" || t == "Giga/L" || t == "G/l") return UnitForCode("10*9/L");
  std::string f = Fold(t);
  for (const Spelling& s : kSpellings) {
    if (f == s.folded) return UnitForCode(s.code);
  }
  if (auto d = ParseDurationUnit(f)) return UnitForCode(*d);
  return std::nullopt;
}

Result<double> ConvertUnit(double value, std::string_view from_code, std::string_view to_code,
                           double molar_mass_g_per_mol) {
  std::optional<Unit> from = UnitForCode(from_code);
  std::optional<Unit> to = UnitForCode(to_code);
  if (!from) return Status::InvalidArgument("unknown unit '" + std::string(from_code) + "'");
  if (!to) return Status::InvalidArgument("unknown unit '" + std::string(to_code) + "'");
  if (from->dimension == to->dimension) return value * from->to_canonical / to->to_canonical;
  bool mass_mol = (from->dimension == Dimension::kMassPerVolume && to->dimension == Dimension::kMolPerVolume) ||
                  (from->dimension == Dimension::kMolPerVolume && to->dimension == Dimension::kMassPerVolume);
  if (mass_mol) {
    if (molar_mass_g_per_mol <= 0) {
      return Status::InvalidArgument("cannot convert " + std::string(from_code) + " to " + std::string(to_code) +
                                     " without the analyte's molar mass");
    }
    double canonical = value * from->to_canonical;  // g/L or umol/L
    if (from->dimension == Dimension::kMassPerVolume) {
      double umol_per_l = canonical / molar_mass_g_per_mol * 1e6;
      return umol_per_l / to->to_canonical;
    }
    double g_per_l = canonical * molar_mass_g_per_mol / 1e6;
    return g_per_l / to->to_canonical;
  }
  return Status::InvalidArgument("cannot convert " + std::string(from_code) + " to " + std::string(to_code) +
                                 ": different kinds of quantity");
}

std::optional<std::string> ParseDurationUnit(std::string_view word) {
  std::string w = ToLowerAscii(Trim(word));
  if (w.size() > 1 && w.back() == 's' && w != "s") w.pop_back();
  if (w == "hour" || w == "hr" || w == "h") return "h";
  if (w == "day" || w == "d") return "d";
  if (w == "week" || w == "wk") return "wk";
  if (w == "month" || w == "mo" || w == "mon") return "mo";
  if (w == "year" || w == "yr" || w == "y" || w == "a") return "a";
  return std::nullopt;
}

double Duration::Days() const {
  std::optional<Unit> u = UnitForCode(unit);
  return u ? value * u->to_canonical : value;
}

std::string Duration::ToString() const { return FormatNumber(value) + " " + unit; }

std::string FormatNumber(double v) {
  if (std::isfinite(v) && std::fabs(v) < 1e15 && v == std::floor(v)) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace ts
