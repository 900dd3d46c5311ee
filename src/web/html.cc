#include "web/html.h"

#include <optional>

#include "common/strings.h"

namespace ts {

std::string EscapeHtml(std::string_view text) {
  std::string clean = SanitizeUtf8(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': case '\t': out += c; break;
      case '\r': break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string UrlFor(std::string_view path, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string url(path);
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    url += sep;
    url += UrlEncode(k);
    url += '=';
    url += UrlEncode(v);
    sep = '&';
  }
  return url;
}

HtmlWriter& HtmlWriter::Open(Markup tag, std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  out_ += '<';
  out_.append(tag.text());
  for (const auto& [k, v] : attrs) {
    out_ += ' ';
    out_ += EscapeHtml(k);
    out_ += "=\"";
    out_ += EscapeHtml(v);
    out_ += '"';
  }
  out_ += '>';
  return *this;
}

namespace {

// The text of a list item line ("* x", "- x", "• x", "1. x", "1) x"), or nullopt.
std::optional<std::pair<bool, std::string_view>> ListItem(std::string_view line) {
  std::string_view t = Trim(line);
  if (StartsWith(t, "* ") || StartsWith(t, "- ")) return std::make_pair(false, Trim(t.substr(2)));
  if (StartsWith(t, "\xE2\x80\xA2")) return std::make_pair(false, Trim(t.substr(3)));  // •
  size_t i = 0;
  while (i < t.size() && i < 3 && t[i] >= '0' && t[i] <= '9') ++i;
  if (i > 0 && i + 1 < t.size() && (t[i] == '.' || t[i] == ')') && t[i + 1] == ' ') {
    return std::make_pair(true, Trim(t.substr(i + 2)));
  }
  return std::nullopt;
}

}  // namespace

HtmlWriter& HtmlWriter::RichText(std::string_view text) {
  std::string plain = UnescapeMarkdown(text);
  std::vector<std::string_view> lines = Split(plain, '\n');
  enum class Block { kNone, kPara, kUl, kOl } open = Block::kNone;
  auto close = [&] {
    if (open == Block::kPara) *this << Markup("</p>\n");
    if (open == Block::kUl) *this << Markup("</li></ul>\n");
    if (open == Block::kOl) *this << Markup("</li></ol>\n");
    open = Block::kNone;
  };
  for (std::string_view line : lines) {
    std::string_view t = Trim(line);
    if (t.empty()) {
      close();
      continue;
    }
    if (auto item = ListItem(t)) {
      Block want = item->first ? Block::kOl : Block::kUl;
      if (open == want) {
        *this << Markup("</li><li>");
      } else {
        close();
        *this << (want == Block::kOl ? Markup("<ol><li>") : Markup("<ul><li>"));
        open = want;
      }
      *this << item->second;
      continue;
    }
    if (open == Block::kUl || open == Block::kOl) {  // a continuation line of the item
      *this << Markup(" ") << t;
      continue;
    }
    if (open == Block::kPara) {
      *this << Markup("<br>") << t;
    } else {
      *this << Markup("<p>") << t;
      open = Block::kPara;
    }
  }
  close();
  return *this;
}

}  // namespace ts
