// When a study's results are due, where its record implies it.
//   if (auto due = ResultsDueDate(study)) page << "due by " << due->ToString();
// US law (FDAAA 801, 42 CFR 11.44) asks the sponsor of an applicable clinical trial to post results within
// one year of the primary completion date. The record implies that only when it says the study is
// interventional, studies an FDA-regulated drug or device, and gives an actual primary completion date;
// otherwise no date is given (a guess would mislead a patient waiting for results).
#pragma once

#include <optional>

#include "common/date.h"
#include "model/study.h"

namespace ts {

// The primary completion date plus one year (at the same precision), or nullopt as above.
std::optional<PartialDate> ResultsDueDate(const Study& study);

}  // namespace ts
