#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "common/binary_io.h"
#include "common/strings.h"
#include "eligibility/criteria_text.h"
#include "eligibility/match_plan.h"
#include "eligibility/rule_parser.h"
#include "eligibility/screening.h"
#include "ingest/ctgov_json.h"

namespace ts {
namespace {

const ConceptTable& Concepts() {
  static const ConceptTable kTable = *ConceptTable::Builtin();  // test-only cache
  return kTable;
}

std::string Parse(std::string_view text, CriterionKind kind = CriterionKind::kInclusion) {
  return CriteriaParser(Concepts()).ParseCriterion(text, kind).ToString(Concepts());
}

TEST(Units, ConvertsTheUnitsCriteriaUse) {
  EXPECT_DOUBLE_EQ(*ConvertUnit(150, "10*3/uL", "10*9/L", 0), 150);
  EXPECT_DOUBLE_EQ(*ConvertUnit(35000, "/uL", "10*9/L", 0), 35);
  EXPECT_NEAR(*ConvertUnit(8.1, "g/dL", "g/L", 0), 81, 1e-9);
  EXPECT_NEAR(*ConvertUnit(1000, "ng/mL", "ug/L", 0), 1000, 1e-9);
  EXPECT_NEAR(*ConvertUnit(1.2, "mg/dL", "umol/L", 113.12), 106.08, 0.01);  // creatinine
  EXPECT_NEAR(*ConvertUnit(1.0, "mg/dL", "umol/L", 584.66), 17.1, 0.01);    // bilirubin
  EXPECT_FALSE(ConvertUnit(1.2, "mg/dL", "umol/L", 0).ok());                 // no molar mass: refuse
  EXPECT_FALSE(ConvertUnit(30, "U/L", "10*9/L", 0).ok());
  EXPECT_EQ(ParseUnit("×10⁹/L")->code, "10*9/L");
  EXPECT_EQ(ParseUnit("×109/L")->code, "10*9/L");
  EXPECT_EQ(ParseUnit("x 10^9/l")->code, "10*9/L");
  EXPECT_EQ(ParseUnit("G/L")->code, "10*9/L");
  EXPECT_EQ(ParseUnit("g/L")->code, "g/L");
  EXPECT_EQ(ParseUnit("ml/min/1.73m²")->code, "mL/min/{1.73_m2}");
  EXPECT_EQ(ParseUnit("msec")->code, "ms");
  EXPECT_EQ(ParseUnit("µmol/L")->code, "umol/L");
  EXPECT_FALSE(ParseUnit("furlongs").has_value());
}

TEST(Concepts, ClassifyPutsVocabularyFactsUnderCuratedConcepts) {
  struct Case {
    const char* system;
    const char* code;
    const char* text;
    std::vector<std::string> want;
  } cases[] = {
      {"http://www.nlm.nih.gov/research/umls/rxnorm", "72962", "", {"chemotherapy", "anticancer"}},  // docetaxel
      {"", "", "Carboplatin", {"chemotherapy", "anticancer"}},
      {"", "", "aspirin", {"antiplatelet"}},
      {"RXNORM", "32968", "", {"antiplatelet"}},                                  // clopidogrel
      {"http://fdasis.nlm.nih.gov", "5Q7ZVV76EI", "", {"anticoagulant"}},          // warfarin (UNII)
      {"", "", "Sandimmune", {"immunosuppressive", "ciclosporin"}},                // ciclosporin, a brand
      {"", "", "ciclosporin", {"ciclosporin", "immunosuppressive"}},               // curated first
      {"http://fdasis.nlm.nih.gov", "4U07F515LG", "", {"tpo_ra", "eltrombopag"}},  // eltrombopag (UNII)
      {"http://hl7.org/fhir/sid/icd-10-cm", "C34.90", "", {"malignancy", "solid_tumor"}},  // lung
      {"http://snomed.info/sct", "254637007", "", {"malignancy", "solid_tumor"}},          // NSCLC
      {"", "", "non-small cell lung cancer", {"malignancy", "solid_tumor"}},
      {"http://snomed.info/sct", "154807001", "", {"aplastic_anemia"}},
      {"ICD10CM", "D61.9", "", {"aplastic_anemia"}},
      {"", "", "acute myeloid leukemia", {"aml", "malignancy", "leukemia"}},
      {"", "", "warfarin 5 mg oral tablet", {}},  // only whole names: no mention search in the graph
      {"", "", "ALL", {}},                        // an abbreviation with several meanings
      {"RXNORM", "0000000", "", {}},
  };
  for (const Case& c : cases) {
    // The curated concepts come first; vocabulary concepts ("DOID:3908") are checked below.
    std::vector<std::string> curated;
    for (const std::string& id : Concepts().Classify(c.system, c.code, c.text)) {
      if (id.find(':') == std::string::npos) curated.push_back(id);
    }
    EXPECT_EQ(curated, c.want) << c.system << " " << c.code << " " << c.text;
  }
  // A fact also falls under the vocabulary concepts of its node and the node's ancestors, which criteria
  // text can name: SNOMED CT NSCLC is under DOID:3908 (lung non-small cell carcinoma) and DOID:3905 (lung carcinoma).
  std::vector<std::string> nsclc = Concepts().Classify("http://snomed.info/sct", "254637007", "");
  for (std::string_view id : {"DOID:3908", "DOID:3905"}) {
    EXPECT_NE(std::find(nsclc.begin(), nsclc.end(), id), nsclc.end()) << id;
  }
  // Criteria text names vocabulary concepts the curated table lacks, and IsA follows the graph.
  std::vector<ConceptMention> ms = Concepts().FindMentions("stage IV non-small cell lung cancer, prior docetaxel");
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].concept_ref->id, "DOID:3908");
  EXPECT_EQ(ms[1].concept_ref->id, "DC:939");
  EXPECT_TRUE(Concepts().IsA("DOID:3908", "solid_tumor"));
  EXPECT_TRUE(Concepts().IsA("DC:939", "chemotherapy"));
  EXPECT_FALSE(Concepts().IsA("solid_tumor", "DOID:3908"));
  // A table without a graph knows only its own codes and names.
  auto plain = ConceptTable::Parse("therapy\tx\tx\t-\tMESH:D000970\t-\tex\n", "t.tsv");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->Classify("", "", "docetaxel").empty());
  // A vocabulary code the graph does not hold is a typo in the curated file.
  auto typo = ConceptTable::Parse("therapy\tx\tx\t-\tMESH:D999999\t-\tex\n", "t.tsv",
                                  std::shared_ptr<const ConceptGraph>(Concepts().graph(), [](const ConceptGraph*) {}));
  EXPECT_FALSE(typo.ok());
}

