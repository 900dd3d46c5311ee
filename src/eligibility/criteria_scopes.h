// Passes over a study's whole list of parsed criteria that read what one item says about the items
// around it, where the record's layout lost the nesting (legacy lists are flat):
//   UntypeUnderScopingHeadings(lexicon, parsed);  // "None of the following ... :", "EXCLUSION CRITERIA - X:"
//   UntypeBesideExceptions(parsed);               // "Renal: Creatinine <= 2 x ULN / Lymphoma-related ... allowed"
//   UntypeBesideAlternatives(parsed);             // "LVEF < 41% / Or: mitral valve replacement"
//   UntypeSubgroupAges(study, parsed);            // "Age 45-70" in a study of 35-70 year olds
// They only ever make a typed rule not computable or a lab's window shorter: they can turn a definite
// verdict into a question, never into the opposite answer.
#pragma once

#include <vector>

#include "eligibility/criteria_lexicon.h"
#include "eligibility/rule_parser.h"

namespace ts {

// The scope of a heading (an item ending in ':' with no typed part) is its nested items, or, when it
// has none, the items after it up to the next heading. Its items are left untyped (reason heading)
// when the heading negates them (lexicon heading_scope: "None of the following ...:"), conditions or
// limits them to a group ("if they meet the following criteria post-transplant:", "HEALTHY CONTROL
// WOMEN:"), files them under the other section (heading_exclusions among the inclusions, "EXCLUSION
// CRITERIA RELATED TO ...:"; heading_inclusions among the exclusions, "Patients must have:"), or gives
// them a time window (heading_time, "Excluded within 7 days prior to entry:"; items with a condition,
// therapy or procedure; an item of lab values instead takes the heading's window, when it is at most 90
// days, for each lab without one: "laboratory values within 30 days prior to study entry:"). Headings
// opened by "For" that name a group ("FOR TREATMENT PILOT:", "For men:") limit their items to it.
void UntypeUnderScopingHeadings(const CriteriaLexicon& lex, std::vector<ParsedCriterion>& out);

// An item that is only an exception or a permission changes the items it follows: one that starts
// "Unless ..."/"Except ..." the item before it; one under a short topic heading ("Renal:", "Hepatic:")
// every item of that heading ("Creatinine no greater than 2.0 times ULN" under "Renal:" with
// "Lymphoma-related renal dysfunction allowed").
void UntypeBesideExceptions(std::vector<ParsedCriterion>& out);

// An item that starts "Or ..." ("Or: Mitral and aortic valve repair") is an alternative to the item before it:
// neither is required on its own, so both become not computable (alternative). A bare "Or:" item splits its
// list into alternative groups: every item of that list (same section and parent) becomes not computable.
void UntypeBesideAlternatives(std::vector<ParsedCriterion>& out);

// Age limits that must be for a subgroup: in an inclusion, one stricter than the registry's own age
// range (`study`'s registry ages, eligibilityModule) at an end the registry states ("Age 45-70 years" as
// the first of three age strata of a 35-70 study; "18 or older for the pilot" in a study from 6 months);
// and, in any criterion, age limits joined by AND that no age meets ("under 6 ... must weigh 7 kg; over 6
// ... 10 kg"). They become not computable (subgroup); the registry's range is still its own criterion.
void UntypeSubgroupAges(const StudyContext& study, std::vector<ParsedCriterion>& out);

}  // namespace ts
