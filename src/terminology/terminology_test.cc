#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "terminology/concept_graph.h"
#include "test_paths.h"

namespace ts {
namespace {

class GraphTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto start = std::chrono::steady_clock::now();
    Result<ConceptGraph> g = ConceptGraph::Builtin();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    graph_ = new ConceptGraph(std::move(*g));
    GraphStats s = graph_->stats();
    std::printf("builtin graph: %zu nodes, %zu parent links, %zu ancestor links, %zu codes, %zu names, loaded in %.1f ms\n",
                s.nodes, s.parent_links, s.ancestor_links, s.codes, s.names, ms);
    // The load-time target (well under a second) is measured by bench/eligibility_bench, not here.
  }
  static void TearDownTestSuite() {
    delete graph_;
    graph_ = nullptr;
  }

  static NodeId Id(std::string_view id) {
    std::optional<NodeId> n = graph_->Find(id);
    EXPECT_TRUE(n.has_value()) << id;
    return n.value_or(0);
  }
  // The one node carrying `name`; fails the test when there is none or several.
  static NodeId Named(std::string_view name) {
    NameMatch m = graph_->FindByName(name);
    EXPECT_TRUE(m.Unique()) << name << ": " << m.nodes.size() << " nodes, abbreviation " << m.abbreviation;
    return m.nodes.empty() ? 0 : m.nodes[0];
  }
  static bool IsA(NodeId n, std::string_view ancestor) { return graph_->IsA(n, Id(ancestor)); }

  static ConceptGraph* graph_;
};
ConceptGraph* GraphTest::graph_ = nullptr;

TEST_F(GraphTest, DrugsFallUnderTheirClasses) {
  struct Case {
    const char* drug;
    const char* ancestor;
  } cases[] = {
      {"docetaxel", "MESH:D043823"},          // Taxoids (MeSH chemical tree)
      {"docetaxel", "MESH:D000970"},          // Antineoplastic Agents
      {"Taxotere", "MESH:D000970"},
      {"carboplatin", "MESH:D000970"},
      {"carboplatin", "NDFRT:N0000175413"},   // Platinum-based Drug [EPC]
      {"aspirin", "MESH:D010975"},            // Platelet Aggregation Inhibitors
      {"Acetylsalicylic Acid", "MESH:D010975"},
      {"clopidogrel", "MESH:D010975"},
      {"warfarin", "MESH:D000925"},           // Anticoagulants
      {"ciclosporin", "MESH:D007166"},        // Immunosuppressive Agents
      {"cyclosporine", "MESH:D065095"},       // Calcineurin Inhibitors
      {"Cyclosporin A", "NDFRT:N0000175457"}, // Calcineurin Inhibitor Immunosuppressant [EPC]
      {"eltrombopag", "NDFRT:N0000175973"},   // Thrombopoietin Receptor Agonist [EPC]
      {"romiplostim", "NDFRT:N0000175973"},
  };
  for (const Case& c : cases) EXPECT_TRUE(IsA(Named(c.drug), c.ancestor)) << c.drug << " -> " << c.ancestor;
  // The MeSH action hierarchy: an antineoplastic agent is a therapeutic use.
  EXPECT_TRUE(IsA(Id("MESH:D000970"), "MESH:D045506"));
  // A drug is not its sibling class, nor a drug it sits under in the chemical tree.
  EXPECT_FALSE(IsA(Named("aspirin"), "MESH:D000925"));
  EXPECT_FALSE(IsA(Named("clopidogrel"), "DC:2657"));  // ticlopidine
  EXPECT_FALSE(IsA(Named("warfarin"), "MESH:D000970"));
  // A glucocorticoid is not an antineoplastic agent, though MeSH lists it as one (review round 30: prednisone for a
  // COPD flare counted as prior anti-cancer therapy).
  EXPECT_FALSE(IsA(Named("prednisone"), "MESH:D000970"));
  EXPECT_FALSE(IsA(Named("dexamethasone"), "MESH:D000970"));
  EXPECT_TRUE(IsA(Named("prednisone"), "MESH:D005938"));  // still a glucocorticoid
}

