#include "ingest/record_sections_json.h"

namespace ts::ingest_internal {

BrowseTree ReadBrowseTree(JsonFieldReader& r, object m, const std::string& path) {
  BrowseTree t;
  r.EachObj(m, "ancestors", path, [&](object x, const std::string& p) {
    t.ancestors.emplace_back(r.Str(x, "id", p), r.Str(x, "term", p));
  });
  r.EachObj(m, "browseLeaves", path, [&](object x, const std::string& p) {
    t.leaves.push_back({r.Str(x, "id", p), r.Str(x, "name", p), r.Str(x, "asFound", p), r.Enum<LeafRelevance>(x, "relevance", p)});
  });
  r.EachObj(m, "browseBranches", path, [&](object x, const std::string& p) {
    t.branches.push_back({r.Str(x, "abbrev", p), r.Str(x, "name", p)});
  });
  return t;
}

MiscInfo ReadMiscInfo(JsonFieldReader& r, object m, const std::string& path) {
  MiscInfo mi;
  mi.version_holder = r.Str(m, "versionHolder", path);
  mi.removed_countries = r.Strings(m, "removedCountries", path);
  if (auto st = r.Obj(m, "submissionTracking", path)) {
    std::string p = path + ".submissionTracking";
    mi.has_submission_tracking = true;
    mi.estimated_results_first_submit_date = r.Str(*st, "estimatedResultsFirstSubmitDate", p);
    if (auto f = r.Obj(*st, "firstMcpInfo", p)) {
      if (auto d = r.Obj(*f, "postDateStruct", p + ".firstMcpInfo")) {
        mi.first_mcp_post_date = r.Str(*d, "date", p + ".firstMcpInfo.postDateStruct");
        mi.first_mcp_post_date_type = r.Str(*d, "type", p + ".firstMcpInfo.postDateStruct");
      }
    }
    r.EachObj(*st, "submissionInfos", p, [&](object x, const std::string& q) {
      mi.submission_infos.push_back({r.Str(x, "releaseDate", q), r.Str(x, "unreleaseDate", q), r.Str(x, "resetDate", q),
                                     r.Bool(x, "unreleaseDateUnknown", q), r.Int(x, "mcpReleaseN", q)});
    });
  }
  if (auto mp = r.Obj(m, "modelPredictions", path)) {
    if (auto b = r.Obj(*mp, "bmiLimits", path + ".modelPredictions")) {
      mi.min_bmi = r.Num(*b, "minBmi", path + ".modelPredictions.bmiLimits");
      mi.max_bmi = r.Num(*b, "maxBmi", path + ".modelPredictions.bmiLimits");
    }
  }
  return mi;
}

StudyDocuments ReadDocuments(JsonFieldReader& r, object section, const std::string& path) {
  StudyDocuments d;
  auto m = r.Obj(section, "largeDocumentModule", path);
  if (!m) return d;
  std::string p = path + ".largeDocumentModule";
  d.no_sap = r.Bool(*m, "noSap", p);
  r.EachObj(*m, "largeDocs", p, [&](object x, const std::string& q) {
    d.large_docs.push_back({r.Str(x, "typeAbbrev", q), r.Bool(x, "hasProtocol", q), r.Bool(x, "hasSap", q),
                            r.Bool(x, "hasIcf", q), r.Str(x, "label", q), r.Str(x, "date", q), r.Str(x, "uploadDate", q),
                            r.Str(x, "filename", q), r.Int(x, "size", q)});
  });
  return d;
}

StudyAnnotations ReadAnnotations(JsonFieldReader& r, object section, const std::string& path) {
  StudyAnnotations a;
  auto m = r.Obj(section, "annotationModule", path);
  if (!m) return a;
  std::string p = path + ".annotationModule";
  if (auto u = r.Obj(*m, "unpostedAnnotation", p)) {
    std::string q = p + ".unpostedAnnotation";
    a.has_unposted = true;
    a.unposted_responsible_party = r.Str(*u, "unpostedResponsibleParty", q);
    r.EachObj(*u, "unpostedEvents", q, [&](object x, const std::string& e) {
      a.unposted_events.push_back({r.Enum<UnpostedEventType>(x, "type", e), r.Str(x, "date", e), r.Bool(x, "dateUnknown", e)});
    });
  }
  if (auto v = r.Obj(*m, "violationAnnotation", p)) {
    std::string q = p + ".violationAnnotation";
    a.has_violation = true;
    r.EachObj(*v, "violationEvents", q, [&](object x, const std::string& e) {
      a.violation_events.push_back({r.Enum<ViolationEventType>(x, "type", e), r.Str(x, "description", e),
                                    r.Str(x, "creationDate", e), r.Str(x, "issuedDate", e), r.Str(x, "releaseDate", e),
                                    r.Str(x, "postedDate", e)});
    });
  }
  return a;
}

void WriteBrowseTree(JsonFieldWriter& w, const BrowseTree& t) {
  w.Array("ancestors", t.ancestors, [&](const std::pair<std::string, std::string>& a) {
    w.Str("id", a.first);
    w.Str("term", a.second);
  });
  w.Array("browseLeaves", t.leaves, [&](const BrowseLeaf& l) {
    w.Str("id", l.id);
    w.Str("name", l.name);
    w.Str("asFound", l.as_found);
    w.Enum("relevance", l.relevance);
  });
  w.Array("browseBranches", t.branches, [&](const BrowseBranch& b) {
    w.Str("abbrev", b.abbrev);
    w.Str("name", b.name);
  });
}

void WriteMiscInfo(JsonFieldWriter& w, const MiscInfo& mi) {
  w.Str("versionHolder", mi.version_holder);
  w.Strings("removedCountries", mi.removed_countries);
  if (mi.has_submission_tracking) {
    w.Object("submissionTracking", [&] {
      w.Str("estimatedResultsFirstSubmitDate", mi.estimated_results_first_submit_date);
      if (!mi.first_mcp_post_date.empty() || !mi.first_mcp_post_date_type.empty()) {
        w.Object("firstMcpInfo", [&] {
          w.Object("postDateStruct", [&] {
            w.Str("date", mi.first_mcp_post_date);
            w.Str("type", mi.first_mcp_post_date_type);
          });
        });
      }
      w.Array("submissionInfos", mi.submission_infos, [&](const SubmissionInfo& s) {
        w.Str("releaseDate", s.release_date);
        w.Str("unreleaseDate", s.unrelease_date);
        w.Bool("unreleaseDateUnknown", s.unrelease_date_unknown);
        w.Str("resetDate", s.reset_date);
        w.Int("mcpReleaseN", s.mcp_release_n);
      });
    });
  }
  if (mi.min_bmi || mi.max_bmi) {
    w.Object("modelPredictions", [&] {
      w.Object("bmiLimits", [&] {
        if (mi.min_bmi) {
          w.w()->Key("minBmi");
          w.w()->Double(*mi.min_bmi);
        }
        if (mi.max_bmi) {
          w.w()->Key("maxBmi");
          w.w()->Double(*mi.max_bmi);
        }
      });
    });
  }
}

void WriteDocuments(JsonFieldWriter& w, const StudyDocuments& d) {
  w.Object("largeDocumentModule", [&] {
    w.Bool("noSap", d.no_sap);
    w.Array("largeDocs", d.large_docs, [&](const LargeDoc& x) {
      w.Str("typeAbbrev", x.type_abbrev);
      w.Bool("hasProtocol", x.has_protocol);
      w.Bool("hasSap", x.has_sap);
      w.Bool("hasIcf", x.has_icf);
      w.Str("label", x.label);
      w.Str("date", x.date);
      w.Str("uploadDate", x.upload_date);
      w.Str("filename", x.filename);
      w.Int("size", x.size);
    });
  });
}

void WriteAnnotations(JsonFieldWriter& w, const StudyAnnotations& a) {
  w.Object("annotationModule", [&] {
    if (a.has_unposted) {
      w.Object("unpostedAnnotation", [&] {
        w.Str("unpostedResponsibleParty", a.unposted_responsible_party);
        w.Array("unpostedEvents", a.unposted_events, [&](const UnpostedEvent& e) {
          w.Enum("type", e.type);
          w.Str("date", e.date);
          w.Bool("dateUnknown", e.date_unknown);
        });
      });
    }
    if (a.has_violation) {
      w.Object("violationAnnotation", [&] {
        w.Array("violationEvents", a.violation_events, [&](const ViolationEvent& e) {
          w.Enum("type", e.type);
          w.Str("description", e.description);
          w.Str("creationDate", e.creation_date);
          w.Str("issuedDate", e.issued_date);
          w.Str("releaseDate", e.release_date);
          w.Str("postedDate", e.posted_date);
        });
      });
    }
  });
}

}  // namespace ts::ingest_internal