TEST(CriteriaText, SplitsRunOnListsByTheirNumbering) {
  auto c = SplitCriteria("Inclusion Criteria:\n\n* 1.Age \\>= 18 years; 2.Diagnosed with NSAA; 3.Must meet:\n\n"
                         "  1. First sub\n  2. Second sub; 4.Serum ferritin \\>= 1000 ng/ml (version 5.0)\n\n"
                         "Exclusion Criteria:\n\n1. Pregnant\n2. HIV infection\n");
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0].text, "Age >= 18 years");
  EXPECT_EQ(c[2].label, "3");
  EXPECT_EQ(c[3].label, "3.1");
  EXPECT_EQ(c[3].parent, 2);
  EXPECT_EQ(c[4].text, "Second sub");
  EXPECT_EQ(c[5].label, "4");
  EXPECT_EQ(c[5].text, "Serum ferritin >= 1000 ng/ml (version 5.0)");
  EXPECT_EQ(c[5].parent, -1);
  EXPECT_EQ(c[6].kind, CriterionKind::kExclusion);
  EXPECT_EQ(c[6].label, "1");
}

// Round 24 (2026-12-07): two performance scales side by side are alternatives; a value in another specimen
// than blood is not a blood value; an inclusion's "Women 45-64" keeps its sex.
TEST(Parser, ReadsRoundTwentyFourPatterns) {
  EXPECT_EQ(Parse("Performance status: ECOG 0-2 Karnofsky 70-100%"),
            "(ECOG performance status [LOINC 89247-1] 0..2 OR Karnofsky performance status [LOINC 89243-0] 70..100) "
            "AND not computable: \"Performance status\"");
  // Joined by "and", the text asks for both.
  EXPECT_EQ(Parse("ECOG 0-1 and Karnofsky >= 70%"),
            "ECOG performance status [LOINC 89247-1] 0..1 AND Karnofsky performance status [LOINC 89243-0] >= 70");
  EXPECT_EQ(Parse("CSF WBC < 5/mm3").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("WBC less than 5/mm3 in the cerebrospinal fluid").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Normal cerebrospinal fluid Preterm: WBC no greater than 30 Term: WBC no greater than 25").find("[LOINC"),
            std::string::npos);
  // "G-CSF" is a drug, and a urine test listed after a blood value does not move it.
  EXPECT_EQ(Parse("ANC at least 1,000/mm3 (without G-CSF support)").find("absolute neutrophil count [LOINC 751-8] >= 1000"), 0u);
  EXPECT_NE(Parse("Creatinine less than 1.6 mg/dL Urinary RBC levels 0-2").find("creatinine [LOINC 2160-0] < 1.6 mg/dL"),
            std::string::npos);
  EXPECT_EQ(Parse("Women 45-64 years of age."), "sex = female AND age 45..64 a");
  // Women of childbearing potential are one group of several: no sex rule from the opening words.
  EXPECT_EQ(Parse("Women of childbearing potential 18-45 years").find("sex = female"), std::string::npos);
  EXPECT_EQ(Parse("Women 45-64 years", CriterionKind::kExclusion).find("sex = female AND"), std::string::npos);
}

// Round 25 (2026-12-07): a criterion holding its own amendment, a dose beside the drug, items under a heading
// that defines a term.
TEST(Parser, ReadsRoundTwentyFivePatterns) {
  EXPECT_EQ(Parse("CD4+ cell count 50 to 300 cells/mm3 [AS PER AMENDMENT 10/31/97: 50 to 350 cells/mm3]").find("[LOINC"),
            std::string::npos);
  EXPECT_EQ(Parse("Intolerant to low dose of telmisartan", CriterionKind::kExclusion).find("allergy"), std::string::npos);
  EXPECT_EQ(Parse("The upper target for INR is no greater than 3.").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("INR goal 2-3").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Karnofsky 70%-100% (over age 16) Lansky 70%-100% (ages 6-16)").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Sulfur allergy", CriterionKind::kExclusion).find("allergy:"), std::string::npos);
  EXPECT_EQ(Parse("No prior sclerosing injection").find("therapy:"), std::string::npos);
  // An INR measured for everyone stays typed.
  EXPECT_EQ(Parse("INR <= 1.5"), "INR [LOINC 6301-6] <= 1.5 {ratio}");
  CriteriaParser parser(Concepts());
  auto items = parser.Parse("Inclusion Criteria:\n\n* Specific criteria defining life-threatening histoplasmosis include:\n"
                            "* SGOT > 10 x upper limit of normal or bilirubin > 3 x upper limit of normal.\n");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[1].rule.HasTypedPart()) << items[1].rule.ToString(Concepts());
}

// Round 26 (2026-12-07): a scale the parser does not read beside one it does.
TEST(Parser, ReadsRoundTwentySixPatterns) {
  EXPECT_EQ(Parse("WHO 0-2 OR Karnofsky 50-100%").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Karnofsky 70-100% Lansky 50-100%").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Male and/or female patients from 30-80 years of age"), "age 30..80 a");
  // In a clause all in capitals "WHO" is the word "who".
  EXPECT_EQ(Parse("KARNOFSKY 70-100%"), "Karnofsky performance status [LOINC 89243-0] 70..100");
}

TEST(Parser, ReadsRoundTwentySevenPatterns) {
  constexpr CriterionKind kEx = CriterionKind::kExclusion;
  // An opening line that names men and an age requires both (it read "NOT male OR age": any woman passed).
  EXPECT_EQ(Parse("Males 35-55 years old"), "sex = male AND age 35..55 a");
  EXPECT_EQ(Parse("Men aged 18-70 and women aged 18-55"), "NOT sex = male OR age 18..70 a");
  // Childbearing potential as an item beside pregnancy is a question, not dropped.
  EXPECT_EQ(Parse("Pregnant, lactating, or of child-bearing potential.", kEx),
            "pregnant OR breastfeeding OR not computable: \"child-bearing potential\"");
  EXPECT_EQ(Parse("Women in childbearing age, pregnancy and breast-feeding", kEx),
            "not computable: \"childbearing age\" OR pregnant OR breastfeeding");
  EXPECT_EQ(Parse("Women of childbearing potential who are pregnant or breastfeeding", kEx), "pregnant OR breastfeeding");
  // An infant who is breast-fed is not a patient who breastfeeds.
  EXPECT_EQ(Parse("Are breast-fed.", kEx), "not computable: \"breast-fed\"");
  // A threshold for patients of some weight is a subgroup's.
  EXPECT_EQ(Parse("Creatinine clearance greater than 50 mL/min in patients weighing at least 45 kg").find("[LOINC"),
            std::string::npos);
  // Contraception during the study is a promise: asked unless in use.
  EXPECT_NE(Parse("Fertile patients must use effective contraception during and for 3 months after study").find("OR not computable: willingness"),
            std::string::npos);
}

TEST(Parser, ReadsRoundTwentyEightPatterns) {
  // ">/=" is the ASCII spelling of "≥" (it read "age = 18", failing every adult over 18).
  EXPECT_EQ(Parse(">/= 18 years of age"), "age >= 18 a");
  EXPECT_EQ(Parse("Platelets </= 100,000/mm3", CriterionKind::kExclusion), "platelet count [LOINC 777-3] <= 100000 /uL");
  // An age in brackets defines the negated words before it: "No minors" is not "age < 18".
  EXPECT_EQ(Parse("No minors (under 18 years of age).").find("age <"), std::string::npos);
  // "This pregnancy" is a time (a trial of pregnant women), not a pregnancy to exclude.
  EXPECT_EQ(Parse("Amniocentesis occurring in this pregnancy prior to study entry", CriterionKind::kExclusion).find("pregnant"),
            std::string::npos);
  // Contraception asked of the adolescents of a children's study is a subgroup's rule.
  EXPECT_EQ(Parse("Effective contraception required of all adolescent patients").find("uses effective contraception"),
            std::string::npos);
}