TEST_F(GraphTest, DiseasesFallUnderBroaderDiseases) {
  NodeId nsclc = Id("DOID:3908");
  EXPECT_TRUE(IsA(nsclc, "DOID:3905"));  // lung carcinoma
  EXPECT_TRUE(IsA(nsclc, "DOID:1324"));  // lung cancer
  EXPECT_TRUE(IsA(nsclc, "DOID:162"));   // cancer
  EXPECT_FALSE(IsA(nsclc, "DOID:12449"));
  EXPECT_EQ(Named("non-small cell lung cancer"), nsclc);
  EXPECT_EQ(Named("NSCLC"), nsclc);
  EXPECT_EQ(Named("  Non-Small-Cell   Lung Carcinoma "), nsclc);  // a MeSH entry term, spaces collapsed
  EXPECT_TRUE(IsA(Named("aplastic anaemia"), "DOID:12449"));
  // Links the Disease Ontology lacks, from MeSH's disease trees where both ends name the same thing.
  EXPECT_TRUE(IsA(Id("DOID:10652"), "DOID:1307"));    // Alzheimer's disease -> dementia
  EXPECT_TRUE(IsA(Id("DOID:7148"), "DOID:1575"));     // rheumatoid arthritis -> rheumatic disease
  EXPECT_TRUE(IsA(Id("DOID:2048"), "DOID:409"));      // autoimmune hepatitis -> liver disease
  EXPECT_FALSE(IsA(Id("DOID:0080600"), "DOID:0080642"));  // COVID-19 is not MERS (an entry term of a broader descriptor)
  EXPECT_FALSE(IsA(Id("DOID:0050871"), "DOID:3355"));     // fibroma is not fibrosarcoma (a broader cross-reference)
  // A symptom's MeSH terms do not name the one disease that cross-references it: a seizure is not epilepsy.
  NameMatch seizure = graph_->FindByName("seizure");
  for (NodeId n : seizure.nodes) EXPECT_FALSE(IsA(n, "DOID:1826")) << graph_->node(n).label;
  std::span<const NodeId> up = graph_->Ancestors(nsclc);
  EXPECT_TRUE(std::is_sorted(up.begin(), up.end()));
  EXPECT_EQ(std::find(up.begin(), up.end(), nsclc), up.end());
}

TEST_F(GraphTest, CodesResolveFromShortSystemsAndFhirUris) {
  auto one = [](std::string_view system, std::string_view code) {
    std::vector<NodeId> n = graph_->FindByCode(system, code);
    EXPECT_EQ(n.size(), 1u) << system << " " << code;
    return n.empty() ? static_cast<NodeId>(0) : n[0];
  };
  EXPECT_EQ(one("SNOMED", "254637007"), Id("DOID:3908"));
  EXPECT_EQ(one("http://snomed.info/sct", "254637007"), Id("DOID:3908"));
  EXPECT_EQ(one("DOID", "DOID:3908"), Id("DOID:3908"));
  EXPECT_EQ(one("http://www.nlm.nih.gov/research/umls/rxnorm", "72962"), Named("docetaxel"));
  EXPECT_EQ(one("RXNORM", "1191"), Named("aspirin"));
  EXPECT_EQ(one("http://fdasis.nlm.nih.gov", "15H5577CQD"), Named("docetaxel"));
  EXPECT_EQ(one("MESH", "D000077143"), Named("docetaxel"));
  EXPECT_EQ(one("MESH", "D000970"), Id("MESH:D000970"));
  // ICD-10-CM: exact, with or without the dot, and up the prefix.
  EXPECT_EQ(one("ICD10CM", "D61.9"), Id("DOID:12449"));
  EXPECT_EQ(one("http://hl7.org/fhir/sid/icd-10-cm", "D619"), Id("DOID:12449"));
  EXPECT_EQ(one("ICD10CM", "D61.3"), Id("DOID:12449"));  // D61 takes D61.9 "aplastic anemia, unspecified"
  NodeId lung = one("ICD-10-CM", "C34.90");
  EXPECT_TRUE(IsA(lung, "DOID:162")) << graph_->node(lung).label;
  EXPECT_TRUE(IsA(one("ICD10CM", "C34.11"), "DOID:1324"));
  EXPECT_TRUE(graph_->FindByCode("ICD10CM", "Z99.99").empty());
  EXPECT_TRUE(graph_->FindByCode("LOINC", "777-3").empty());  // analytes stay with the curated table
  EXPECT_TRUE(graph_->FindByCode("http://example.org/unknown", "1").empty());
  EXPECT_TRUE(graph_->FindByCode("SNOMED", "").empty());
}

