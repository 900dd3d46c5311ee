// Safe HTML building: every value streamed into an HtmlWriter is escaped; markup enters only as
// Markup, which can be made from a string literal and nothing else, so record text can never
// become markup by mistake.
//   HtmlWriter h;
//   h << Markup("<h2>") << study.brief_title << Markup("</h2>");   // "<" in the title -> "&lt;"
//   h << Markup("<a href=\"") << UrlFor("/study/" + key) << Markup("\">");  // escaped for the attribute
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ts {

// Trusted markup. Only string literals convert implicitly; Markup::Trusted is for markup this
// module itself produced (e.g. a fragment rendered by another HtmlWriter).
class Markup {
 public:
  template <size_t N>
  constexpr Markup(const char (&literal)[N]) : text_(literal, N - 1) {}  // NOLINT: implicit by design
  static Markup Trusted(std::string_view produced_html) { return Markup(produced_html, 0); }
  std::string_view text() const { return text_; }

 private:
  Markup(std::string_view text, int) : text_(text) {}
  std::string_view text_;
};

// "&", "<", ">", '"' and "'" as entities; invalid UTF-8 replaced; control characters dropped.
std::string EscapeHtml(std::string_view text);
// Percent-encodes for a URL query component or path segment (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view text);
// Decodes %XX and '+' (form encoding); a malformed escape is kept as it is.
std::string UrlDecode(std::string_view text);

class HtmlWriter {
 public:
  HtmlWriter& operator<<(Markup m) {
    out_.append(m.text());
    return *this;
  }
  HtmlWriter& operator<<(std::string_view text) {
    out_ += EscapeHtml(text);
    return *this;
  }
  HtmlWriter& operator<<(const std::string& text) { return *this << std::string_view(text); }
  HtmlWriter& operator<<(const char* text) = delete;  // a literal is Markup; runtime char* is ambiguous
  HtmlWriter& operator<<(int64_t n) {
    out_ += std::to_string(n);
    return *this;
  }
  HtmlWriter& operator<<(int n) { return *this << static_cast<int64_t>(n); }
  HtmlWriter& operator<<(size_t n) { return *this << static_cast<int64_t>(n); }

  // Free text from a record: markdown escapes undone ("\<" reads "<"), blank lines make paragraphs,
  // lines starting "* ", "- ", "• " or "1. " make lists. Everything escaped.
  HtmlWriter& RichText(std::string_view text);
  // <element attr="value"> with each value escaped.
  HtmlWriter& Open(Markup tag,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> attrs);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// A link target: path plus query parameters (empty values dropped), percent-encoded.
//   UrlFor("/search", {{"query.cond", "aplastic anemia"}}) == "/search?query.cond=aplastic%20anemia"
std::string UrlFor(std::string_view path, const std::vector<std::pair<std::string, std::string>>& params = {});

}  // namespace ts
