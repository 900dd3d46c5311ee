// Reads a study's protocol from its record: arm group and intervention descriptions (each names its arms), the
// brief summary and the detailed description (study-wide: rules, endpoints, randomisation, and a cross-check of
// the doses the arms state), and the design module (allocation, enrollment). Conservative: a sentence is read
// only as far as the lexicon and the grammar reach; the rest stays text in Protocol::unread. It never guesses.
//   auto lex = ProtocolLexicon::Builtin();  auto concepts = ConceptTable::Builtin();
//   Protocol p = ReadProtocol(study, *lex, *concepts);
//   Status s = ApplyProtocolFile(file_text, "resources/protocols/x.protocol", *lex, *concepts, &p);  // protocol_file.h
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eligibility/concepts.h"
#include "model/study.h"
#include "protocol/protocol.h"
#include "protocol/protocol_lexicon.h"

namespace ts {

// One text of the record (or one line of a protocol file) and what it speaks about.
struct ProtocolText {
  Source source;                   // field and origin; `sentence` is filled per sentence
  std::string text;
  std::vector<std::string> arms;   // the arms it describes; empty = the study as a whole
};

// The texts ReadProtocol reads, in order.
std::vector<ProtocolText> ProtocolTexts(const Study& study);

// Splits a record text into sentences: lines, then ". " (not after a one-letter abbreviation such as "s.c."),
// after markdown escapes are removed. A line ending in ':' stays one sentence (a heading).
std::vector<std::string> SplitProtocolSentences(std::string_view text);

// Builds the protocol of `study` from its record alone.
Protocol ReadProtocol(const Study& study, const ProtocolLexicon& lex, const ConceptTable& concepts);

// Reads `texts` into `protocol` (used by ReadProtocol and by protocol files). With `authoritative`, every
// sentence must be read in full (else InvalidArgument naming the source), and what it states replaces what the
// record said (a dose conflict it settles is kept as a finding, marked settled).
Status ReadProtocolTexts(const std::vector<ProtocolText>& texts, const ProtocolLexicon& lex, const ConceptTable& concepts,
                         bool authoritative, Protocol* protocol);

}  // namespace ts