TEST_F(GraphTest, AmbiguousNamesAreNeverPickedSilently) {
  for (const char* name : {"PE", "MS", "CR", "ALL", "all"}) {
    NameMatch m = graph_->FindByName(name);
    EXPECT_FALSE(m.Unique()) << name;
    if (!m.nodes.empty()) {
      EXPECT_TRUE(m.abbreviation || m.nodes.size() > 1) << name;
    }
  }
  EXPECT_TRUE(graph_->FindByName("").nodes.empty());
  EXPECT_TRUE(graph_->FindByName("no such thing at all").nodes.empty());
}

TEST(ConceptGraphParse, SmallGraphWithACycleAndSeveralParents) {
  VocabTables t;
  t.nodes = "id\tkind\tlabel\nA\tdisease\tAlpha\nB\tdisease\tBeta\nC\tdisease\tGamma\nD\tdrug\tDelta\n";
  t.parents = "child\tparent\nA\tB\nA\tC\nB\tC\nC\tB\n";
  t.codes = "system\tcode\tnode\nICD10CM\tX12.3\tA\nSNOMED\t1\tD\nSNOMED\t1\tA\n";
  t.names = "key\tnode\tflag\nab\tA\tA\nalpha\tD\t-\n";
  t.icd10cm_prefix = "prefix\tnode\tvia\nY12\tB\tY12.9\n";
  Result<ConceptGraph> g = ConceptGraph::Parse(t);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  NodeId a = *g->Find("A"), b = *g->Find("B"), c = *g->Find("C"), d = *g->Find("D");
  EXPECT_TRUE(g->IsA(a, b));
  EXPECT_TRUE(g->IsA(a, c));
  EXPECT_TRUE(g->IsA(b, c));
  EXPECT_TRUE(g->IsA(c, b));  // the cycle closes without looping
  EXPECT_FALSE(g->IsA(b, a));
  EXPECT_EQ(g->Ancestors(a).size(), 2u);
  EXPECT_EQ(g->Ancestors(b).size(), 1u);
  EXPECT_EQ(g->FindByName("ALPHA").nodes, (std::vector<NodeId>{a, d}));
  EXPECT_FALSE(g->FindByName("alpha").Unique());
  EXPECT_TRUE(g->FindByName("AB").abbreviation);
  EXPECT_EQ(g->FindByCode("SNOMED", "1"), (std::vector<NodeId>{a, d}));
  EXPECT_EQ(g->FindByCode("icd10cm", "x12.3"), std::vector<NodeId>{a});
  EXPECT_EQ(g->FindByCode("ICD10CM", "X12.345"), std::vector<NodeId>{a});
  EXPECT_EQ(g->FindByCode("ICD10CM", "Y12.0"), std::vector<NodeId>{b});
  EXPECT_TRUE(g->FindByCode("ICD10CM", "X1").empty());
  EXPECT_EQ(NodeKindName(g->node(d).kind), "drug");
}

