// Text analysis shared by indexing and querying: Unicode normalisation (NFKC, case folding,
// diacritics removed), tokenising that keeps clinical notation intact, stop words, Snowball stemming.
//   Analyzer a;
//   std::vector<Token> t = a.Analyze("PLT <30×10⁹/L, IL-11, CD34+");
//   // plt  <  30  10^9/l  il-11 (also il, 11)  cd34+ (also cd34)
// Not thread-safe (the stemmer keeps state): one Analyzer per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <absl/functional/function_ref.h>

namespace ts {

struct Token {
  std::string term;       // the normalised (and, for words, stemmed) form that is indexed
  uint32_t position = 0;  // word position; variants of one word share it
  bool variant = false;   // an extra form (a part of "il-11", "cd34" of "cd34+"), not the primary
  bool operator==(const Token&) const = default;
};

// Lower-cases, removes diacritics and applies compatibility folding; superscript digits become
// "^n" ("10⁹" -> "10^9"), "≥"/"≤" become ">="/"<=", markdown escapes ("\<") are dropped.
std::string NormalizeText(std::string_view text);

class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Tokens of `text`, in order. Stop words are dropped but still take a position, so phrase
  // positions stay true. `stem` = false keeps words as they are (for IDs and exact facets).
  std::vector<Token> Analyze(std::string_view text, bool stem = true);

  // The same tokens, streamed, without allocating per token: `sink(token)` per token, in order.
  // `term` is valid only during the call. A word the analyzer has seen before comes with `memo`:
  // a slot kept with that word in the analyzer's (bounded) word cache, for the caller to remember
  // what it made of the term (a term id) and skip its own lookup next time; nullptr for tokens
  // that are not cached (codes, numbers, joined words). A memo starts as kNoMemo and may be
  // forgotten (reset to kNoMemo) when the cache is cleared. Indexing uses this.
  struct TokenRef {
    std::string_view term;
    uint32_t position;
    bool variant;
    uint32_t* memo;
  };
  static constexpr uint32_t kNoMemo = 0xFFFFFFFFu;
  using TokenSink = absl::FunctionRef<void(const TokenRef& token)>;
  void Tokenize(std::string_view text, bool stem, TokenSink sink);

  static bool IsStopWord(std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ts