TEST(Parser, ReadsRoundTwentyNinePatterns) {
  // Opening age lines (round 29 and the TrialGPT criteria): "18+", "years or older", "adults" agreeing with the limit.
  EXPECT_EQ(Parse("Age 18+"), "age >= 18 a");
  EXPECT_EQ(Parse("Men and women 21 years or older"), "age >= 21 a");
  EXPECT_EQ(Parse("Adults 18-70 years of age"), "age 18..70 a");
  // "=" before an age or a single score is a lost ">=" or "<=": no rule at all beats "age = 18".
  EXPECT_EQ(Parse("Age = 18 years").find("age ="), std::string::npos);
  EXPECT_EQ(Parse("ECOG performance status = 2").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("ECOG = 0, 1 or 2"), "ECOG performance status [LOINC 89247-1] 0..2");
  EXPECT_EQ(Parse("Expected survival time=3 months").find("life expectancy ="), std::string::npos);  // round 31
  // Pregnancy that names a disease or a group, in a trial of pregnant women, is not a pregnancy to exclude.
  EXPECT_EQ(Parse("Hypertensive disorders of pregnancy", CriterionKind::kExclusion).find("pregnant"), std::string::npos);
  EXPECT_EQ(Parse("Pregnant women whose ultrasound shows a fetal anomaly", CriterionKind::kExclusion).find("pregnant"),
            std::string::npos);
  EXPECT_EQ(Parse("Multi-fetal pregnancy", CriterionKind::kExclusion).find("pregnant"), std::string::npos);
  EXPECT_EQ(Parse("Current pregnancy", CriterionKind::kExclusion), "pregnant");
  EXPECT_EQ(Parse("Women who are pregnant or in the period of breastfeeding", CriterionKind::kExclusion),
            "pregnant OR breastfeeding");
  // Who a test is for, whatever contraception they use, is no requirement to use it.
  EXPECT_EQ(Parse("Women of childbearing potential, including those using birth control, must have a negative pregnancy test")
                .find("uses effective contraception"),
            std::string::npos);
  // Round 31: the fertility state as a list item with its noun after it stays a question.
  EXPECT_EQ(Parse("Pregnant or childbearing potential women or breastfeeding women", CriterionKind::kExclusion),
            "pregnant OR not computable: \"childbearing potential\" OR breastfeeding");
  // A drug named before the allergy words, in another item of the list, is not an allergy.
  EXPECT_EQ(Parse("Immunosuppression, and those allergic to any of the study drugs", CriterionKind::kExclusion).find("allergy"),
            std::string::npos);
}

TEST(Parser, TypesThresholdsScoresAndWindows) {
  EXPECT_EQ(Parse("PLT <30×10⁹/L"), "platelet count [LOINC 777-3] < 30 10*9/L");
  EXPECT_EQ(Parse("ANC >= 1,500/mm3"), "absolute neutrophil count [LOINC 751-8] >= 1500 /uL");
  EXPECT_EQ(Parse("ALT < 2 x ULN"), "ALT [LOINC 1742-6] < 2 x ULN");
  EXPECT_EQ(Parse("ECOG 0-2"), "ECOG performance status [LOINC 89247-1] 0..2");
  EXPECT_EQ(Parse("Karnofsky performance status >= 70%"), "Karnofsky performance status [LOINC 89243-0] >= 70");
  EXPECT_EQ(Parse("Karnofsky 70-100%"), "Karnofsky performance status [LOINC 89243-0] 70..100");
  // A bare value may mean "exactly" or "at least": not typed.
  EXPECT_EQ(Parse("Karnofsky 70"), "not computable: \"Karnofsky 70\"");
  EXPECT_EQ(Parse("ECOG performance status of 0, 1, or 2"), "ECOG performance status [LOINC 89247-1] 0..2");
  EXPECT_EQ(Parse("Age 18 to 75 years"), "age 18..75 a");
  EXPECT_EQ(Parse("No TPO-RA within 1 month before screening"),
            "NOT therapy: thrombopoietin receptor agonist (within 1 mo)");
  EXPECT_EQ(Parse("Use of eltrombopag within 4 weeks", CriterionKind::kExclusion),
            "therapy: eltrombopag (within 4 wk)");
  // A unit that does not measure the analyte is not typed.
  EXPECT_EQ(Parse("Platelets > 100 g/L"), "not computable: unit g/L does not measure platelet count: \"Platelets > 100 g/L\"");
  // Judgement and consent stay not computable.
  EXPECT_EQ(Parse("Signed informed consent"), "not computable: informed consent: \"Signed informed consent\"");
  // A qualified condition in an exclusion is not typed (it would exclude too much).
  EXPECT_EQ(Parse("Uncontrolled hypertension", CriterionKind::kExclusion),
            "not computable: qualified by 'uncontrolled': \"Uncontrolled hypertension\"");
  // Round 5 of the review (docs/BENCHMARKS.md): an absence among the exclusions is not read (it would
  // exclude every patient without the treatment); allergies read their negation and their narrowing words.
  EXPECT_EQ(Parse("No prior or current therapy with darunavir", CriterionKind::kExclusion).find("NOT"), std::string::npos);
  // The class: an amoxicillin allergy is a penicillin allergy (review round 13).
  EXPECT_EQ(Parse("No known allergy to penicillin"), "NOT allergy: penicillins");
  EXPECT_EQ(Parse("Known allergy to docetaxel").rfind("not computable", 0), 0u);
  EXPECT_EQ(Parse("Known previous intolerance to zidovudine at 500 mg/day", CriterionKind::kExclusion).rfind("not computable", 0), 0u);
  EXPECT_EQ(Parse("Renal insufficiency defined as a serum creatinine > 2 mg/dL", CriterionKind::kExclusion).find("kidney"),
            std::string::npos);
  // A promise for the study's time: met by contraception in use, else asked (round 18: never a definite "no").
  EXPECT_EQ(Parse("Men and women must agree to use contraception"),
            "uses effective contraception OR not computable: willingness ('agree': asked unless contraception is in use): "
            "\"contracepti\"");
  EXPECT_EQ(Parse("Women of childbearing potential must use contraception"),
            "uses effective contraception (if of childbearing potential)");
}

