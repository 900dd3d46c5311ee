// Protocol files (docs/PROTOCOL.md): the parts of a protocol the record does not state in words the reader can
// read, written as plain sentences the reader must read in full. A file line states or corrects a part; it wins
// over the record, and a conflict it settles stays listed, marked settled.
//   study NCT01234567
//   arm Experimental arm: rhTPO once daily on days 1-7 of each 28-day cycle for 3 cycles
//   study: stop the study drug if platelets >= 100 x10^9/L
//
//   std::vector<ProtocolFile> files = BuiltinProtocolFiles();
//   Result<Protocol> p = BuildProtocol(study, lex, concepts, files);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/protocol_reader.h"

namespace ts {

struct ProtocolFile {
  std::string name;  // "resources/protocols/cams_rhtpo.protocol"
  std::string text;
};

// The files under resources/protocols/, built into the binary.
std::vector<ProtocolFile> BuiltinProtocolFiles();

// The study key a file names on its `study KEY` line; InvalidArgument when it has none.
Result<std::string> ProtocolFileStudy(const ProtocolFile& file);

// Applies one file to `protocol`. InvalidArgument names the file and line: a line that is not `arm LABEL: ...`,
// `study: ...`, a comment or blank; an arm the protocol does not have; a sentence the reader cannot read in full;
// a file for another study.
Status ApplyProtocolFile(const ProtocolFile& file, const ProtocolLexicon& lex, const ConceptTable& concepts,
                         Protocol* protocol);

// ReadProtocol, then every file of `files` for the study's key, in order.
Result<Protocol> BuildProtocol(const Study& study, const ProtocolLexicon& lex, const ConceptTable& concepts,
                               const std::vector<ProtocolFile>& files);

}  // namespace ts
