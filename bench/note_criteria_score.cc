// Scores the note reader and the criteria parser against expert criterion labels (TrialGPT's
// criterion-level annotations: a patient note, one criterion, the expert's label among the six, and the note's
// sentences the expert used). Each criterion text is compiled with the served (gated) CriteriaParser as the
// only criterion of its section, the note is read with NoteReader, and the criterion is labelled by
// CheckNote. No rule here knows a trial or an annotation.
//   note_criteria_score FILE --out PRED.jsonl [--as-of YYYY-MM-DD] [--ungated] [--trace]
// Writes {"annotation_id": N, "label": "...", "sentences": [..]} per pair to --out and prints accuracy overall
// and per expert label, the confusion matrix, the evidence-sentence overlap, the majority-label baseline on
// the same pairs and the time per pair. --ungated compiles with every form the grammar reads (for review).
// --trace prints each pair to stderr: the expert's label and ours, each criterion's label, basis and rule.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <simdjson.h>

#include "common/json_writer.h"
#include "eligibility/rule_parser.h"
#include "eligibility/screening.h"
#include "notes/note_reader.h"
#include "notes/note_screening.h"

namespace ts {
namespace {

struct Pair {
  int64_t id = 0;
  std::string note, title, type, text, expert;
  std::set<int> expert_sentences;
};

std::set<int> ParseSentenceList(std::string_view s) {
  std::set<int> out;
  int v = 0;
  bool in = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      in = true;
    } else {
      if (in) out.insert(v);
      v = 0;
      in = false;
    }
  }
  if (in) out.insert(v);
  return out;
}

bool ReadPairs(const std::string& path, std::vector<Pair>* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(path).get(doc)) {
    std::cerr << path << ": not a JSON file\n";
    return false;
  }
  simdjson::dom::array arr;
  if (doc.get_array().get(arr)) {
    std::cerr << path << ": expected an array of annotations\n";
    return false;
  }
  for (simdjson::dom::element e : arr) {
    Pair p;
    std::string_view sv;
    if (e["annotation_id"].get_int64().get(p.id)) {
      std::cerr << path << ": an annotation without annotation_id\n";
      return false;
    }
    auto str = [&](const char* key, std::string* to) {
      if (!e[key].get_string().get(sv)) *to = std::string(sv);
    };
    str("note", &p.note);
    str("trial_title", &p.title);
    str("criterion_type", &p.type);
    str("criterion_text", &p.text);
    str("expert_eligibility", &p.expert);
    std::string sentences;
    str("expert_sentences", &sentences);
    if (sentences.empty()) {
      simdjson::dom::array list;
      if (!e["expert_sentences"].get_array().get(list)) {
        for (simdjson::dom::element n : list) {
          int64_t v = 0;
          if (!n.get_int64().get(v)) p.expert_sentences.insert(static_cast<int>(v));
        }
      }
    } else {
      p.expert_sentences = ParseSentenceList(sentences);
    }
    out->push_back(std::move(p));
  }
  return true;
}

// Several criteria in one text: an inclusion holds when all do, an exclusion when any does; an open part
// leaves the whole open; parts that do not apply are ignored.
ExpertLabel Combine(const std::vector<ExpertLabel>& labels, bool inclusion) {
  std::vector<ExpertLabel> applicable;
  for (ExpertLabel l : labels) {
    if (l != ExpertLabel::kNotApplicable) applicable.push_back(l);
  }
  if (applicable.empty()) return labels.empty() ? ExpertLabel::kNotEnoughInformation : ExpertLabel::kNotApplicable;
  auto has = [&](ExpertLabel l) { return std::find(applicable.begin(), applicable.end(), l) != applicable.end(); };
  ExpertLabel against = inclusion ? ExpertLabel::kNotIncluded : ExpertLabel::kExcluded;
  if (inclusion && has(against)) return against;
  if (!inclusion && has(against)) return against;
  if (has(ExpertLabel::kNotEnoughInformation)) return ExpertLabel::kNotEnoughInformation;
  return applicable.front();
}

