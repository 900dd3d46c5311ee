#include <algorithm>

#include "common/strings.h"
#include "search/query.h"

namespace ts {

namespace {

struct Lexeme {
  enum class Type { kWord, kPhrase, kAnd, kOr, kNot, kOpen, kClose, kEnd };
  Type type;
  std::string text;
  size_t pos;  // 1-based character offset in the query
};

Result<std::vector<Lexeme>> Lex(std::string_view q) {
  std::vector<Lexeme> out;
  size_t i = 0;
  while (i < q.size()) {
    char c = q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Lexeme::Type::kOpen : Lexeme::Type::kClose, std::string(1, c), i + 1});
      ++i;
    } else if (c == '"') {
      size_t end = q.find('"', i + 1);
      if (end == std::string_view::npos) {
        return Status::InvalidArgument("unterminated quote at " + std::to_string(i + 1));
      }
      out.push_back({Lexeme::Type::kPhrase, std::string(q.substr(i + 1, end - i - 1)), i + 1});
      i = end + 1;
    } else {
      size_t start = i;
      while (i < q.size() && q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r' && q[i] != '(' &&
             q[i] != ')' && q[i] != '"') {
        ++i;
      }
      std::string w(q.substr(start, i - start));
      Lexeme::Type t = Lexeme::Type::kWord;
      if (w == "AND") t = Lexeme::Type::kAnd;
      if (w == "OR") t = Lexeme::Type::kOr;
      if (w == "NOT") t = Lexeme::Type::kNot;
      out.push_back({t, w, start + 1});
    }
  }
  out.push_back({Lexeme::Type::kEnd, "", q.size() + 1});
  return out;
}

class Parser {
 public:
  Parser(const AreaSpec& area, std::vector<Lexeme> lex, Analyzer& analyzer, const QueryLimits& limits,
         std::vector<std::string>* warnings)
      : area_(area), lex_(std::move(lex)), analyzer_(analyzer), limits_(limits), warnings_(warnings) {}

  Result<QueryNode> Parse() {
    auto n = ParseOr(0);
    if (!n.ok()) return n;
    if (Peek().type == Lexeme::Type::kClose) return Error("unbalanced ')'", Peek().pos);
    if (Peek().type != Lexeme::Type::kEnd) return Error("unexpected \"" + Peek().text + "\"", Peek().pos);
    return n;
  }

 private:
  const Lexeme& Peek() const { return lex_[i_]; }
  static Status Error(const std::string& what, size_t pos) {
    return Status::InvalidArgument(what + " at " + std::to_string(pos));
  }
  bool StartsOperand() const {
    auto t = Peek().type;
    return t == Lexeme::Type::kWord || t == Lexeme::Type::kPhrase || t == Lexeme::Type::kOpen ||
           t == Lexeme::Type::kNot;
  }

  Result<QueryNode> ParseOr(size_t depth) {
    if (depth > limits_.max_depth) return Error("query nested too deeply", Peek().pos);
    auto first = ParseAnd(depth);
    if (!first.ok()) return first;
    QueryNode node;
    node.kind = QueryNode::Kind::kOr;
    node.children.push_back(std::move(*first));
    while (Peek().type == Lexeme::Type::kOr) {
      size_t pos = Peek().pos;
      ++i_;
      if (!StartsOperand()) return Error("OR needs a term after it", pos);
      auto next = ParseAnd(depth);
      if (!next.ok()) return next;
      node.children.push_back(std::move(*next));
    }
    return Simplify(std::move(node));
  }

  Result<QueryNode> ParseAnd(size_t depth) {
    QueryNode node;
    node.kind = QueryNode::Kind::kAnd;
    if (!StartsOperand()) {
      if (Peek().type == Lexeme::Type::kAnd || Peek().type == Lexeme::Type::kOr) {
        return Error(Peek().text + " needs a term before it", Peek().pos);
      }
      if (Peek().type == Lexeme::Type::kClose) return Error("unbalanced ')'", Peek().pos);
      return Error("expected a term", Peek().pos);
    }
    while (true) {
      if (Peek().type == Lexeme::Type::kAnd) {
        size_t pos = Peek().pos;
        ++i_;
        if (!StartsOperand()) return Error("AND needs a term after it", pos);
      } else if (!StartsOperand()) {
        break;
      }
      auto n = ParseUnary(depth);
      if (!n.ok()) return n;
      if (n->kind != QueryNode::Kind::kAll) node.children.push_back(std::move(*n));
    }
    return Simplify(std::move(node));
  }

  Result<QueryNode> ParseUnary(size_t depth) {
    if (depth > limits_.max_depth) return Error("query nested too deeply", Peek().pos);
    const Lexeme& l = Peek();
    if (l.type == Lexeme::Type::kNot) {
      ++i_;
      if (!StartsOperand()) return Error("NOT needs a term after it", l.pos);
      auto inner = ParseUnary(depth + 1);
      if (!inner.ok()) return inner;
      if (inner->kind == QueryNode::Kind::kAll) return QueryNode{};  // NOT of nothing: ignored
      QueryNode n;
      n.kind = QueryNode::Kind::kNot;
      n.children.push_back(std::move(*inner));
      return n;
    }
    if (l.type == Lexeme::Type::kOpen) {
      size_t pos = l.pos;
      ++i_;
      auto inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner;
      if (Peek().type != Lexeme::Type::kClose) return Error("unbalanced '('", pos);
      ++i_;
      return inner;
    }
    ++i_;
    return Leaf(l);
  }

