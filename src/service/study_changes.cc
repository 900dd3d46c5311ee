#include "service/study_changes.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/strings.h"
#include "eligibility/criteria_text.h"
#include "model/enums.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

constexpr std::string_view kStatusPath = "protocolSection.statusModule.overallStatus";
constexpr std::string_view kCriteriaPath = "protocolSection.eligibilityModule.eligibilityCriteria";
constexpr std::string_view kLocationsPath = "protocolSection.contactsLocationsModule.locations";

std::string StatusText(const std::optional<OverallStatus>& s) { return s ? std::string(Label(*s)) : "(none)"; }

// Criteria by "Inclusion 3" / "Exclusion 7.2", in the order of the text.
std::vector<std::pair<std::string, std::string>> NamedCriteria(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::map<CriterionKind, int> ordinal;
  for (const CriterionText& c : SplitCriteria(text)) {
    ++ordinal[c.kind];
    std::string name = c.kind == CriterionKind::kInclusion ? "Inclusion " : "Exclusion ";
    name += c.label.empty() ? std::to_string(ordinal[c.kind]) : c.label;
    out.emplace_back(std::move(name), c.text);
  }
  return out;
}

void CriteriaWords(const Study& before, const Study& after, std::vector<std::string>* words) {
  auto old_items = NamedCriteria(before.eligibility.criteria);
  auto new_items = NamedCriteria(after.eligibility.criteria);
  std::map<std::string, std::string> old_by_name(old_items.begin(), old_items.end());
  std::set<std::string> seen;
  for (const auto& [name, text] : new_items) {
    if (!seen.insert(name).second) continue;  // a label used twice: its first use speaks for it
    auto it = old_by_name.find(name);
    if (it == old_by_name.end()) words->push_back(name + " added");
    else if (it->second != text) words->push_back(name + " changed");
  }
  for (const auto& [name, text] : old_items)
    if (!seen.count(name) && seen.insert(name).second) words->push_back(name + " removed");
}

// The fields of the eligibility module other than its text, as a reader names them.
constexpr std::pair<std::string_view, std::string_view> kEligibilityFields[] = {
    {"protocolSection.eligibilityModule.minimumAge", "Minimum age"},
    {"protocolSection.eligibilityModule.maximumAge", "Maximum age"},
    {"protocolSection.eligibilityModule.sex", "Sex"},
    {"protocolSection.eligibilityModule.healthyVolunteers", "Healthy volunteers"},
};

bool IsEligibilityField(std::string_view path) {
  return std::any_of(std::begin(kEligibilityFields), std::end(kEligibilityFields), [&](const auto& f) { return f.first == path; });
}

std::string Value(const std::string& v, bool present) { return present && !v.empty() ? v : "(none)"; }

std::string SiteName(const Location& l) {
  if (!l.city.empty()) return l.city;
  if (!l.facility.empty()) return l.facility;
  return l.country.empty() ? "(unnamed site)" : l.country;
}

std::string SiteKey(const Location& l) { return l.facility + '\x1f' + l.city + '\x1f' + l.state + '\x1f' + l.country; }

void SiteWords(const Study& before, const Study& after, std::vector<std::string>* words, bool* changed) {
  std::multimap<std::string, const Location*> old_sites;
  for (const Location& l : before.locations) old_sites.emplace(SiteKey(l), &l);
  std::vector<const Location*> added;
  for (const Location& l : after.locations) {
    auto it = old_sites.find(SiteKey(l));
    if (it == old_sites.end()) {
      added.push_back(&l);
      continue;
    }
    if (it->second->status != l.status) {
      words->push_back("Site " + SiteName(l) + ": " + StatusText(it->second->status) + " → " + StatusText(l.status));
      *changed = true;
    } else if (!(*it->second == l)) {
      words->push_back("Site changed: " + SiteName(l));
      *changed = true;
    }
    old_sites.erase(it);
  }
  for (const Location* l : added) words->push_back("Site added: " + SiteName(*l));
  for (const auto& [key, l] : old_sites) words->push_back("Site removed: " + SiteName(*l));
  if (!added.empty() || !old_sites.empty()) *changed = true;
}

}  // namespace

std::string ModuleOfPath(std::string_view path) {
  size_t dot = path.find('.');
  std::string_view first = path.substr(0, dot);
  if (size_t b = first.find('['); b != std::string_view::npos) first = first.substr(0, b);
  if (dot == std::string_view::npos || first.size() < 7 || first.substr(first.size() - 7) != "Section") {
    return std::string(first);
  }
  std::string_view rest = path.substr(dot + 1);
  rest = rest.substr(0, std::min(rest.find('.'), rest.find('[')));
  return std::string(rest);
}

StudyChanges DescribeChanges(const Study* before, const Study& after, const std::vector<FieldChange>& diff) {
  StudyChanges c;
  if (before == nullptr) {
    c.is_new = true;
    c.words.push_back("New study");
    return c;
  }
  std::set<std::string> seen;
  size_t other = 0;
  std::vector<std::string> other_modules;  // of the fields said only as a count, in document order
  for (const FieldChange& f : diff) {
    std::string m = ModuleOfPath(f.path);
    if (seen.insert(m).second) c.modules.push_back(m);
    if (m == "eligibilityModule") c.criteria = true;
    if (f.path == kStatusPath) c.status = true;
    const bool in_words = f.path == kCriteriaPath || IsEligibilityField(f.path) || f.path == kStatusPath ||
                          f.path.rfind(kLocationsPath, 0) == 0;
    if (!in_words) {
      ++other;
      if (std::find(other_modules.begin(), other_modules.end(), m) == other_modules.end()) other_modules.push_back(m);
    }
  }
  if (c.status) {
    c.words.push_back("Status: " + StatusText(before->status.overall_status) + " → " + StatusText(after.status.overall_status));
  }
  if (c.criteria) {
    const size_t said = c.words.size();
    CriteriaWords(*before, after, &c.words);
    const bool text_changed = std::any_of(diff.begin(), diff.end(), [](const FieldChange& f) { return f.path == kCriteriaPath; });
    if (text_changed && c.words.size() == said) c.words.push_back("Criteria text changed (layout only)");
    for (const auto& [path, name] : kEligibilityFields) {
      for (const FieldChange& f : diff) {
        if (f.path != path) continue;
        c.words.push_back(std::string(name) + ": " + Value(f.before, f.had_before) + " → " + Value(f.after, f.has_after));
      }
    }
  }
  SiteWords(*before, after, &c.words, &c.sites);
  if (other > 0) {
    c.words.push_back(std::to_string(other) + (other == 1 ? " other field changed (" : " other fields changed (") +
                      Join(other_modules, ", ") + ")");
  }
  return c;
}

}  // namespace ts