TEST(ConceptGraphParse, ErrorsNameTheTableAndLine) {
  VocabTables t;
  t.nodes = "id\tkind\tlabel\nA\tdisease\tAlpha\n";
  t.parents = "child\tparent\nA\tZ\n";
  Result<ConceptGraph> g = ConceptGraph::Parse(t);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "parents.tsv:2: unknown node 'Z'");
  t.parents = "";
  t.nodes = "id\tkind\tlabel\nA\tplanet\tAlpha\n";
  EXPECT_EQ(ConceptGraph::Parse(t).status().message(), "nodes.tsv:2: unknown kind 'planet'");
  t.nodes = "id\tkind\tlabel\nA\tdisease\n";
  EXPECT_EQ(ConceptGraph::Parse(t).status().message(), "nodes.tsv:2: expected 3 tab-separated fields, found 2");
}

TEST(ConceptGraphParse, CutsRemoveLinksAndMustNameOne) {
  VocabTables t;
  t.nodes = "id\tkind\tlabel\nA\tdisease\tAlpha\nB\tdisease\tBeta\nC\tdisease\tGamma\n";
  t.parents = "child\tparent\nA\tB\nB\tC\n";
  t.cuts = "# a comment\nchild\tparent\twhy\nA\tB\tnot what criteria mean\n";
  Result<ConceptGraph> g = ConceptGraph::Parse(t);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_FALSE(g->IsA(*g->Find("A"), *g->Find("B")));
  EXPECT_FALSE(g->IsA(*g->Find("A"), *g->Find("C")));
  EXPECT_TRUE(g->IsA(*g->Find("B"), *g->Find("C")));
  t.cuts = "child\tparent\twhy\nA\tC\tstale\n";
  EXPECT_EQ(ConceptGraph::Parse(t).status().message(), "vocab_cuts.tsv: no link A -> C in parents.tsv to cut");
}

TEST(ConceptGraphBuiltin, ReviewedCutsHold) {
  Result<ConceptGraph> g = ConceptGraph::Builtin();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  // A smoker is not under "substance dependence"; alcohol dependence still is.
  EXPECT_FALSE(g->IsA(*g->Find("DOID:0050742"), *g->Find("DOID:9973")));
  EXPECT_TRUE(g->IsA(*g->Find("DOID:0050741"), *g->Find("DOID:9973")));
  EXPECT_FALSE(g->IsA(*g->Find("DOID:0060319"), *g->Find("DOID:6000")));  // cardiac arrest, heart failure
  EXPECT_TRUE(g->IsA(*g->Find("DOID:9651"), *g->Find("DOID:6000")));      // systolic heart failure
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Re-running scripts/vocab/build_tables.py on ../shared/data/vocab reproduces resources/vocab byte for byte.
TEST(VocabTables, ScriptReproducesTheCommittedTables) {
  const std::string vocab = testing::SharedPath("data/vocab");
  if (!std::filesystem::exists(vocab + "/doid/HumanDO.tsv")) GTEST_SKIP() << "../shared/data/vocab is absent: skipping";
  if (std::system("python3 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is absent: skipping";
  std::filesystem::path out = std::filesystem::temp_directory_path() /
                              ("trialscope_vocab_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::string cmd = "python3 '" + std::string(TS_SOURCE_DIR) + "/scripts/vocab/build_tables.py' --vocab '" + vocab +
                    "' --out '" + out.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::filesystem::path committed = std::filesystem::path(TS_SOURCE_DIR) / "resources" / "vocab";
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(committed)) {
    std::filesystem::path fresh = out / entry.path().filename();
    ASSERT_TRUE(std::filesystem::exists(fresh)) << fresh;
    EXPECT_TRUE(ReadFile(entry.path()) == ReadFile(fresh)) << entry.path().filename() << " differs from a fresh run";
    ++files;
  }
  size_t produced = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(out)) ++produced;
  EXPECT_EQ(files, produced);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace ts
