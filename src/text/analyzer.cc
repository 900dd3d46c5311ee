#include "text/analyzer.h"

#include "text/word_cache.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <array>
#include <string>
#include <cstdlib>
#include <cstring>

namespace ts {

namespace {

// Superscripts and symbols we rewrite before Unicode folding (NFKC would turn "10⁹" into "109").
struct Rewrite {
  const char* from;
  const char* to;
};
constexpr Rewrite kRewrites[] = {
    {"\xE2\x81\xB0", "0"}, {"\xC2\xB9", "1"}, {"\xC2\xB2", "2"}, {"\xC2\xB3", "3"}, {"\xE2\x81\xB4", "4"},
    {"\xE2\x81\xB5", "5"}, {"\xE2\x81\xB6", "6"}, {"\xE2\x81\xB7", "7"}, {"\xE2\x81\xB8", "8"}, {"\xE2\x81\xB9", "9"},
    {"\xE2\x81\xBB", "-"},  // superscript minus
};
constexpr const char* kGe = "\xE2\x89\xA5";   // ≥
constexpr const char* kLe = "\xE2\x89\xA4";   // ≤
constexpr const char* kTimes = "\xC3\x97";    // ×
constexpr const char* kMicro = "\xC2\xB5";    // µ (micro sign)
constexpr const char* kMu = "\xCE\xBC";       // μ (Greek mu)

bool IsSuperscript(std::string_view s, size_t i, std::string* digit, size_t* len) {
  for (const auto& r : kRewrites) {
    size_t n = std::strlen(r.from);
    if (s.compare(i, n, r.from) == 0) {
      *digit = r.to;
      *len = n;
      return true;
    }
  }
  return false;
}

std::string PreRewrite(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  bool in_super = false;
  for (size_t i = 0; i < s.size();) {
    std::string digit;
    size_t len;
    if (static_cast<unsigned char>(s[i]) >= 0x80 && IsSuperscript(s, i, &digit, &len)) {
      if (!in_super) out += '^';
      out += digit;
      in_super = true;
      i += len;
      continue;
    }
    in_super = false;
    if (s.compare(i, 3, kGe) == 0) {
      out += " >= ";
      i += 3;
    } else if (s.compare(i, 3, kLe) == 0) {
      out += " <= ";
      i += 3;
    } else if (s.compare(i, 2, kTimes) == 0) {
      out += " x ";
      i += 2;
    } else if (s.compare(i, 2, kMicro) == 0 || s.compare(i, 2, kMu) == 0) {
      out += 'u';  // µg -> ug, as UCUM writes it
      i += 2;
    } else if (s[i] == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      ++i;  // markdown escape: keep the character, drop the backslash
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Character classes of normalised text (lower-case ASCII; every byte of a multi-byte UTF-8
// character counts as a letter).
enum : uint8_t { kAlnum = 1, kDigit = 2, kAlpha = 4 };
constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= '0' && c <= '9') t[c] = kAlnum | kDigit;
    if ((c >= 'a' && c <= 'z') || c >= 0x80) t[c] = kAlnum | kAlpha;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClass = MakeClasses();

bool IsAlnum(unsigned char c) { return (kClass[c] & kAlnum) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsJoiner(char c) { return c == '-' || c == '/' || c == '^' || c == '.'; }

constexpr std::array<std::string_view, 33> kStopWords = {
    "a",    "an",   "and",  "are", "as",   "at",   "be",    "by",   "for",  "from", "has",
    "have", "in",   "into", "is",  "it",   "its",  "of",    "on",   "or",   "that", "the",
    "their", "then", "there", "these", "this", "to", "was",  "were", "which", "will", "with",
};

// Appends the folded form of `run`, a run of non-ASCII bytes: rewritten notation, then NFKC with
// case folding and marks stripped; non-ASCII punctuation, symbols and spaces separate words (dashes
// become '-', the rest ' '). Invalid UTF-8 becomes spaces.
void FoldNonAscii(std::string_view run, std::string* out_buf) {
  std::string& out = *out_buf;
  std::string pre = PreRewrite(run);
  utf8proc_uint8_t* mapped = nullptr;
  auto opts = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                             UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(pre.data()),
                                    static_cast<utf8proc_ssize_t>(pre.size()), &mapped, opts);
  if (n < 0) {
    for (char c : pre) out += (static_cast<unsigned char>(c) < 0x80) ? static_cast<char>(std::tolower(c)) : ' ';
    return;
  }
  const utf8proc_uint8_t* p = mapped;
  const utf8proc_uint8_t* end = mapped + n;
  while (p < end) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(p, end - p, &cp);
    if (len <= 0) break;
    if (cp >= 0x80) {
      utf8proc_category_t cat = utf8proc_category(cp);
      if (cat == UTF8PROC_CATEGORY_PD) {
        out += '-';
        p += len;
        continue;
      }
      if (cat >= UTF8PROC_CATEGORY_ZS || (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO)) {
        out += ' ';
        p += len;
        continue;
      }
    }
    out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(len));
    p += len;
  }
  std::free(mapped);
}

// NormalizeText into a reused buffer. ASCII is lower-cased in place (markdown escapes dropped);
// each run of non-ASCII bytes is folded on its own. That equals folding the whole text: ASCII is
// unchanged by NFKC and case folding apart from case, and nothing composes with an ASCII letter
// except combining marks, which are stripped.
void NormalizeInto(std::string_view text, std::string* out_buf) {
  std::string& out = *out_buf;
  const size_t n = text.size();
  out.resize(n);  // room for the ASCII still to come; a folded run appends
  size_t w = 0;
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (size_t i = 0; i < n;) {
    // Eight ASCII bytes without a backslash at a time: upper case to lower case, in one register.
    while (i + 8 <= n) {
      uint64_t x;
      std::memcpy(&x, text.data() + i, 8);
      const uint64_t backslash = x ^ (kOnes * '\\');
      if ((x & kHigh) || ((backslash - kOnes) & ~backslash & kHigh)) break;
      const uint64_t upper = ((x + kOnes * (0x80 - 'A')) ^ (x + kOnes * (0x7F - 'Z'))) & kHigh;
      x |= upper >> 2;  // 0x80 >> 2 = 0x20, the case bit
      std::memcpy(out.data() + w, &x, 8);
      i += 8;
      w += 8;
    }
    if (i >= n) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if (c == '\\' && i < n && std::ispunct(static_cast<unsigned char>(text[i]))) continue;
      out[w++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      continue;
    }
    size_t j = i;
    while (j < n && static_cast<unsigned char>(text[j]) >= 0x80) ++j;
    out.resize(w);
    FoldNonAscii(text.substr(i, j - i), &out);
    w = out.size();
    out.resize(w + (n - j));
    i = j;
  }
  out.resize(w);
}

// Plain words -> their indexed terms. Cleared when it holds kMaxCached words or kMaxCachedBytes.
constexpr size_t kMaxCached = size_t{1} << 20;
constexpr size_t kMaxCachedBytes = size_t{256} << 20;

}  // namespace

std::string NormalizeText(std::string_view text) {
  std::string out;
  NormalizeInto(text, &out);
  return out;
}

struct Analyzer::Impl {
  sb_stemmer* stemmer = sb_stemmer_new("english", "UTF_8");
  ~Impl() { sb_stemmer_delete(stemmer); }
  WordCache stemmed, unstemmed;          // see Lookup
  std::string normalized;                // the text being tokenised
  std::string scratch;                   // a joined or "+"-suffixed term
  std::vector<std::string_view> parts;   // the parts of a joined raw token

