#include "text/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <absl/container/flat_hash_map.h>

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

bool IsAlnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || c >= 0x80; }

constexpr std::array<std::string_view, 33> kStopWords = {
    "a",    "an",   "and",  "are", "as",   "at",   "be",    "by",   "for",  "from", "has",
    "have", "in",   "into", "is",  "it",   "its",  "of",    "on",   "or",   "that", "the",
    "their", "then", "there", "these", "this", "to", "was",  "were", "which", "will", "with",
};

}  // namespace

namespace {
// NormalizeText into a reused buffer.
void NormalizeInto(std::string_view text, std::string* out_buf) {
  std::string& out = *out_buf;
  out.clear();
  // Fast path: plain ASCII only needs lower-casing and escape removal.
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    out.resize(text.size());
    size_t n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) continue;
      out[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    out.resize(n);
    return;
  }
  std::string pre = PreRewrite(text);
  utf8proc_uint8_t* mapped = nullptr;
  auto opts = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                             UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(pre.data()),
                                    static_cast<utf8proc_ssize_t>(pre.size()), &mapped, opts);
  if (n < 0) {  // invalid UTF-8: keep the ASCII letters and digits only
    for (char c : pre) out += (static_cast<unsigned char>(c) < 0x80) ? static_cast<char>(std::tolower(c)) : ' ';
    return;
  }
  // Non-ASCII punctuation, symbols and spaces separate words: dashes become '-', the rest ' '.
  out.reserve(static_cast<size_t>(n));
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
}  // namespace

std::string NormalizeText(std::string_view text) {
  std::string out;
  NormalizeInto(text, &out);
  return out;
}

struct Analyzer::Impl {
  sb_stemmer* stemmer = sb_stemmer_new("english", "UTF_8");
  ~Impl() { sb_stemmer_delete(stemmer); }
  // Plain words -> their terms (stemmed and unstemmed apart), bounded: cleared when either grows
  // past kMaxCached words.
  absl::flat_hash_map<std::string, CachedWord> stemmed, unstemmed;
  static constexpr size_t kMaxCached = 1 << 20;
  std::string normalized;                // the text being tokenised
  std::string scratch;                   // a joined or "+"-suffixed term
  std::vector<std::string_view> parts;   // the parts of a joined raw token
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

bool Analyzer::IsStopWord(std::string_view word) {
  if (word.size() > 5 || word.empty()) return false;  // the longest stop word has 5 letters
  for (auto w : kStopWords)
    if (w.size() == word.size() && w[0] == word[0] && w == word) return true;
  return false;
}

Analyzer::CachedWord& Analyzer::Cached(std::string_view word, bool stem) {
  auto& cache = stem ? impl_->stemmed : impl_->unstemmed;
  // Debian's Abseil has its own string_view type (ABSL_OPTION_USE_STD_STRING_VIEW is 0).
  auto it = cache.find(absl::string_view(word.data(), word.size()));
  if (it != cache.end()) return it->second;
  if (cache.size() >= Impl::kMaxCached) cache.clear();
  CachedWord w;
  bool alpha = word.size() > 3;
  for (unsigned char c : word) alpha = alpha && IsAlpha(c);
  if (stem && alpha) {
    const sb_symbol* s = sb_stemmer_stem(impl_->stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
    if (s) w.term.assign(reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(impl_->stemmer)));
  }
  if (w.term.empty()) w.term.assign(word);
  return cache.emplace(std::string(word), std::move(w)).first->second;
}

std::vector<Token> Analyzer::Analyze(std::string_view text, bool stem) {
  std::vector<Token> out;
  Tokenize(text, stem, [&](const TokenRef& t) { out.push_back({std::string(t.term), t.position, t.variant}); });
  return out;
}

void Analyzer::Tokenize(std::string_view text, bool stem, TokenSink sink) {
  std::string& s = impl_->normalized;
  NormalizeInto(text, &s);
  uint32_t pos = 0;
  // The indexed form of a word: stemmed when alphabetic and longer than 3. Valid until the next call.
  auto word_term = [&](std::string_view w) -> std::string_view {
    if (!stem || w.size() <= 3) return w;
    for (unsigned char c : w)
      if (!IsAlpha(c)) return w;
    return Cached(w, true).term;
  };
  auto emit = [&](std::string_view term, bool variant, uint32_t* memo) { sink(TokenRef{term, pos, variant, memo}); };
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    // Comparators are tokens of their own: "PLT<30" -> plt < 30.
    if (c == '<' || c == '>' || c == '=') {
      size_t len = (c != '=' && i + 1 < s.size() && s[i + 1] == '=') ? 2 : 1;
      emit(std::string_view(s.data() + i, len), false, nullptr);
      i += len;
      ++pos;
      continue;
    }
    if (!IsAlnum(c) && !(c == '^' && i + 1 < s.size() && IsDigit(s[i + 1]))) {
      ++i;
      continue;
    }
    // A raw token: alphanumerics joined by - / ^ . (when both sides are alphanumeric), plus a trailing +.
    size_t start = i;
    if (s[i] == '^') ++i;  // a bare exponent ("^9") starts the token
    while (i < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i]);
      if (IsAlnum(d)) {
        ++i;
      } else if ((d == '-' || d == '/' || d == '^' || d == '.' || d == '\'') && i + 1 < s.size() &&
                 IsAlnum(static_cast<unsigned char>(s[i + 1])) && i > start) {
        ++i;
      } else {
        break;
      }
    }
    bool plus = i < s.size() && s[i] == '+' && (i + 1 == s.size() || !IsAlnum(static_cast<unsigned char>(s[i + 1])));
    std::string_view raw(s.data() + start, i - start);
    if (plus) ++i;
    if (i == start) {  // defensive: every iteration consumes input
      ++i;
      continue;
    }
    // Apostrophes: "investigator's" -> investigator.
    if (size_t ap = raw.find('\''); ap != std::string_view::npos) raw = raw.substr(0, ap);
    bool has_digit = false, has_joiner = false;
    for (char ch : raw) {
      has_digit = has_digit || IsDigit(ch);
      has_joiner = has_joiner || ch == '-' || ch == '/' || ch == '^' || ch == '.';
    }
    if (!has_joiner) {
      if (!IsStopWord(raw)) {
        if (plus) {
          impl_->scratch.assign(raw);
          impl_->scratch += '+';
          emit(impl_->scratch, false, nullptr);
          emit(word_term(raw), true, nullptr);
        } else if (has_digit) {
          emit(raw, false, nullptr);  // codes and numbers are not cached: there are too many
        } else {
          CachedWord& w = Cached(raw, stem);
          emit(w.term, false, &w.memo);
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
