#!/usr/bin/env python3
"""Checks an Atom feed of trialscope with a real feed parser (Debian's python3-feedparser).
   check_atom.py FEED.xml MIN_ENTRIES [ENTRY_ID_THAT_MUST_BE_PRESENT]
Fails unless the feed parses as Atom 1.0 without errors (not "bozo"), has a title, id, updated and a self link,
at least MIN_ENTRIES entries each with an id, title, updated, link and summary, and the given entry id."""
import sys

import feedparser

path, min_entries = sys.argv[1], int(sys.argv[2])
want = sys.argv[3] if len(sys.argv) > 3 else None
d = feedparser.parse(path)
problems = []
if d.bozo:
    problems.append("not well-formed: %r" % (d.bozo_exception,))
if d.get("version") != "atom10":
    problems.append("not Atom 1.0: version %r" % d.get("version"))
for key in ("title", "id", "updated"):
    if not d.feed.get(key):
        problems.append("the feed has no " + key)
if not any(l.get("rel") == "self" for l in d.feed.get("links", [])):
    problems.append("the feed has no self link")
if len(d.entries) < min_entries:
    problems.append("%d entries, want at least %d" % (len(d.entries), min_entries))
for e in d.entries:
    for key in ("id", "title", "updated", "link", "summary"):
        if not e.get(key):
            problems.append("entry %s has no %s" % (e.get("id"), key))
    if e.get("updated_parsed") is None:
        problems.append("entry %s: updated is not a date" % e.get("id"))
if want and want not in [e.get("id") for e in d.entries]:
    problems.append("no entry " + want + " among " + ", ".join(e.get("id", "?") for e in d.entries))
if problems:
    sys.exit("\n".join(problems))
print("atom ok: %d entries" % len(d.entries))
