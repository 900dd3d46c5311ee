// Patient JSON (FHIR R4 Bundle or native) -> Patient, with simdjson's DOM API.
#include "eligibility/patient.h"

#include <algorithm>

#include <simdjson.h>

#include "common/strings.h"

namespace ts {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::optional<std::string> Str(object o, std::string_view key) {
  std::string_view v;
  if (o[key].get_string().get(v)) return std::nullopt;
  return std::string(v);
}

std::optional<double> Num(element e) {
  double d;
  if (!e.get_double().get(d)) return d;
  int64_t i;
  if (!e.get_int64().get(i)) return static_cast<double>(i);
  uint64_t u;
  if (!e.get_uint64().get(u)) return static_cast<double>(u);
  return std::nullopt;
}

std::optional<double> Num(object o, std::string_view key) {
  element e;
  if (o[key].get(e)) return std::nullopt;
  return Num(e);
}

std::optional<bool> Bool(object o, std::string_view key) {
  bool b;
  if (o[key].get_bool().get(b)) return std::nullopt;
  return b;
}

std::optional<object> Obj(object o, std::string_view key) {
  object v;
  if (o[key].get_object().get(v)) return std::nullopt;
  return v;
}

std::optional<array> Arr(object o, std::string_view key) {
  array v;
  if (o[key].get_array().get(v)) return std::nullopt;
  return v;
}

class Reader {
 public:
  Reader(const ConceptTable& concepts, std::string_view source) : concepts_(concepts), source_(source) {}

  Status Error(const std::string& path, const std::string& what) const {
    return Status::InvalidArgument(std::string(source_) + ": " + path + ": " + what);
  }

  Result<PartialDate> Date(object o, std::string_view key, const std::string& path) const {
    auto s = Str(o, key);
    if (!s) return PartialDate{};
    // FHIR dateTime: keep the date part.
    std::string d = s->substr(0, std::min<size_t>(s->size(), 10));
    Result<PartialDate> r = PartialDate::Parse(d);
    if (!r.ok()) return Error(path + "." + std::string(key), "invalid date '" + *s + "'");
    return r;
  }

  // `date_key` ("performedDateTime"), else the start of `period_key` ("performedPeriod"); empty if neither.
  Result<PartialDate> DateOrPeriodStart(object o, std::string_view date_key, std::string_view period_key,
                                        const std::string& path) const {
    auto d = Date(o, date_key, path);
    if (!d.ok() || !d->empty()) return d;
    if (auto per = Obj(o, period_key)) return Date(*per, "start", path + "." + std::string(period_key));
    return d;
  }

  // Calls fn(system, code, display) (each an optional string) for every coding of a CodeableConcept.
  template <typename Fn>
  static void ForEachCoding(const std::optional<object>& codeable, Fn fn) {
    if (!codeable) return;
    auto codings = Arr(*codeable, "coding");
    if (!codings) return;
    for (element ce : *codings) {
      object c;
      if (ce.get_object().get(c)) continue;
      fn(Str(c, "system"), Str(c, "code"), Str(c, "display"));
    }
  }

  // A concept from codings (system+code) first, then the text, then the longest mention in the text.
  // `measure`: the record is an observation, so a measure's name wins over a condition's.
  std::string Resolve(std::optional<object> codeable, const std::string& text, std::string* name,
                      bool measure = false) const {
    std::string found;
    ForEachCoding(codeable, [&](const auto& system, const auto& code, const auto& display) {
      if (name->empty() && display) *name = *display;
      if (found.empty() && system && code) {
        if (const Concept* k = concepts_.FindByCode(*system, *code)) found = k->id;
      }
    });
    if (codeable) {
      if (auto t = Str(*codeable, "text")) {
        if (name->empty() || !t->empty()) *name = *t;
      }
    }
    if (name->empty()) *name = text;
    if (!found.empty()) return found;
    return ResolveText(*name, measure);
  }