  struct Word {
    std::string_view term;  // valid until the next Lookup
    uint32_t* memo;         // nullptr when the word is too long to cache
    bool stop;
  };
  // A plain word (letters only, or letters and digits when `stem` is false): its term (stemmed when
  // `stem`, alphabetic and longer than 3), from the cache or made and cached.
  Word Lookup(std::string_view word, bool stem) {
    WordCache& cache = stem ? stemmed : unstemmed;
    const uint64_t h = WordCache::Hash(word);
    if (WordCache::Entry* e = cache.Find(word, h)) return {cache.Term(*e), &e->memo, e->stop()};
    std::string_view term = word;
    if (stem && word.size() > 3) {
      bool alpha = true;
      for (unsigned char c : word) alpha = alpha && (kClass[c] & kAlpha);
      if (alpha) {
        const sb_symbol* s = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                             static_cast<int>(word.size()));
        if (s) term = {reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(stemmer))};
      }
    }
    const bool stop = Analyzer::IsStopWord(word);
    if (cache.size() >= kMaxCached || cache.MemoryBytes() >= kMaxCachedBytes) cache.Clear();
    WordCache::Entry* e = cache.Insert(word, term, stop, kNoMemo, h);
    if (!e) return {term, nullptr, stop};  // too long to cache
    return {cache.Term(*e), &e->memo, stop};
  }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

bool Analyzer::IsStopWord(std::string_view word) {
  if (word.size() > 5 || word.empty()) return false;  // the longest stop word has 5 letters
  switch (word[0]) {  // the first letters of stop words
    case 'a': case 'b': case 'f': case 'h': case 'i': case 'o': case 't': case 'w':
      break;
    default:
      return false;
  }
  for (auto w : kStopWords)
    if (w.size() == word.size() && w[0] == word[0] && w == word) return true;
  return false;
}

std::vector<Token> Analyzer::Analyze(std::string_view text, bool stem) {
  std::vector<Token> out;
  Tokenize(text, stem, [&](const TokenRef& t) { out.push_back({std::string(t.term), t.position, t.variant}); });
  return out;
}

void Analyzer::Tokenize(std::string_view text, bool stem, TokenSink sink) {
  std::string& s = impl_->normalized;
  NormalizeInto(text, &s);
  const char* const data = s.data();
  const size_t n = s.size();
  uint32_t pos = 0;
  // The indexed form of a word: stemmed when alphabetic and longer than 3. Valid until the next call.
  auto word_term = [&](std::string_view w) -> std::string_view {
    if (!stem || w.size() <= 3) return w;
    for (unsigned char c : w)
      if (!(kClass[c] & kAlpha)) return w;
    return impl_->Lookup(w, true).term;
  };
  auto emit = [&](std::string_view term, bool variant, uint32_t* memo) { sink(TokenRef{term, pos, variant, memo}); };
  size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    const uint8_t cls = kClass[c];
    if (!(cls & kAlnum)) {
      // Comparators are tokens of their own: "PLT<30" -> plt < 30.
      if (c == '<' || c == '>' || c == '=') {
        size_t len = (c != '=' && i + 1 < n && data[i + 1] == '=') ? 2 : 1;
        emit(std::string_view(data + i, len), false, nullptr);
        i += len;
        ++pos;
        continue;
      }
      if (!(c == '^' && i + 1 < n && IsDigit(data[i + 1]))) {
        ++i;
        continue;
      }
    }
    // A raw token: alphanumerics joined by - / ^ . ' (when both sides are alphanumeric), plus a
    // trailing +. Everything from the first apostrophe on is dropped ("investigator's").
    const size_t start = i;
    size_t kept = std::string_view::npos;  // length before the first apostrophe
    bool has_digit = false, has_joiner = false;
    if (c == '^') {  // a bare exponent ("^9") starts the token
      has_joiner = true;
      ++i;
    }
    while (i < n) {
      const unsigned char d = static_cast<unsigned char>(data[i]);
      const uint8_t dc = kClass[d];
      if (dc & kAlnum) {
        if (kept == std::string_view::npos) has_digit = has_digit || (dc & kDigit);
        ++i;
      } else if ((IsJoiner(static_cast<char>(d)) || d == '\'') && i + 1 < n &&
                 IsAlnum(static_cast<unsigned char>(data[i + 1])) && i > start) {
        if (kept == std::string_view::npos) {
          if (d == '\'') kept = i - start;
          else has_joiner = true;
        }
        ++i;
      } else {
        break;
      }
    }
    const bool plus = i < n && data[i] == '+' && (i + 1 == n || !IsAlnum(static_cast<unsigned char>(data[i + 1])));
    std::string_view raw(data + start, i - start);
    if (plus) ++i;
    if (kept != std::string_view::npos) raw = raw.substr(0, kept);
    if (!has_joiner) {
      if (!plus && !has_digit) {
        Impl::Word w = impl_->Lookup(raw, stem);
        if (!w.stop) emit(w.term, false, w.memo);
      } else if (!IsStopWord(raw)) {
        if (plus) {
          impl_->scratch.assign(raw);
          impl_->scratch += '+';
          emit(impl_->scratch, false, nullptr);
          emit(word_term(raw), true, nullptr);
        } else {
          emit(raw, false, nullptr);  // codes and numbers are not cached: there are too many
        }
      }
      ++pos;
      continue;
    }
    // Split into parts at joiners; decimal points between digits do not split ("1.5").
    std::vector<std::string_view>& parts = impl_->parts;
    parts.clear();
    size_t p0 = 0;
    for (size_t k = 0; k < raw.size(); ++k) {
      char ch = raw[k];
      bool decimal = ch == '.' && k > 0 && IsDigit(raw[k - 1]) && k + 1 < raw.size() && IsDigit(raw[k + 1]);
      if ((ch == '-' || ch == '/' || ch == '.') && !decimal) {
        if (k > p0) parts.push_back(raw.substr(p0, k - p0));
        p0 = k + 1;
      }
    }
    if (p0 < raw.size()) parts.push_back(raw.substr(p0));
    // Codes and units with digits stay whole ("il-11", "10^9/l", "1.5", "b2025-803-01"); so do
    // hyphenated words, joined ("non-severe" -> nonsevere). Their parts are variants.
    bool keep_whole = has_digit || raw.find('-') != std::string_view::npos;
    if (keep_whole) {
      std::string& whole = impl_->scratch;
      if (has_digit) {
        whole.assign(raw);
      } else {
        whole.clear();
        for (auto part : parts) whole += part;
        std::string_view term = word_term(whole);
        if (term.data() != whole.data()) whole.assign(term);
      }
      if (plus) whole += "+";
      emit(whole, false, nullptr);
      for (auto part : parts) {
        if (parts.size() > 1 && !IsStopWord(part)) emit(word_term(part), true, nullptr);
      }
      ++pos;
    } else {
      // "ALT/AST", "and/or": separate words.
      for (auto part : parts) {
        if (!IsStopWord(part)) emit(word_term(part), false, nullptr);
        ++pos;
      }
    }
  }
}

}  // namespace ts