int Run(int argc, char** argv) {
  std::string file, out_path, as_of_text = "2026-12-01";
  bool ungated = false, trace = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--out" && i + 1 < argc) out_path = argv[++i];
    else if (a == "--as-of" && i + 1 < argc) as_of_text = argv[++i];
    else if (a == "--ungated") ungated = true;
    else if (a == "--trace") trace = true;
    else if (file.empty() && a[0] != '-') file = a;
    else {
      std::cerr << "usage: note_criteria_score FILE --out PRED.jsonl [--as-of YYYY-MM-DD] [--ungated] [--trace]\n";
      return 2;
    }
  }
  if (file.empty() || out_path.empty()) {
    std::cerr << "usage: note_criteria_score FILE --out PRED.jsonl [--as-of YYYY-MM-DD] [--ungated] [--trace]\n";
    return 2;
  }
  auto as_of = PartialDate::Parse(as_of_text);
  auto concepts = ConceptTable::Builtin();
  auto lexicon = NoteLexicon::Builtin();
  if (!as_of.ok() || !concepts.ok() || !lexicon.ok()) {
    std::cerr << "note_criteria_score: cannot load the built-in tables or the date\n";
    return 1;
  }
  std::vector<Pair> pairs;
  if (!ReadPairs(file, &pairs)) return 1;
  CriteriaParser parser(*concepts, ungated ? FormGating::kNone : FormGating::kReviewed);
  NoteReader reader(*concepts, *lexicon);
  std::ofstream out(out_path);
  if (!out) {
    std::cerr << "note_criteria_score: cannot write " << out_path << "\n";
    return 1;
  }
  std::map<std::string, std::map<std::string, int>> confusion;  // expert -> ours -> count
  std::map<std::string, std::map<std::string, int>> by_type;    // criterion type -> expert label -> count
  int right = 0, overlap = 0, both = 0, read_errors = 0;
  size_t ours_total = 0, ours_in_expert = 0, expert_total = 0, expert_found = 0;
  double seconds = 0;
  for (const Pair& p : pairs) {
    bool inclusion = p.type == "inclusion";
    auto t0 = std::chrono::steady_clock::now();
    Study study;
    study.identification.nct_id = "NCT00000000";
    study.identification.brief_title = p.title;
    std::string text = p.text;
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    study.eligibility.criteria = std::string(inclusion ? "Inclusion Criteria:\n\n* " : "Exclusion Criteria:\n\n* ") + text + "\n";
    CompiledStudy cs = CompileStudy(study, parser);
    std::vector<ExpertLabel> labels;
    std::set<int> sentences;
    auto reading = reader.Read(p.note, *as_of);
    if (reading.ok()) {
      NoteCheck nc = CheckNote(cs, *concepts, *reading, *as_of);
      for (const CriterionLabel& l : nc.labels) {
        labels.push_back(l.label);
        if (trace) {
          std::cerr << "  " << ExpertLabelName(l.label) << " [" << LabelBasisName(l.basis) << "] "
                    << cs.criteria[l.index].rule.ToString(*concepts) << "\n";
        }
        sentences.insert(l.sentences.begin(), l.sentences.end());
      }
    } else {
      ++read_errors;
    }
    ExpertLabel label = Combine(labels, inclusion);
    if (trace) {
      std::cerr << p.id << " expert=" << p.expert << " ours=" << ExpertLabelName(label) << " | " << text << "\n";
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string ours(ExpertLabelName(label));
    std::string line = "{\"annotation_id\": " + std::to_string(p.id) + ", \"label\": ";
    AppendJsonString(ours, &line);
    line += ", \"sentences\": [";
    bool first = true;
    for (int s : sentences) {
      line += (first ? "" : ", ") + std::to_string(s);
      first = false;
    }
    out << line << "]}\n";
    confusion[p.expert][ours]++;
    by_type[p.type][p.expert]++;
    if (ours == p.expert) ++right;
    if (!sentences.empty() && !p.expert_sentences.empty()) {
      ++both;
      bool any = false;
      for (int s : sentences) any = any || p.expert_sentences.count(s);
      overlap += any;
    }
    ours_total += sentences.size();
    expert_total += p.expert_sentences.size();
    for (int s : sentences) ours_in_expert += p.expert_sentences.count(s);
    for (int s : p.expert_sentences) expert_found += sentences.count(s);
  }
  size_t n = pairs.size();
  auto pct = [](double a, double b) { char buf[32]; std::snprintf(buf, sizeof buf, "%.1f%%", b > 0 ? 100.0 * a / b : 0.0); return std::string(buf); };
  std::cout << "== " << file << ": " << n << " pairs (" << (ungated ? "ungated" : "gated, as served") << ")\n";
  std::cout << "accuracy: " << right << "/" << n << " = " << pct(right, static_cast<double>(n)) << "\n";
  int majority = 0;
  for (const auto& [type, counts] : by_type) {
    int best = 0;
    std::string best_label;
    for (const auto& [label, c] : counts) {
      if (c > best) { best = c; best_label = label; }
    }
    majority += best;
    std::cout << "majority label for " << type << ": " << best_label << "\n";
  }
  std::cout << "majority-label baseline: " << majority << "/" << n << " = " << pct(majority, static_cast<double>(n)) << "\n";
  std::cout << "per expert label (recall):\n";
  for (const auto& [expert, row] : confusion) {
    int total = 0;
    for (const auto& [o, c] : row) total += c;
    int ok = row.count(expert) ? row.at(expert) : 0;
    std::cout << "  " << expert << ": " << ok << "/" << total << " = " << pct(ok, total) << "\n";
  }
  std::cout << "per predicted label (precision):\n";
  std::map<std::string, int> predicted, predicted_right;
  for (const auto& [expert, row] : confusion) {
    for (const auto& [o, c] : row) {
      predicted[o] += c;
      if (o == expert) predicted_right[o] += c;
    }
  }
  for (const auto& [o, c] : predicted) std::cout << "  " << o << ": " << predicted_right[o] << "/" << c << " = " << pct(predicted_right[o], c) << "\n";
  std::cout << "confusion (rows expert, columns ours):\n";
  const char* kLabels[] = {"included", "not included", "excluded", "not excluded", "not enough information", "not applicable"};
  std::cout << "  " << std::string(24, ' ');
  for (const char* l : kLabels) std::printf(" %6.6s", l);
  std::cout << std::flush;
  std::printf("\n");
  for (const char* e : kLabels) {
    if (!confusion.count(e)) continue;
    std::printf("  %-24s", e);
    for (const char* o : kLabels) std::printf(" %6d", confusion[e].count(o) ? confusion[e][o] : 0);
    std::printf("\n");
  }
  std::fflush(stdout);
  std::cout << "evidence sentences: " << overlap << "/" << both << " pairs with sentences on both sides overlap ("
            << pct(overlap, both) << "); of our sentences " << pct(static_cast<double>(ours_in_expert), static_cast<double>(ours_total))
            << " are the experts'; of the experts' " << pct(static_cast<double>(expert_found), static_cast<double>(expert_total))
            << " are ours\n";
  if (read_errors) std::cout << "notes the reader refused: " << read_errors << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f ms", n ? 1000.0 * seconds / static_cast<double>(n) : 0.0);
  std::cout << "time per pair (compile the criterion, read the note, check): " << buf << "\n";
  return 0;
}

}  // namespace
}  // namespace ts

int main(int argc, char** argv) { return ts::Run(argc, argv); }