  // Resolve() for a record, then the further concepts each coding (or else the name) falls under.
  void ResolveRecord(std::optional<object> codeable, PatientRecord* rec) const {
    rec->concept_id = Resolve(codeable, "", &rec->name);
    bool coded = false;
    ForEachCoding(codeable, [&](const auto& system, const auto& code, const auto&) {
      if (!system || !code) return;
      coded = true;
      AddBroader(concepts_.Classify(*system, *code, rec->name), rec);
      AddPossible(concepts_.ClassifyPossible(*system, *code, rec->name), rec);
      if (rec->name.empty() && concepts_.graph() != nullptr) {  // a bare code: name it for explanations
        std::vector<NodeId> nodes = concepts_.graph()->FindByCode(*system, *code);
        if (nodes.size() == 1) rec->name = concepts_.graph()->node(nodes[0]).label;
      }
    });
    if (!coded) {
      AddBroader(concepts_.Classify("", "", rec->name), rec);
      AddPossible(concepts_.ClassifyPossible("", "", rec->name), rec);
    }
    AddBroader(concepts_.Broader(rec->concept_id), rec);
  }

  // ResolveNative() for a record: "SYSTEM:code" or a name.
  void ResolveNativeRecord(PatientRecord* rec) const {
    rec->concept_id = ResolveNative(rec->name);
    size_t colon = rec->name.find(':');
    if (colon != std::string::npos && concepts_.Find(rec->name) == nullptr) {
      AddBroader(concepts_.Classify(rec->name.substr(0, colon), rec->name.substr(colon + 1), ""), rec);
      AddPossible(concepts_.ClassifyPossible(rec->name.substr(0, colon), rec->name.substr(colon + 1), ""), rec);
    }
    AddBroader(concepts_.Classify("", "", rec->name), rec);
    AddPossible(concepts_.ClassifyPossible("", "", rec->name), rec);
    AddBroader(concepts_.Broader(rec->concept_id), rec);
  }

  static void AddPossible(const std::vector<std::string>& ids, PatientRecord* rec) {
    for (const std::string& id : ids) {
      if (id == rec->concept_id || std::find(rec->broader_ids.begin(), rec->broader_ids.end(), id) != rec->broader_ids.end()) continue;
      if (std::find(rec->possible_ids.begin(), rec->possible_ids.end(), id) == rec->possible_ids.end()) {
        rec->possible_ids.push_back(id);
      }
    }
  }

  static void AddBroader(const std::vector<std::string>& ids, PatientRecord* rec) {
    for (const std::string& id : ids) {
      if (id == rec->concept_id) continue;
      if (std::find(rec->broader_ids.begin(), rec->broader_ids.end(), id) == rec->broader_ids.end()) {
        rec->broader_ids.push_back(id);
      }
    }
  }

  std::string ResolveText(const std::string& text, bool observation = false) const {
    if (text.empty()) return "";
    if (const Concept* k = concepts_.FindByName(text)) return k->id;
    const ConceptMention* best = nullptr;
    std::vector<ConceptMention> ms = concepts_.FindMentions(text);
    // A condition, drug or procedure named with a measure ("heart failure with preserved ejection fraction") is
    // the condition, not the analyte, however long its name; an analyte only when nothing else is named.
    auto measure = [observation](const ConceptMention& m) {
      bool is_measure = m.concept_ref->kind == ConceptKind::kAnalyte || m.concept_ref->kind == ConceptKind::kScore;
      return observation ? false : is_measure;  // an observation: the longest name, as before
    };
    for (const ConceptMention& m : ms) {
      bool better = best == nullptr || (measure(*best) && !measure(m)) ||
                    (measure(*best) == measure(m) && m.end - m.begin > best->end - best->begin);
      if (better) best = &m;
    }
    return best ? best->concept_ref->id : "";
  }