TEST(Parser, ReadsDefinitionsAveragesDosesAndListContext) {
  constexpr auto kEx = CriterionKind::kExclusion;
  // Round 6 of the review (docs/BENCHMARKS.md): a bracketed measurement defines what it follows.
  EXPECT_EQ(Parse("Patients with NYHA class II-IV HFrEF (LVEF <35%)", kEx),
            "NYHA class [LOINC 88020-3] 2..4 AND left ventricular ejection fraction [LOINC 10230-1] < 35 %");
  EXPECT_EQ(Parse("Must not have a mean CD4 count less than or equal to 300 microliters").rfind("not computable", 0), 0u);
  EXPECT_EQ(Parse("No change in antipsychotic medications for 4 weeks").find("therapy:"), std::string::npos);
  EXPECT_EQ(Parse("Hypothyroidism or hyperthyroidism of autoimmune origin", kEx),
            "(condition: hypothyroidism (current) AND not computable: qualified: \"(the list's last words) of autoimmune origin\") OR "
            "(condition: hyperthyroidism (current) AND not computable: qualified: \"of autoimmune origin\")");
  EXPECT_EQ(Parse("serum Cr less than 1.5 mg/dl or Cr Cl. greater than 60 ml/min./1.73 m(2)").rfind("not computable: alternative", 0), 0u);
  EXPECT_EQ(Parse("Diarrhea. Diarrhea is defined as 3 or more unformed stools per day.", kEx).find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("Initiation of antiretroviral therapy or immunomodulators within 2 months", kEx).find("therapy:"), std::string::npos);
  EXPECT_EQ(Parse("Known prior history of and/or active viral hepatitis (HBV or HCV).", kEx),
            "condition: hepatitis B (ever) OR condition: hepatitis C (ever)");
  // Round 7: a dose ceiling, a therapy after the study, a hypothetical disease, a past pregnancy, a conjunction
  // by "with", a window dating another event, a subgroup head, a consent that dates the age.
  EXPECT_EQ(Parse("Prednisone no more than 15 mg daily").find("therapy:"), std::string::npos);
  EXPECT_EQ(Parse("No other chemotherapy for 3 weeks after study radiotherapy").find("therapy:"), std::string::npos);
  EXPECT_EQ(Parse("Immunologically-mediated diseases with the potential for kidney disease").find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("Have been or currently pregnant", kEx).find("pregnant OR"), std::string::npos);
  EXPECT_EQ(Parse("Complications of pregnancy.", kEx).rfind("pregnant", 0), std::string::npos);
  EXPECT_EQ(Parse("Patients with nasal polyps reacting with an angioedema to other NSAIDs", kEx).rfind("not computable: conjunction", 0), 0u);
  EXPECT_EQ(Parse("Breast cancer for which definitive surgery was performed during the previous 36 months").find("within"),
            std::string::npos);
  EXPECT_EQ(Parse("At least 1 week since prior hormonal therapy directed at the malignant tumor").find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("Antibacterial prophylaxis for otitis, sinusitis, or urinary tract infection.", kEx).find("condition:"),
            std::string::npos);
  EXPECT_EQ(Parse("Male and female subjects aged <= 30 years. First 2 enrolled subjects: age >= 18 and <= 30 years")
                .rfind("not computable: subgroup", 0),
            0u);
  EXPECT_EQ(Parse("Age >= 18 years at the time of signing informed consent"), "age >= 18 a");
  EXPECT_EQ(Parse("17 years of age or younger", kEx), "age <= 17 a");
  EXPECT_EQ(Parse("Chemotherapy within 4 weeks prior to signing the informed consent", kEx), "therapy: chemotherapy (within 4 wk)");
  EXPECT_EQ(Parse("Hepatic: No significant hepatic disease Bilirubin no greater than 2 mg/dL").find("bilirubin [LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Between 18 and 65 years of age"), "age 18..65 a");
  // Each end of an age range in its own unit (review round 12c: "6 months" was read as 6 years).
  EXPECT_EQ(Parse("Age: 6 months to 49 years"), "age 0.5..49 a");
  EXPECT_EQ(Parse("Age: 2-17 years"), "age 2..17 a");
  EXPECT_EQ(Parse("Normal healthy subjects ages 18 and older.").rfind("age >= 18 a", 0), 0u);
  EXPECT_EQ(Parse("Weighs at least 50kg."), "body weight [LOINC 29463-7] >= 50 kg");
  EXPECT_EQ(Parse("Life expectancy of at least 12 weeks"), "life expectancy >= 12 wk");
  EXPECT_EQ(Parse("Age range: 50-80 years old."), "age 50..80 a");
  // A slash in a unit between two thresholds is no "or"; a bracket in a unit defines nothing.
  EXPECT_EQ(Parse("WBC greater than 3,000/mm3 Absolute granulocyte count at least 1,000/mm3 Platelet count at least 100,000/mm3")
                .find(" OR "),
            std::string::npos);
  EXPECT_NE(Parse("Platelet count less than 80,000/mm(3), leukocyte count less than 3,000/mm(3)", kEx).find(" OR "),
            std::string::npos);
  // Round 8: a second condition after "and" in an exclusion, a target no concept names, a description of the
  // population, a value at another time than the screening's.
  EXPECT_EQ(Parse("Patients who are allergic to Lidocaine, which is used as a local anesthetic, and who cannot receive a "
                  "suitable substitute anesthetic.", kEx).rfind("not computable: conjunction", 0), 0u);
  // A parenthesis before a mention is an aside: the negation reaches past it (round 9).
  EXPECT_EQ(Parse("No concurrent use of terfenadine (Seldane) or astemizole (Hismanal)"),
            "NOT therapy: terfenadine (current) AND NOT therapy: astemizole (current)");
  // A threshold in parentheses defines negated words before it: which way it points is not settled (round 9).
  EXPECT_EQ(Parse("No renal insufficiency (creatinine greater than 2.0 mg/dl)."),
            "not computable: negation_scope: \"creatinine greater than 2.0 mg/dl\"");
  EXPECT_EQ(Parse("Normal renal function (creatinine less than 2.0 mg/dl)"), "creatinine [LOINC 2160-0] < 2 mg/dL");
  EXPECT_EQ(Parse("No prior chemotherapy for this disease"),
            "NOT (therapy: chemotherapy (ever) AND not computable: qualified: \"for this disease\")");
  EXPECT_EQ(Parse("The majority of patients have homozygous beta thalassemia.").find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("Serum alkaline phosphatase at least 1.5 times ULN prior to treatment with UDCA.").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("WBC less than 30,000/mm3 at time of CMA-676 administration").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Patients below the age of 3 or over 25.", kEx).find("age >="), std::string::npos);
  EXPECT_EQ(Parse("platelet count less than 1000,000/cm3", kEx).find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("History of failure to respond to a previous adequate trial of desipramine", kEx).find("therapy:"), std::string::npos);
  EXPECT_EQ(Parse("Taking protease inhibitors for HIV", kEx).find("condition:"), std::string::npos);
  // Items after "one of the following:" that the layout did not nest are not requirements on their own.
  CriteriaParser parser(Concepts(), FormGating::kNone);  // the reading, before the form gate
  auto block = parser.Parse("Inclusion Criteria:\n\n* Must meet one of the following:\n* Age 70 or older\n"
                            "* Platelet count < 20,000/mm3\n* Chronic Lymphocytic Leukemia:\n* Age 18-75\n");
  ASSERT_EQ(block.size(), 5u);
  EXPECT_FALSE(block[1].rule.HasTypedPart()) << block[1].rule.ToString(Concepts());
  EXPECT_FALSE(block[2].rule.HasTypedPart()) << block[2].rule.ToString(Concepts());
  EXPECT_TRUE(block[4].rule.HasTypedPart()) << block[4].rule.ToString(Concepts());
  // "Age:" then "18 and over" in the next item: the value is read with its name.
  auto legacy = parser.Parse("Inclusion Criteria:\n\n* Age:\n* 18 and over\n* Life expectancy:\n* At least 12 weeks\n");
  ASSERT_EQ(legacy.size(), 4u);
  EXPECT_EQ(legacy[1].rule.ToString(Concepts()), "age >= 18 a");
  EXPECT_EQ(legacy[3].rule.ToString(Concepts()), "life expectancy >= 12 wk");
  // A negated list among the inclusions is not turned into requirements.
  auto negated = parser.Parse("Inclusion Criteria:\n\n* Must not have any of the following:\n  * Hepatitis B\n  * HIV infection\n");
  ASSERT_FALSE(negated.empty());
  EXPECT_FALSE(negated[0].rule.HasTypedPart()) << negated[0].rule.ToString(Concepts());
  // Items under a heading that recommends rather than requires are not requirements (review round 18).
  auto recommended = parser.Parse("Inclusion Criteria:\n\n* Recommended:\n* PCP prophylaxis in patients with CD4 count <= 200 cells/mm3.\n");
  ASSERT_EQ(recommended.size(), 2u);
  EXPECT_FALSE(recommended[1].rule.HasTypedPart()) << recommended[1].rule.ToString(Concepts());
}

// Review round 16 (docs/BENCHMARKS.md): limits for some patients and measurements whose brackets change them.
TEST(Parser, LeavesSubgroupsAndQualifiedMeasurementsUntyped) {
  constexpr auto kEx = CriterionKind::kExclusion;
  EXPECT_FALSE(CriteriaParser(Concepts())
                   .ParseCriterion("Sexually active males must agree to practice barrier contraception", CriterionKind::kInclusion)
                   .HasTypedPart());
  EXPECT_EQ(Parse("Lymphocyte count no greater than 5,000/mm3 (for small lymphocytic lymphoma)").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Karnofsky 70%-100% (unrelated to postradiation fibrosis)").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Patients with documented fasting blood glucose below 55 mg/dl").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Patients under 6 years old must weigh at least 7 kg").find("age"), std::string::npos);
  EXPECT_EQ(Parse("Age at least 6 months and less than 6 years"), "age >= 0.5 a AND age < 6 a");
  // Review round 17: a threshold for one arm, a reaction's kind or severity, a condition defined by a measurement.
  EXPECT_EQ(Parse("ANC > 1,000/mm3 (arm II)").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("History of an acute hypersensitivity reaction to any penicillin, characterized by urticaria", kEx)
                .find("allergy:"), std::string::npos);
  EXPECT_NE(Parse("Known hypersensitivity to penicillin", kEx).find("allergy:"), std::string::npos);
  EXPECT_EQ(Parse("No evidence of active liver disease (e.g. ALT > 1.5 x ULN)").find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("A DPA is required of all patients 18 - 21 years of age.").find("age 18"), std::string::npos);
  EXPECT_EQ(Parse("Intolerance to zidovudine (AZT) therapy of = or < 600 mg/day", kEx).find("allergy:"), std::string::npos);
  EXPECT_EQ(Parse("No history of smallpox (vaccinia) vaccination.").find("condition:"), std::string::npos);
  EXPECT_EQ(Parse("Patients aged 18 years or older"), "age >= 18 a");
  // Round 18: a negated definition, a topic that points to another section, a kind of pregnancy.
  EXPECT_FALSE(CriteriaParser(Concepts())
                   .ParseCriterion("No active infection defined as: temperature above 101 F with WBC greater than 12,000/mm3",
                                   CriterionKind::kInclusion)
                   .HasTypedPart());
  EXPECT_FALSE(CriteriaParser(Concepts())
                   .ParseCriterion("Radiotherapy: See Disease Characteristics No prior spleen radiotherapy", CriterionKind::kInclusion)
                   .HasTypedPart());
  EXPECT_EQ(Parse("Multiple pregnancy", kEx).find("pregnant"), std::string::npos);
  EXPECT_EQ(Parse("Pregnancy", kEx), "pregnant");
  EXPECT_EQ(Parse("DONOR: Pregnancy", kEx).find("pregnant"), std::string::npos);  // round 19: about the donor
  EXPECT_FALSE(CriteriaParser(Concepts())  // round 20: a criterion the record says was deleted
                   .ParseCriterion("Life expectancy greater than 6 months [deleted AS PER AMENDMENT 11/25/98].",
                                   CriterionKind::kInclusion)
                   .HasTypedPart());
  // Brackets that only restate the measurement keep it typed.
  EXPECT_NE(Parse("Platelet count at least 100,000/mm3 (100 x 10^9/L)").find("platelet count [LOINC 777-3] >= 100000 /uL"),
            std::string::npos);
  // Age limits no age meets together are per subgroup; one narrower than the registry's is too.
  CriteriaParser parser(Concepts());
  auto weights = parser.Parse("Inclusion Criteria:\n\n* Children 1 to 18 years. Age under 6 years: weight at least 7 kg. "
                              "Age 6 years and older: weight at least 10 kg.\n");
  ASSERT_EQ(weights.size(), 1u);
  EXPECT_FALSE(weights[0].rule.HasTypedPart()) << weights[0].rule.ToString(Concepts());
  StudyContext registry;
  registry.registry_min_age_years = 35;
  registry.registry_max_age_years = 70;
  auto strata = parser.Parse("Inclusion Criteria:\n\n* Age 45-70 years\n* Age 35 to 70 years\n", registry);
  ASSERT_EQ(strata.size(), 2u);
  EXPECT_FALSE(strata[0].rule.HasTypedPart()) << strata[0].rule.ToString(Concepts());
  EXPECT_EQ(strata[1].rule.ToString(Concepts()), "age 35..70 a");
  // Round 21: a second bound on one lab, a gap since something other than the topic's therapy, items under
  // an age heading or under the criteria for one part of the study.
  EXPECT_EQ(Parse("BMI > 19 and < 35"), "body mass index [LOINC 39156-5] > 19 kg/m2 AND body mass index [LOINC 39156-5] < 35 kg/m2");
  EXPECT_EQ(Parse("HbA1c >=7.0% and <=9.5% at screening"), "HbA1c [LOINC 4548-4] 7..9.5 %");
  EXPECT_EQ(Parse("Hb > 8 g/dL and < 2 transfusions").find("[LOINC"), std::string::npos);
  EXPECT_EQ(Parse("Radiotherapy: At least 3 months since prior surgery").find("radiotherapy (within"), std::string::npos);
  EXPECT_EQ(Parse("Radiotherapy: At least 10 weeks since prior strontium Sr 89").find("radiotherapy (within"),
            std::string::npos);
  EXPECT_EQ(Parse("Chemotherapy at least 4 weeks prior to study entry").find("NOT therapy: chemotherapy (within 4 wk)"), 0u);
  auto ages = parser.Parse("Inclusion Criteria:\n\n* Performance status:\n  * Under 65 years:\n    * Karnofsky 90-100%\n"
                           "* EXCLUSION CRITERIA FOR GADOLINIUM ENHANCED STUDIES:\n  * Karnofsky 80-100%\n");
  ASSERT_EQ(ages.size(), 5u);
  EXPECT_NE(ages[2].criterion.text.find("Karnofsky"), std::string::npos);
  // "1 of the following" is "one of"; "2 of the following" is neither AND nor OR; a list for some patients.
  auto lists = parser.Parse("Inclusion Criteria:\n\n* Meets 1 of the following:\n  * Platelets > 100,000/mm3\n  * Hemoglobin > 10 g/dL\n"
                            "* At least 2 of the following:\n  * Creatinine < 1.5 mg/dL\n  * ALT < 2 x ULN\n"
                            "* Very low-risk patients meeting 1 of the following criteria:\n  * WBC less than 10,000/mm^3\n");
  ASSERT_EQ(lists.size(), 8u);
  EXPECT_EQ(lists[0].rule.ToString(Concepts()), "platelet count [LOINC 777-3] > 100000 /uL OR hemoglobin [LOINC 718-7] > 10 g/dL");
  EXPECT_FALSE(lists[3].rule.HasTypedPart()) << lists[3].rule.ToString(Concepts());
  EXPECT_FALSE(lists[6].rule.HasTypedPart()) << lists[6].rule.ToString(Concepts());
  // An exception or a permission in the next item: "Bilirubin <= 3.0 mg/dL" then "Greater than 3 times normal if
  // ... biliary obstruction"; "No active inflammatory bowel disease" then "Quiescent disease allowed".
  auto next = parser.Parse("Inclusion Criteria:\n\n* Bilirubin no greater than 3.0 mg/dL\n* Greater than 3 times normal if "
                           "increase in bilirubin is due to biliary obstruction\n* No active inflammatory bowel disease\n"
                           "* Quiescent disease allowed, including: Chronic ulcerative colitis Crohn's disease\n");
  ASSERT_EQ(next.size(), 4u);
  EXPECT_FALSE(next[0].rule.HasTypedPart()) << next[0].rule.ToString(Concepts());
  EXPECT_FALSE(next[2].rule.HasTypedPart()) << next[2].rule.ToString(Concepts());
  for (const auto& pc : ages) EXPECT_FALSE(pc.rule.HasTypedPart()) << pc.criterion.text << ": " << pc.rule.ToString(Concepts());
}

Patient MustParse(std::string_view json) {
  auto p = ParsePatientJson(json, Concepts(), "test.json");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Patient{};
}

TEST(Evaluate, AgeBoundsAreCountedEachOnItsOwn) {
  // "1.66 to 60 years": 60 lasts until the 61st birthday even though the lower bound is a fraction.
  Rule r = CriteriaParser(Concepts()).ParseCriterion("Age 1.66 to 60 years", CriterionKind::kInclusion);
  PartialDate as_of = *PartialDate::Parse("2026-11-20");
  Patient p = MustParse(R"({"birthDate":"1966-05-20"})");  // 60 years and 6 months
  EXPECT_EQ(RuleEvaluator(Concepts(), p, as_of).Evaluate(r).truth, Truth::kTrue);
  Patient q = MustParse(R"({"birthDate":"2025-11-20"})");  // 1 year
  EXPECT_EQ(RuleEvaluator(Concepts(), q, as_of).Evaluate(r).truth, Truth::kFalse);
  // A vocabulary disease absent from a complete list is false only when no listed condition shares a curated
  // class with it: prostate cancer may be an adenocarcinoma the Disease Ontology does not link.
  Rule adeno = CriteriaParser(Concepts()).ParseCriterion("Histologically confirmed adenocarcinoma", CriterionKind::kInclusion);
  ASSERT_NE(adeno.ToString(Concepts()).find("condition: adenocarcinoma"), std::string::npos) << adeno.ToString(Concepts());
  Patient prostate = MustParse(R"({"conditions":["prostate cancer"],"complete":["conditions"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), prostate, as_of).Evaluate(adeno).truth, Truth::kUnknown);
  Patient htn = MustParse(R"({"conditions":["hypertension"],"complete":["conditions"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), htn, as_of).Evaluate(adeno).truth, Truth::kFalse);
  // Glioblastoma (DOID:3068) is a malignant solid tumour through high grade glioma.
  EXPECT_TRUE(Concepts().IsA("DOID:3068", "solid_tumor"));
  // Round 22: the Disease Ontology files meningioma and neurofibroma under cancer, respiratory failure under lung
  // disease, and the curated thromboembolism took "venous thrombosis" for itself: all cut or split.
  Rule no_cancer = CriteriaParser(Concepts()).ParseCriterion("Patients must not have an active malignancy", CriterionKind::kInclusion);
  Patient mening = MustParse(R"({"conditions":["meningioma"],"complete":["conditions"]})");
  EXPECT_NE(RuleEvaluator(Concepts(), mening, as_of).Evaluate(no_cancer).truth, Truth::kFalse) << no_cancer.ToString(Concepts());
  Patient lung = MustParse(R"({"conditions":["lung cancer"],"complete":["conditions"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), lung, as_of).Evaluate(no_cancer).truth, Truth::kFalse) << no_cancer.ToString(Concepts());
  Rule no_lung = CriteriaParser(Concepts()).ParseCriterion("No active lung disease", CriterionKind::kInclusion);
  Patient resp = MustParse(R"({"conditions":["respiratory failure"],"complete":["conditions"]})");
  EXPECT_NE(RuleEvaluator(Concepts(), resp, as_of).Evaluate(no_lung).truth, Truth::kFalse) << no_lung.ToString(Concepts());
  EXPECT_TRUE(Concepts().IsA("dvt", "vte"));
  EXPECT_FALSE(Concepts().IsA("arterial_thrombosis", "vte"));
  // Round 6: the curated table puts sickle cell disease and thalassemia under hemoglobinopathy, and substance
  // dependence under substance abuse, where the Disease Ontology files them apart.
  Rule hb = CriteriaParser(Concepts()).ParseCriterion("Hemoglobinopathy including sickle cell anemia.", CriterionKind::kExclusion);
  Patient sickle = MustParse(R"({"conditions":["sickle cell anemia"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), sickle, as_of).Evaluate(hb).truth, Truth::kTrue) << hb.ToString(Concepts());
  Patient thal = MustParse(R"({"conditions":["beta thalassemia"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), thal, as_of).Evaluate(hb).truth, Truth::kTrue);
  Rule abuse = CriteriaParser(Concepts()).ParseCriterion("Active substance abuse.", CriterionKind::kExclusion);
  Patient dependent = MustParse(R"({"conditions":["drug dependence"]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), dependent, as_of).Evaluate(abuse).truth, Truth::kTrue) << abuse.ToString(Concepts());
}

TEST(Evaluate, ContraceptionAsksOnlyThoseWhoCanHaveChildren) {
  PartialDate as_of = *PartialDate::Parse("2026-11-20");
  CriteriaParser parser(Concepts());
  auto truth = [&](const Rule& r, std::string_view json) { return RuleEvaluator(Concepts(), MustParse(json), as_of).Evaluate(r).truth; };
  // Round 7: "fertile patients" are men and women who can have children; no contraception decides nothing
  // until that is known (a boy of 3, an infertile man).
  Rule fertile = parser.ParseCriterion("Fertile patients must use effective contraception", CriterionKind::kInclusion);
  EXPECT_EQ(fertile.ToString(Concepts()), "uses effective contraception (if fertile)");
  EXPECT_EQ(truth(fertile, R"({"sex":"male","contraception":false})"), Truth::kUnknown);
  EXPECT_EQ(truth(fertile, R"({"sex":"male","contraception":true})"), Truth::kTrue);
  EXPECT_EQ(truth(fertile, R"({"sex":"female","contraception":false,"childbearingPotential":true})"), Truth::kFalse);
  EXPECT_EQ(truth(fertile, R"({"sex":"female","childbearingPotential":false})"), Truth::kTrue);
  // A woman not using contraception whose childbearing potential is not recorded is asked, not turned away.
  Rule wocbp = parser.ParseCriterion("Women of childbearing potential must use effective contraception", CriterionKind::kInclusion);
  EXPECT_EQ(truth(wocbp, R"({"sex":"female","birthDate":"1950-01-01","contraception":false})"), Truth::kUnknown);
  EXPECT_EQ(truth(wocbp, R"({"sex":"female","contraception":false,"childbearingPotential":true})"), Truth::kFalse);
}

TEST(Evaluate, RemissionAndDrugClassesAsCriteriaMeanThem) {
  PartialDate as_of = *PartialDate::Parse("2026-11-20");
  CriteriaParser parser(Concepts());
  auto truth = [&](const Rule& r, std::string_view json) { return RuleEvaluator(Concepts(), MustParse(json), as_of).Evaluate(r).truth; };
  // Round 8: a diagnosis in remission is still the patient's; whether it is "current" is left to the team.
  Rule ms = parser.ParseCriterion("Diagnosis of multiple sclerosis", CriterionKind::kInclusion);
  ASSERT_NE(ms.ToString(Concepts()).find("multiple sclerosis (current)"), std::string::npos) << ms.ToString(Concepts());
  EXPECT_EQ(truth(ms, R"({"conditions":[{"code":"multiple sclerosis","status":"remission"}]})"), Truth::kUnknown);
  EXPECT_EQ(truth(ms, R"({"conditions":[{"code":"multiple sclerosis","status":"resolved"}]})"), Truth::kFalse);
  // "Anticonvulsants" are antiepileptic drugs (the FDA class), not every MeSH anticonvulsant.
  Rule ac = parser.ParseCriterion("Currently taking anticonvulsants", CriterionKind::kExclusion);
  EXPECT_EQ(truth(ac, R"({"medications":["levetiracetam"],"complete":["medications"]})"), Truth::kTrue) << ac.ToString(Concepts());
  EXPECT_EQ(truth(ac, R"({"medications":["lorazepam"],"complete":["medications"]})"), Truth::kFalse);
  // Round 22: efavirenz is an antiretroviral (the FDA's HIV-1 non-nucleoside class; MeSH has it only as a reverse
  // transcriptase inhibitor, with foscarnet).
  Rule arv = parser.ParseCriterion("No prior antiretroviral treatment", CriterionKind::kInclusion);
  EXPECT_EQ(truth(arv, R"({"medications":[{"code":"efavirenz","date":"2024-01-10"}],"complete":["medications"]})"), Truth::kFalse)
      << arv.ToString(Concepts());
  EXPECT_EQ(truth(arv, R"({"medications":["foscarnet"],"complete":["medications"]})"), Truth::kTrue) << arv.ToString(Concepts());
  // Round 15: radiotherapy recorded as a procedure is a prior radiotherapy.
  Rule rt = parser.ParseCriterion("No prior radiotherapy", CriterionKind::kInclusion);
  EXPECT_EQ(truth(rt, R"({"procedures":[{"code":"radiotherapy","date":"2025-01-10"}],"complete":["medications"]})"), Truth::kFalse)
      << rt.ToString(Concepts());
  EXPECT_EQ(truth(rt, R"({"medications":["aspirin"],"complete":["medications","procedures"]})"), Truth::kTrue);
  // Round 14: a complete list holding an entry the concept table does not know cannot show an absence (the
  // unknown entry may be the concept); with only known entries it can.
  Rule dm = parser.ParseCriterion("No diabetes mellitus", CriterionKind::kInclusion);
  EXPECT_EQ(truth(dm, R"({"conditions":["hypertension"],"complete":["conditions"]})"), Truth::kTrue) << dm.ToString(Concepts());
  EXPECT_EQ(truth(dm, R"({"conditions":["hypertension","qwzx syndrome"],"complete":["conditions"]})"), Truth::kUnknown);
  // Round 30: a condition named with a measure is the condition ("ejection fraction" is the longer concept name).
  Rule hf = parser.ParseCriterion("No heart failure", CriterionKind::kInclusion);
  EXPECT_EQ(truth(hf, R"({"conditions":["heart failure with preserved ejection fraction"],"complete":["conditions"]})"),
            Truth::kFalse)
      << hf.ToString(Concepts());
  // Round 32: an ICD-10-CM code with two readings (D65: disseminated intravascular coagulation or purpura
  // fulminans) can neither show nor rule out the one it may be.
  Rule dic = parser.ParseCriterion("No disseminated intravascular coagulation", CriterionKind::kInclusion);
  EXPECT_EQ(truth(dic, R"({"conditions":["ICD10CM:D65"],"complete":["conditions"]})"), Truth::kUnknown) << dic.ToString(Concepts());
  // Round 30: MeSH's disease trees put Alzheimer's disease under dementia.
  Rule dem = parser.ParseCriterion("No dementia", CriterionKind::kInclusion);
  EXPECT_EQ(truth(dem, R"({"conditions":["Alzheimer's disease"],"complete":["conditions"]})"), Truth::kFalse)
      << dem.ToString(Concepts());
}

TEST(Evaluate, ConvertsUnitsAndRefusesIncompatibleOnes) {
  Rule r = CriteriaParser(Concepts()).ParseCriterion("Hemoglobin < 90 g/L", CriterionKind::kInclusion);
  PartialDate as_of = *PartialDate::Parse("2026-11-20");
  Patient p = MustParse(R"({"labs":[{"code":"hemoglobin","value":8.1,"unit":"g/dL","date":"2026-11-01"}]})");
  Finding f = RuleEvaluator(Concepts(), p, as_of).Evaluate(r);
  EXPECT_EQ(f.truth, Truth::kTrue);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_NE(f.evidence[0].find("= 81 g/L"), std::string::npos) << f.evidence[0];
  Patient q = MustParse(R"({"labs":[{"code":"hemoglobin","value":5,"unit":"mmol/L","date":"2026-11-01"}]})");
  Finding g = RuleEvaluator(Concepts(), q, as_of).Evaluate(r);
  EXPECT_EQ(g.truth, Truth::kUnknown);
  ASSERT_EQ(g.questions.size(), 1u);
  EXPECT_NE(g.questions[0].find("cannot be compared"), std::string::npos) << g.questions[0];
  // Too old a result does not count.
  Patient old = MustParse(R"({"labs":[{"code":"hemoglobin","value":8.1,"unit":"g/dL","date":"2026-01-01"}]})");
  EXPECT_EQ(RuleEvaluator(Concepts(), old, as_of).Evaluate(r).truth, Truth::kUnknown);
}

TEST(Patient, BadInputGetsAnErrorNamingThePlace) {
  auto bad = [](std::string_view json) {
    auto p = ParsePatientJson(json, Concepts(), "p.json");
    EXPECT_FALSE(p.ok()) << json;
    return p.ok() ? std::string() : p.status().message();
  };
  EXPECT_NE(bad("{").find("p.json: invalid JSON"), std::string::npos);
  EXPECT_NE(bad(R"({"sex":"yes"})").find("sex"), std::string::npos);
  EXPECT_NE(bad(R"({"weight":70})").find("weight: unknown field"), std::string::npos);
  EXPECT_NE(bad(R"({"labs":[{"code":"platelets","value":"low"}]})").find("labs[0].value"), std::string::npos);
  EXPECT_NE(bad(R"({"labs":[{"code":"platelets","value":20,"unit":"bananas"}]})").find("labs[0].unit"), std::string::npos);
  EXPECT_NE(bad(R"({"birthDate":"1999-13-45"})").find("birthDate"), std::string::npos);
  EXPECT_NE(bad(R"({"answers":{"NCT05236582":{"criterion 2":true}}})").find("answers.NCT05236582.criterion 2"), std::string::npos);
  EXPECT_NE(bad(R"({"answers":{"NCT05236582":{"inclusion 2":"yes"}}})").find("expected true or false"), std::string::npos);
  EXPECT_NE(bad(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"QuestionnaireResponse","item":[{"linkId":"inclusion 2","answer":[{"valueBoolean":true}]}]}}]})")
                .find("entry[0].resource.item[0].linkId"),
            std::string::npos);
  auto ok = ParsePatientJson(R"({"answers":{"NCT05236582":{"inclusion 2":true,"exclusion 3.1":false}}})", Concepts(), "p.json");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->answers.at("NCT05236582|inclusion 2").value);
  EXPECT_FALSE(ok->answers.at("NCT05236582|exclusion 3.1").value);
  EXPECT_TRUE(HasAnswersFor(*ok, "NCT05236582"));
  EXPECT_FALSE(HasAnswersFor(*ok, "NCT0523658"));
  EXPECT_NE(bad(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","code":{"text":"x"},"valueQuantity":{"value":"x"}}}]})")
                .find("entry[0].resource.valueQuantity.value"),
            std::string::npos);
}

// tests/cases/patients/verdicts.cases: FHIR patients against the seed studies. The verdict and results
// are those of the grammar's reading (they pin the evaluator); the "served" field is the verdict after
// the form gate, which can only turn a definite verdict into possibly_eligible.
TEST(PatientCases, VerdictsAndCriteria) {
  std::filesystem::path root(TS_SOURCE_DIR);
  auto text = ReadWholeFile((root / "tests/cases/patients/verdicts.cases").string());
  ASSERT_TRUE(text.ok());
  CriteriaParser parser(Concepts(), FormGating::kNone);
  CriteriaParser served_parser(Concepts());
  int cases = 0;
  for (std::string_view line : Split(*text, '\n')) {
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> f = Split(line, '|');
    ASSERT_GE(f.size(), 6u) << line << ": expected PATIENT | STUDY | AS-OF | VERDICT | RESULTS | served: VERDICT";
    std::string patient_file((root / "tests/cases/patients" / std::string(Trim(f[0]))).string());
    std::string study_name(Trim(f[1]));
    std::string study_file = study_name.find('/') != std::string::npos
                                 ? (root / study_name).string()
                                 : (root / "tests/fixtures/studies" / study_name).string();
    auto pj = ReadWholeFile(patient_file);
    auto sj = ReadWholeFile(study_file);
    ASSERT_TRUE(pj.ok() && sj.ok()) << line;
    auto patient = ParsePatientJson(*pj, Concepts(), patient_file);
    ASSERT_TRUE(patient.ok()) << patient.status().ToString();
    StudyJsonReader reader;
    auto study = reader.Parse(*sj);
    ASSERT_TRUE(study.ok());
    CompiledStudy cs = CompileStudy(*study, parser);
    RuleEvaluator ev(Concepts(), *patient, *PartialDate::Parse(Trim(f[2])));
    StudyCheck check = CheckStudy(cs, ev);
    std::string dump;
    for (const CriterionCheck& c : check.criteria) {
      dump += std::string(CriterionKindName(cs.criteria[c.index].kind)) + " " + cs.criteria[c.index].label + "=" +
              std::string(TruthName(c.finding.truth)) + " " + Join(c.finding.evidence, "; ") + Join(c.finding.questions, " ") + "\n";
    }
    EXPECT_EQ(VerdictName(check.verdict), Trim(f[3])) << line << "\n" << dump;
    StudyCheck served = CheckStudy(CompileStudy(*study, served_parser), ev);
    EXPECT_TRUE(served.verdict == check.verdict || served.verdict == Verdict::kPossiblyEligible) << line;
    ASSERT_TRUE(StartsWith(Trim(f[5]), "served: ")) << line;
    EXPECT_EQ(VerdictName(served.verdict), Trim(f[5]).substr(8)) << line;
    int q_verdict = 0;
    EXPECT_EQ(VerdictName(QuickVerdict(cs, ev, &q_verdict)), Trim(f[3])) << line;
    // The flattened plan used by match gives the same verdict and question count (the study is added
    // twice, behind another study, so shared leaves and offsets are exercised). Screener answers are
    // per study and outside the plan: match checks such a study with QuickVerdict.
    if (!HasAnswersFor(*patient, cs.key)) {
      MatchPlan plan;
      plan.Add(cs);
      plan.Add(cs);
      MatchPlan::Truths truths = plan.EvaluateLeaves(ev);
      int q_plan = -1;
      EXPECT_EQ(VerdictName(plan.VerdictOf(truths, 1, &q_plan)), Trim(f[3])) << line;
      EXPECT_EQ(q_plan, q_verdict) << line;
      EXPECT_LE(plan.leaf_count() * 2, plan.node_count()) << "leaves are shared between the two copies";
    }
    {
      for (std::string_view want : Split(Trim(f[4]), ' ')) {
        if (want.empty()) continue;
        // "inclusion 4=true" is split into "inclusion" and "4=true".
        static std::string kind;
        if (want == "inclusion" || want == "exclusion") {
          kind = std::string(want);
          continue;
        }
        size_t eq = want.find('=');
        std::string label(want.substr(0, eq));
        std::string result(want.substr(eq + 1));
        bool found = false;
        for (const CriterionCheck& c : check.criteria) {
          const CompiledCriterion& cc = cs.criteria[c.index];
          if (std::string(CriterionKindName(cc.kind)) == kind && cc.label == label) {
            found = true;
            EXPECT_EQ(TruthName(c.finding.truth), result) << line << ": " << kind << " " << label << "\n" << dump;
            // Every verdict has a reason: evidence when decided, a question when not.
            EXPECT_TRUE(c.finding.truth == Truth::kUnknown ? !c.finding.questions.empty() : !c.finding.evidence.empty())
                << line << ": " << kind << " " << label;
          }
        }
        EXPECT_TRUE(found) << line << ": no criterion " << kind << " " << label;
      }
    }
    ++cases;
  }
  EXPECT_GE(cases, 24);
}

}  // namespace
}  // namespace ts
