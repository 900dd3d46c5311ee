// BM25F in one place (after Xapian's weight/): the length normalisation the index applies to each
// field's term frequencies when it is finalised (b), and per query term its idf and the saturation
// of its weighted, normalised term frequency (k1).
//   Bm25Weight w(index.doc_count(), df, alt.terms.size());
//   double score = w.Score(tf);  // tf: the sum over fields of weight x frequency x InverseLengthNorm
#pragma once

#include <cmath>
#include <cstddef>

namespace ts {

class Bm25Weight {
 public:
  static constexpr double kK1 = 1.2;  // term frequency saturation
  static constexpr double kB = 0.75;  // strength of the length normalisation

  // 1 / ((1 - b) + b * len / avg_len): the factor a field's term frequency in a document is
  // multiplied by when the index is finalised (SearchIndex::InverseNorm).
  static float InverseLengthNorm(double len, double avg_len) {
    return static_cast<float>(1.0 / ((1 - kB) + kB * len / avg_len));
  }

  // A weight that scores every document 0 (a term that occurs nowhere).
  Bm25Weight() = default;
  // A term found in `df` of `doc_count` documents; a phrase of `words` words counts its idf once per word.
  Bm25Weight(size_t doc_count, size_t df, size_t words)
      : idf_(std::log(1.0 + (static_cast<double>(doc_count) - static_cast<double>(df) + 0.5) /
                                (static_cast<double>(df) + 0.5)) *
             static_cast<double>(words)) {}

  // The score of a document with this (weighted, length-normalised) term frequency.
  double Score(double tf) const { return idf_ * tf * (kK1 + 1) / (kK1 + tf); }

 private:
  double idf_ = 0;
};

}  // namespace ts
