// Small string helpers shared by every module.
//   std::string_view t = Trim("  a b ");   // "a b"
//   bool same = EqualsIgnoreCase("Phase 1", "phase 1");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

// Removes ASCII white space at both ends.
std::string_view Trim(std::string_view s);
// Collapses runs of white space (incl. newlines) into one space and trims.
std::string CollapseSpace(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLowerAscii(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Parses a whole string as a base-10 integer / floating point number; false on any junk.
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseDouble(std::string_view s, double* out);

// Markdown escapes used by ClinicalTrials.gov ("\<", "\>=", "\[") shown as the plain characters
// (CommonMark: a backslash before ASCII punctuation escapes it). Everything else is kept.
std::string UnescapeMarkdown(std::string_view text);

// FNV-1a 64-bit: stable across runs and platforms (used for content hashes).
uint64_t Fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ull);
std::string ToHex64(uint64_t v);

// True if `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);
// The offset of the first byte that does not start a valid UTF-8 sequence, or npos if `s` is valid.
size_t FirstInvalidUtf8(std::string_view s);
// Replaces invalid UTF-8 sequences with U+FFFD.
std::string SanitizeUtf8(std::string_view s);

}  // namespace ts
