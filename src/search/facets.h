// The facets a search counts, as one table: each facet's name, the kind of value it counts and how
// that value is read from a study's attributes. FacetCounter counts the wanted ones over the matches.
//   FacetCounter counter({"overallStatus", "country"});       // names FindFacet knows
//   for (DocId d : matches) counter.Count(index.hot(d), index.doc(d));
//   std::map<std::string, std::vector<FacetCount>> facets = counter.Counts(index);
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/doc_attrs.h"
#include "search/search_index.h"

namespace ts {

struct FacetCount {
  std::string value;
  int64_t count = 0;
};

enum class FacetKind {
  kEnum,      // one enum value per study, packed in HotAttrs (kUnsetEnum: none)
  kEnumMask,  // a set of enum values per study, one bit each, packed in HotAttrs
  kValues,    // interned strings per study (DocAttrs), each counted once per study
};

struct FacetDescriptor {
  std::string_view name;  // as given in SearchRequest::facets
  FacetKind kind;
  // kEnum: the study's value (kUnsetEnum: none); kEnumMask: its bits. Null for kValues.
  uint32_t (*hot)(const HotAttrs&);
  // kValues: appends the study's value ids (repeats and StringTable::kNone are skipped). Else null.
  void (*values)(const DocAttrs&, std::vector<uint32_t>* out);
  // The value shown for an enum value or a value id.
  std::string (*value_name)(const SearchIndex&, uint32_t id);
  size_t top;  // keep only this many most frequent values; 0: all
};

// Every facet, in the order of FacetNames().
std::span<const FacetDescriptor> Facets();
// The facet of that name, or nullptr.
const FacetDescriptor* FindFacet(std::string_view name);
// Facet names accepted in SearchRequest::facets.
const std::vector<std::string>& FacetNames();

// Counts some facets over the matches of one search. One per search; not thread-safe.
class FacetCounter {
 public:
  // `names` must be known to FindFacet (unknown ones are ignored); a repeated name counts once.
  explicit FacetCounter(const std::vector<std::string>& names);
  bool empty() const { return tallies_.empty(); }
  // True when Count reads the HotAttrs it is given (else any value will do).
  bool reads_hot() const { return reads_hot_; }
  // Counts one study.
  void Count(const HotAttrs& hot, const DocAttrs& doc);
  // Per facet, its values most frequent first (ties by value), at most the facet's `top`.
  std::map<std::string, std::vector<FacetCount>> Counts(const SearchIndex& index) const;

 private:
  static constexpr size_t kEnumSlots = 32;  // enum values are below 32 (filters keep them as bit masks)
  struct Tally {
    const FacetDescriptor* spec = nullptr;
    std::array<int64_t, kEnumSlots> by_enum{};    // kEnum, kEnumMask
    std::unordered_map<uint32_t, int64_t> by_id;  // kValues
  };
  std::vector<Tally> tallies_;
  std::vector<uint32_t> values_, seen_;  // Count's scratch
  bool reads_hot_ = false;
};

}  // namespace ts
