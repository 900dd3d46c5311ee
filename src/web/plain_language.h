// A plain-language summary of a study, generated deterministically from its structured record and
// its computable eligibility rules: no model, no invented facts. Every sentence names the record
// field (API v2 path) it comes from, so a reader can check it.
//   PlainSummary s = SummarizeStudy(study, &compiled, concepts, clock.Today());
//   s.title == "Testing Hetrombopag for Chemotherapy-induced Thrombocytopenia"
//   s.good_fit[0].text == "People aged 18 years or older."
#pragma once

#include <string>
#include <vector>

#include "common/date.h"
#include "eligibility/concepts.h"
#include "eligibility/rule.h"
#include "eligibility/screening.h"
#include "model/study.h"

namespace ts {

struct PlainSentence {
  std::string text;
  std::string source;  // e.g. "protocolSection.conditionsModule.conditions"
};

struct PlainSummary {
  std::string title;
  std::string title_source;
  std::vector<PlainSentence> what;         // what this trial studies
  std::vector<PlainSentence> good_fit;     // who should consider it
  std::vector<PlainSentence> not_fit;      // who it is not for
  std::vector<PlainSentence> participate;  // how to take part, in order
  std::vector<PlainSentence> found;        // what the trial found (posted results); empty when none are posted
};

// What a study's posted results say in plain words, each sentence naming its field (the "What the trial
// found" sentences of SummarizeStudy); empty when it posted none. Used for "How similar studies have
// performed", where another study's findings are shown beside this one.
std::vector<PlainSentence> PlainFindings(const Study& study);

// `compiled` may be null (no rule-based sentences). `today` decides tense ("is expected to start").
PlainSummary SummarizeStudy(const Study& study, const CompiledStudy* compiled, const ConceptTable& concepts,
                            PartialDate today);

// One rule as a plain phrase without a subject: "platelet count below 30 ×10⁹/L",
// "took a TPO receptor agonist in the last 1 month", "is pregnant". Empty for rules that are not computable.
std::string PlainRule(const Rule& rule, const ConceptTable& concepts);

// Display forms: "10*9/L" -> "×10⁹/L", "umol/L" -> "µmol/L"; "1 mo" -> "1 month".
std::string PlainUnit(std::string_view ucum);
std::string PlainDuration(const Duration& d);
// "platelet count" -> "Platelet count".
std::string Capitalised(std::string s);
// "31 January 2026", "January 2026", "2026".
std::string PlainDate(const PartialDate& d);

}  // namespace ts