  // A word or phrase: analysed into one term or a phrase; stop words alone vanish.
  Result<QueryNode> Leaf(const Lexeme& l) {
    if (l.type == Lexeme::Type::kWord) {
      std::string lower = ToLowerAscii(l.text);
      if (lower == "or" || lower == "and" || lower == "not") {
        warnings_->push_back("lower-case \"" + l.text + "\" at " + std::to_string(l.pos) +
                             " is searched as a word" + (lower == "not" ? "" : " (a stop word, so ignored)") +
                             "; write " + ToUpper(lower) + " to combine terms");
      }
    }
    Alternative alt = AnalyzeAlternative(l.text, analyzer_);
    if (alt.terms.empty()) return QueryNode{};  // only stop words or punctuation
    if (++leaves_ > limits_.max_leaves) return Error("too many terms", l.pos);
    QueryNode n;
    n.kind = QueryNode::Kind::kMatch;
    n.area = &area_;
    n.source = l.text;
    n.alternatives.push_back(std::move(alt));
    return n;
  }

  static std::string ToUpper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  // Children that vanished (only stop words: kAll) are dropped; an AND/OR with one child is that
  // child; with none it vanishes too.
  static QueryNode Simplify(QueryNode n) {
    std::erase_if(n.children, [](const QueryNode& c) { return c.kind == QueryNode::Kind::kAll; });
    if (n.children.empty()) return QueryNode{};
    if (n.children.size() == 1) return std::move(n.children[0]);
    return n;
  }

  const AreaSpec& area_;
  std::vector<Lexeme> lex_;
  Analyzer& analyzer_;
  const QueryLimits& limits_;
  std::vector<std::string>* warnings_;
  size_t i_ = 0;
  size_t leaves_ = 0;
};

}  // namespace

Alternative AnalyzeAlternative(std::string_view text, Analyzer& analyzer) {
  Alternative alt;
  alt.label = std::string(text);
  uint32_t first = 0;
  for (const Token& t : analyzer.Analyze(text)) {
    if (t.variant) continue;
    if (alt.terms.empty()) first = t.position;
    alt.terms.push_back(t.term);
    alt.offsets.push_back(t.position - first);
  }
  return alt;
}

std::string QueryNode::ToString() const {
  switch (kind) {
    case Kind::kAll: return "*";
    case Kind::kMatch: {
      std::string out;
      for (size_t a = 0; a < alternatives.size(); ++a) {
        const Alternative& alt = alternatives[a];
        if (a) out += " | ";
        std::string body;
        for (size_t t = 0; t < alt.terms.size(); ++t) body += (t ? " " : "") + alt.terms[t];
        out += alt.terms.size() > 1 ? "\"" + body + "\"" : body;
      }
      std::string prefix = std::string(area ? area->param : "?") + ":";
      return alternatives.size() > 1 ? prefix + "(" + out + ")" : prefix + out;
    }
    case Kind::kNot: return "NOT " + children[0].ToString();
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i) out += kind == Kind::kAnd ? " AND " : " OR ";
        out += children[i].ToString();
      }
      return out + ")";
    }
  }
  return "?";
}

Result<Query> ParseQuery(const AreaSpec& area, std::string_view text, Analyzer& analyzer, const QueryLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::InvalidArgument(std::string(area.param) + ": query longer than " + std::to_string(limits.max_bytes) +
                                   " bytes");
  }
  if (!IsValidUtf8(text)) return Status::InvalidArgument(std::string(area.param) + ": query is not valid UTF-8");
  auto lex = Lex(text);
  if (!lex.ok()) return lex.status().WithContext(area.param);
  Query q;
  Parser p(area, std::move(*lex), analyzer, limits, &q.warnings);
  auto root = p.Parse();
  if (!root.ok()) return root.status().WithContext(area.param);
  if (root->kind == QueryNode::Kind::kAll && !Trim(text).empty()) {
    return Status::InvalidArgument(std::string(area.param) + ": no searchable words in \"" +
                                   std::string(text.substr(0, 80)) + "\"");
  }
  q.root = std::move(*root);
  return q;
}

Query CombineQueries(std::vector<Query> parts) {
  Query out;
  QueryNode all;
  all.kind = QueryNode::Kind::kAnd;
  for (auto& p : parts) {
    for (auto& w : p.warnings) out.warnings.push_back(std::move(w));
    if (p.root.kind != QueryNode::Kind::kAll) all.children.push_back(std::move(p.root));
  }
  if (all.children.size() == 1) {
    out.root = std::move(all.children[0]);
  } else if (!all.children.empty()) {
    out.root = std::move(all);
  }
  return out;
}

}  // namespace ts