  // A native code: a concept id ("platelets"), "SYSTEM:code" ("LOINC:777-3"), or a name.
  std::string ResolveNative(const std::string& code, bool observation = false) const {
    if (const Concept* k = concepts_.Find(code)) return k->id;
    size_t colon = code.find(':');
    if (colon != std::string::npos) {
      if (const Concept* k = concepts_.FindByCode(code.substr(0, colon), code.substr(colon + 1))) return k->id;
    }
    return ResolveText(code, observation);
  }

  Status Fhir(object root, Patient* p) {
    if (auto meta = Obj(root, "meta")) {
      if (auto tags = Arr(*meta, "tag")) {
        for (element te : *tags) {
          object t;
          if (te.get_object().get(t)) continue;
          if (Str(t, "system").value_or("") == "https://trialscope.dev/fhir/complete") {
            p->complete.insert(Str(t, "code").value_or(""));
          }
        }
      }
    }
    auto entries = Arr(root, "entry");
    if (!entries) return Status::Ok();
    size_t i = 0;
    for (element ee : *entries) {
      std::string path = "entry[" + std::to_string(i++) + "].resource";
      object e, r;
      if (ee.get_object().get(e) || e["resource"].get_object().get(r)) {
        p->warnings.push_back(path + ": not an object, skipped");
        continue;
      }
      std::string type = Str(r, "resourceType").value_or("");
      std::string ref = type + "/" + Str(r, "id").value_or(std::to_string(i - 1));
      Status st = Resource(r, type, ref, path, p);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

  Status Resource(object r, const std::string& type, const std::string& ref, const std::string& path, Patient* p) {
    std::string status = Str(r, "status").value_or("");
    if (status == "entered-in-error") return Status::Ok();
    if (type == "Patient") {
      p->id = Str(r, "id").value_or("");
      auto bd = Date(r, "birthDate", path);
      if (!bd.ok()) return bd.status();
      p->birth_date = *bd;
      if (auto g = Str(r, "gender")) {
        if (*g == "female" || *g == "male") p->sex = *g;
        else if (*g != "unknown" && *g != "other") return Error(path + ".gender", "unknown gender '" + *g + "'");
      }
      return Status::Ok();
    }
    if (type == "Observation") return Observation(r, ref, path, p);
    if (type == "Condition" || type == "AllergyIntolerance") {
      PatientRecord rec;
      rec.ref = ref;
      ResolveRecord(Obj(r, "code"), &rec);
      std::string clinical, verification;
      if (auto cs = Obj(r, "clinicalStatus")) clinical = FirstCode(*cs);
      if (auto vs = Obj(r, "verificationStatus")) verification = FirstCode(*vs);
      if (verification == "entered-in-error") return Status::Ok();
      if (verification == "refuted") rec.status = RecordStatus::kAbsent;
      else if (clinical == "inactive" || clinical == "resolved" || clinical == "remission") rec.status = RecordStatus::kInactive;
      rec.remission = clinical == "remission";
      auto onset = Date(r, "onsetDateTime", path);
      if (!onset.ok()) return onset.status();
      rec.start = *onset;
      if (rec.start.empty()) {
        auto rd = Date(r, "recordedDate", path);
        if (!rd.ok()) return rd.status();
        rec.start = *rd;
      }
      auto ab = Date(r, "abatementDateTime", path);
      if (!ab.ok()) return ab.status();
      rec.end = *ab;
      if (!rec.end.empty() && rec.status == RecordStatus::kActive && clinical.empty()) rec.status = RecordStatus::kInactive;
      if (rec.concept_id == "postmenopausal" && rec.status == RecordStatus::kActive) p->childbearing_potential = false;
      if (rec.concept_id == "pregnancy" && rec.status == RecordStatus::kActive) p->pregnant = true;
      if (rec.concept_id == "breastfeeding" && rec.status == RecordStatus::kActive) p->breastfeeding = true;
      (type == "Condition" ? p->conditions : p->allergies).push_back(std::move(rec));
      return Status::Ok();
    }
    if (type == "MedicationStatement" || type == "MedicationRequest" || type == "MedicationAdministration") {
      PatientRecord rec;
      rec.ref = ref;
      ResolveRecord(Obj(r, "medicationCodeableConcept"), &rec);
      if (status == "not-taken" || status == "cancelled" || status == "revoked") rec.status = RecordStatus::kAbsent;
      else if (status == "completed" || status == "stopped") rec.status = RecordStatus::kInactive;
      std::optional<object> period = Obj(r, "effectivePeriod");
      if (!period) {
        if (auto dosage = Arr(r, "dosageInstruction")) {
          for (element de : *dosage) {
            object d, timing, repeat, bounds;
            if (!de.get_object().get(d) && !d["timing"].get_object().get(timing) &&
                !timing["repeat"].get_object().get(repeat) && !repeat["boundsPeriod"].get_object().get(bounds)) {
              period = bounds;
            }
            break;
          }
        }
      }
      if (period) {
        auto s = Date(*period, "start", path + ".period");
        auto e = Date(*period, "end", path + ".period");
        if (!s.ok()) return s.status();
        if (!e.ok()) return e.status();
        rec.start = *s;
        rec.end = *e;
      } else {
        auto s = Date(r, type == "MedicationRequest" ? "authoredOn" : "effectiveDateTime", path);
        if (!s.ok()) return s.status();
        rec.start = *s;
        // A single date for a finished course: it ended that day.
        if (rec.status == RecordStatus::kInactive) rec.end = rec.start;
      }
      p->medications.push_back(std::move(rec));
      return Status::Ok();
    }
    if (type == "Procedure") {
      PatientRecord rec;
      rec.ref = ref;
      ResolveRecord(Obj(r, "code"), &rec);
      if (status == "not-done") rec.status = RecordStatus::kAbsent;
      auto d = DateOrPeriodStart(r, "performedDateTime", "performedPeriod", path);
      if (!d.ok()) return d.status();
      rec.start = *d;
      rec.end = rec.start;
      p->procedures.push_back(std::move(rec));
      return Status::Ok();
    }
    if (type == "QuestionnaireResponse") return Answers(r, ref, path, p);
    p->warnings.push_back(path + ": resourceType '" + type + "' is not used for eligibility");
    return Status::Ok();
  }

  // A criterion label key: "inclusion 2", "exclusion 3.1", "inclusion age".
  Status CheckCriterionKey(std::string_view key, const std::string& path) const {
    size_t sp = key.find(' ');
    std::string_view kind = key.substr(0, sp);
    if (sp == std::string_view::npos || (kind != "inclusion" && kind != "exclusion") || Trim(key.substr(sp + 1)).empty()) {
      return Error(path, "expected \"inclusion LABEL\" or \"exclusion LABEL\", got \"" + std::string(key.substr(0, 60)) + "\"");
    }
    return Status::Ok();
  }

  // QuestionnaireResponse: item[].linkId "NCT05236582|inclusion 2", answer[0].valueBoolean.
  Status Answers(object r, const std::string& ref, const std::string& path, Patient* p) {
    auto items = Arr(r, "item");
    if (!items) return Status::Ok();
    size_t i = 0;
    for (element ie : *items) {
      std::string ipath = path + ".item[" + std::to_string(i++) + "]";
      object item;
      if (ie.get_object().get(item)) return Error(ipath, "expected an object");
      std::string link = Str(item, "linkId").value_or("");
      size_t bar = link.find('|');
      if (bar == std::string::npos || bar == 0) return Error(ipath + ".linkId", "expected \"STUDY|inclusion LABEL\"");
      TS_RETURN_IF_ERROR(CheckCriterionKey(std::string_view(link).substr(bar + 1), ipath + ".linkId"));
      auto answers = Arr(item, "answer");
      object a;
      bool b = false;
      if (!answers || (*answers).size() != 1 || (*answers).at(0).get_object().get(a) || a["valueBoolean"].get_bool().get(b)) {
        return Error(ipath + ".answer", "expected one answer with valueBoolean");
      }
      p->answers[link] = {b, ref};
    }
    return Status::Ok();
  }

  static std::string FirstCode(object codeable) {
    if (auto codings = Arr(codeable, "coding")) {
      for (element ce : *codings) {
        object c;
        if (!ce.get_object().get(c)) return Str(c, "code").value_or("");
      }
    }
    return "";
  }

  Status Observation(object r, const std::string& ref, const std::string& path, Patient* p) {
    std::string status = Str(r, "status").value_or("");
    if (status == "cancelled" || status == "preliminary") return Status::Ok();
    PatientObservation o;
    o.ref = ref;
    std::optional<object> code = Obj(r, "code");
    o.concept_id = Resolve(code, "", &o.name, /*measure=*/true);
    auto date = DateOrPeriodStart(r, "effectiveDateTime", "effectivePeriod", path);
    if (!date.ok()) return date.status();
    o.date = *date;
    // Facts a clinician records as observations without a lab code.
    std::string lname = ToLowerAscii(o.name);
    if (lname.find("life expectancy") != std::string::npos) {
      auto q = Obj(r, "valueQuantity");
      auto v = q ? Num(*q, "value") : std::nullopt;
      std::optional<std::string> u = q ? ParseDurationUnit(Str(*q, "code").value_or(Str(*q, "unit").value_or(""))) : std::nullopt;
      if (!v || !u) return Error(path + ".valueQuantity", "life expectancy needs a value and a unit of time");
      p->life_expectancy = Duration{*v, *u};
      return Status::Ok();
    }
    if (lname.find("childbearing potential") != std::string::npos || lname.find("contraception") != std::string::npos ||
        lname.find("birth control") != std::string::npos) {
      std::optional<bool> v = Bool(r, "valueBoolean");
      if (!v) return Error(path + ".valueBoolean", "expected true or false");
      (lname.find("childbearing") != std::string::npos ? p->childbearing_potential : p->contraception) = *v;
      return Status::Ok();
    }
    // Pregnancy / breastfeeding status observations.
    if (o.concept_id == "pregnancy" || o.concept_id == "breastfeeding") {
      std::optional<bool> v = Bool(r, "valueBoolean");
      if (!v) {
        if (auto vc = Obj(r, "valueCodeableConcept")) {
          std::string c = FirstCode(*vc);
          std::string text = ToLowerAscii(Str(*vc, "text").value_or(""));
          if (c == "77386006" || c == "169750002" || c == "LA15173-0") v = true;
          else if (c == "60001007" || c == "169752005" || c == "LA26683-5" || c == "LA4489-6") v = false;
          else if (!text.empty()) v = text.find("not") == std::string::npos;
        }
      }
      if (!v) return Error(path + ".value[x]", "pregnancy / breastfeeding status needs valueBoolean or a known code");
      (o.concept_id == "pregnancy" ? p->pregnant : p->breastfeeding) = *v;
      return Status::Ok();
    }
    if (auto q = Obj(r, "valueQuantity")) {
      auto v = Num(*q, "value");
      if (!v) return Error(path + ".valueQuantity.value", "missing or not a number");
      o.value = *v;
      o.unit = Str(*q, "code").value_or(Str(*q, "unit").value_or(""));
    } else if (auto vi = Num(r, "valueInteger")) {
      o.value = *vi;
    } else {
      p->warnings.push_back(path + ": observation without a numeric value, skipped");
      return Status::Ok();
    }
    if (auto ranges = Arr(r, "referenceRange")) {
      for (element re : *ranges) {
        object rr;
        if (re.get_object().get(rr)) continue;
        if (auto lo = Obj(rr, "low")) o.ref_low = Num(*lo, "value");
        if (auto hi = Obj(rr, "high")) o.ref_high = Num(*hi, "value");
        break;
      }
    }
    p->observations.push_back(std::move(o));
    return Status::Ok();
  }

  Status Native(object root, Patient* p) {
    static const std::set<std::string_view> kKnown = {
        "id", "birthDate", "sex", "pregnant", "breastfeeding", "contraception", "childbearingPotential",
        "lifeExpectancy", "otherTrial", "lastTrialDate", "labs", "conditions", "medications", "procedures",
        "allergies", "complete", "answers", "$schema"};
    for (auto field : root) {
      if (!kKnown.count(field.key)) return Error(std::string(field.key), "unknown field (see docs/PATIENT.md)");
    }
    p->id = Str(root, "id").value_or("");
    auto bd = Date(root, "birthDate", "");
    if (!bd.ok()) return bd.status();
    p->birth_date = *bd;
    if (auto s = Str(root, "sex")) {
      std::string l = ToLowerAscii(*s);
      if (l == "female" || l == "f") p->sex = "female";
      else if (l == "male" || l == "m") p->sex = "male";
      else return Error("sex", "expected \"female\" or \"male\", got '" + *s + "'");
    }
    p->pregnant = Bool(root, "pregnant");
    p->breastfeeding = Bool(root, "breastfeeding");
    p->contraception = Bool(root, "contraception");
    p->childbearing_potential = Bool(root, "childbearingPotential");
    p->in_other_trial = Bool(root, "otherTrial");
    auto lt = Date(root, "lastTrialDate", "");
    if (!lt.ok()) return lt.status();
    p->last_trial_date = *lt;
    if (!p->last_trial_date.empty()) p->in_other_trial = true;
    if (auto le = Str(root, "lifeExpectancy")) {
      std::vector<std::string_view> parts = Split(Trim(*le), ' ');
      double v = 0;
      std::optional<std::string> u;
      if (parts.size() == 2 && ParseDouble(parts[0], &v)) u = ParseDurationUnit(parts[1]);
      if (!u) return Error("lifeExpectancy", "expected '<number> <days|weeks|months|years>', got '" + *le + "'");
      p->life_expectancy = Duration{v, *u};
    }
    if (auto labs = Arr(root, "labs")) {
      size_t i = 0;
      for (element le : *labs) {
        std::string path = "labs[" + std::to_string(i++) + "]";
        object l;
        if (le.get_object().get(l)) return Error(path, "expected an object");
        PatientObservation o;
        o.ref = path;
        std::string code = Str(l, "code").value_or("");
        if (code.empty()) return Error(path + ".code", "missing");
        o.concept_id = ResolveNative(code, /*observation=*/true);
        o.name = code;
        if (o.concept_id.empty()) return Error(path + ".code", "unknown analyte or score '" + code + "'");
        auto v = Num(l, "value");
        if (!v) return Error(path + ".value", "missing or not a number");
        o.value = *v;
        o.unit = Str(l, "unit").value_or("");
        if (!o.unit.empty()) {
          std::optional<Unit> u = UnitForCode(o.unit);
          if (!u) u = ParseUnit(o.unit);
          if (!u) return Error(path + ".unit", "unknown unit '" + o.unit + "'");
          o.unit = u->code;
        }
        o.ref_high = Num(l, "uln");
        o.ref_low = Num(l, "lln");
        auto d = Date(l, "date", path);
        if (!d.ok()) return d.status();
        o.date = *d;
        p->observations.push_back(std::move(o));
      }
    }
    struct ListSpec {
      std::string_view key;
      std::vector<PatientRecord>* out;
    };
    for (ListSpec spec : {ListSpec{"conditions", &p->conditions}, ListSpec{"medications", &p->medications},
                          ListSpec{"procedures", &p->procedures}, ListSpec{"allergies", &p->allergies}}) {
      auto list = Arr(root, spec.key);
      if (!list) continue;
      size_t i = 0;
      for (element ie : *list) {
        std::string path = std::string(spec.key) + "[" + std::to_string(i++) + "]";
        PatientRecord rec;
        rec.ref = path;
        std::string_view text;
        object item;
        if (!ie.get_string().get(text)) {
          rec.name = std::string(text);
        } else if (!ie.get_object().get(item)) {
          rec.name = Str(item, "code").value_or(Str(item, "text").value_or(""));
          std::string st = Str(item, "status").value_or("active");
          if (st == "absent" || st == "no" || st == "refuted" || st == "not-taken") rec.status = RecordStatus::kAbsent;
          else if (st == "resolved" || st == "inactive" || st == "completed" || st == "stopped" || st == "remission") rec.status = RecordStatus::kInactive;
          else if (st != "active") return Error(path + ".status", "expected active, resolved, remission or absent, got '" + st + "'");
          rec.remission = st == "remission";
          for (auto [key, dst] : {std::pair<std::string_view, PartialDate*>{"start", &rec.start}, {"onset", &rec.start},
                                  {"date", &rec.start}, {"end", &rec.end}, {"abatement", &rec.end}}) {
            auto d = Date(item, key, path);
            if (!d.ok()) return d.status();
            if (!d->empty()) *dst = *d;
          }
        } else {
          return Error(path, "expected a string or an object");
        }
        if (rec.name.empty()) return Error(path, "needs a code or text");
        ResolveNativeRecord(&rec);
        if (spec.key == "procedures" && rec.end.empty()) rec.end = rec.start;
        spec.out->push_back(std::move(rec));
      }
    }
    if (auto answers = Obj(root, "answers")) {
      for (auto study : *answers) {
        std::string spath = "answers." + std::string(study.key);
        object per;
        if (study.value.get_object().get(per)) return Error(spath, "expected an object of \"inclusion LABEL\": true|false");
        for (auto a : per) {
          TS_RETURN_IF_ERROR(CheckCriterionKey(a.key, spath + "." + std::string(a.key)));
          bool b = false;
          if (a.value.get_bool().get(b)) return Error(spath + "." + std::string(a.key), "expected true or false");
          p->answers[std::string(study.key) + "|" + std::string(a.key)] = {b, spath};
        }
      }
    }
    if (auto c = Arr(root, "complete")) {
      for (element ce : *c) {
        std::string_view s;
        if (ce.get_string().get(s)) return Error("complete", "expected strings");
        if (s != "conditions" && s != "medications" && s != "procedures" && s != "allergies") {
          return Error("complete", "unknown list '" + std::string(s) + "'");
        }
        p->complete.insert(std::string(s));
      }
    }
    return Status::Ok();
  }

 private:
  const ConceptTable& concepts_;
  std::string_view source_;
};

}  // namespace

std::string AnswerKey(std::string_view study_key, std::string_view kind, std::string_view label) {
  return std::string(study_key) + "|" + std::string(kind) + " " + std::string(label);
}

Result<Patient> ParsePatientJson(std::string_view json, const ConceptTable& concepts, std::string_view source) {
  simdjson::dom::parser parser;
  element doc;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(doc)) {
    return Status::InvalidArgument(std::string(source) + ": invalid JSON: " + simdjson::error_message(err));
  }
  object root;
  if (doc.get_object().get(root)) return Status::InvalidArgument(std::string(source) + ": expected a JSON object");
  Reader reader(concepts, source);
  Patient p;
  auto type = Str(root, "resourceType");
  Status st;
  if (type) {
    if (*type == "Patient") {
      // A bare Patient resource: demographics only.
      st = reader.Resource(root, "Patient", "Patient", "", &p);
    } else if (*type != "Bundle") {
      return Status::InvalidArgument(std::string(source) + ": resourceType '" + *type + "': expected Bundle or Patient");
    } else {
      st = reader.Fhir(root, &p);
    }
  } else {
    st = reader.Native(root, &p);
  }
  if (!st.ok()) return st;
  return p;
}

}  // namespace ts
