#!/usr/bin/env python3
"""Derives the compact vocabulary tables under resources/vocab/ from the open vocabularies.

    scripts/vocab/build_tables.py [--vocab ../shared/data/vocab] [--out resources/vocab]

Reads (never copies) the Human Disease Ontology, MeSH 2024, DrugCentral (2016 freeze) and ICD-10-CM FY2022 files
described in ../shared/data/README.md and writes, sorted so that a re-run is byte-identical:

  nodes.tsv          id, kind (disease | drug | drug_class | chemical | procedure), label
  parents.tsv        child id, parent id (is-a; a node may have several parents): the Disease Ontology's own, and
                     between diseases also MeSH's disease trees where both ends map to one DO term (link_disease_trees)
  codes.tsv          system (ICD10CM, SNOMED, MESH, RXNORM, UNII, NDFRT), code, node id
  names.tsv          key (ASCII lower-cased, spaces collapsed), node id, flag (A = short all-caps abbreviation, - = name);
                     a node's own label is a name too and is not repeated here
  icd10cm_prefix.tsv ICD-10-CM header code, node id, the "unspecified" child code it was taken from
  NOTICE.md          sources, licences and what was changed

Standard library only. Exits non-zero with a message when an input is missing or malformed.
"""

import argparse
import collections
import csv
import os
import re
import sys

EMBED_DELIMITER = ')ts_embed"'  # resources/embed_text.cmake wraps each table in R"ts_embed(...)ts_embed"
MAX_TERM_CHARS = 60
FDA_CLASS_TYPES = {'EPC', 'MoA', 'Chemical/Ingredient'}
PROCEDURE_TREES = ('E02', 'E04')  # MeSH: Therapeutics, Surgical Procedures
# MeSH trees whose broader-narrower links are read as is-a between diseases: Diseases (C) but not C23 (pathological
# conditions, signs and symptoms, whose children are findings of many diseases), and Mental Disorders (F03).
SYMPTOM_TREES = ('C23.888', 'C10.597')  # MeSH: Signs and Symptoms; Neurologic Manifestations
DISEASE_TREES = tuple(f'C{n:02d}' for n in range(1, 27) if n != 23) + ('F03',)
GLUCOCORTICOID_PA = 'D005938'              # MeSH pharmacological action Glucocorticoids
ANTINEOPLASTIC_PAS = ('D000970', 'D018931')  # Antineoplastic Agents; Antineoplastic Agents, Hormonal
DC_CODE_SYSTEMS = {'RXNORM': 'RXNORM', 'SNOMEDCT_US': 'SNOMED', 'UNII': 'UNII'}
DOID_CODE_SYSTEMS = {'ICD10CM': 'ICD10CM', 'MESH': 'MESH'}


def read_tsv(path):
    """Rows of a tab-separated file with a header, as dicts; quotes ("...") are removed."""
    if not os.path.exists(path):
        sys.exit(f'build_tables.py: missing input {path}')
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f, delimiter='\t'))


def name_key(text):
    """The lookup key the C++ side computes: ASCII lower-case, runs of whitespace collapsed to one space."""
    folded = ''.join(chr(ord(c) + 32) if 'A' <= c <= 'Z' else c for c in text)
    return ' '.join(w for w in re.split(r'[ \t\n\r\f\v]+', folded) if w)


def is_abbreviation(term):
    """A short term written without lower-case letters ("PE", "MS", "CR", "NHL") may mean several things."""
    letters = [c for c in term if c.isalpha()]
    return 0 < len(term.replace(' ', '')) <= 4 and not any(c.islower() for c in letters)


def usable_term(term):
    """Skips chemical-name monsters: long IUPAC names, many digits or commas, brackets with locants."""
    if len(term) > MAX_TERM_CHARS or len(term.strip()) < 2:
        return False
    if term.count(',') > 1 or sum(c.isdigit() for c in term) > 6:
        return False
    if re.search(r'[\[\]{}]|\(\d|\d,\d|\d\(', term):
        return False
    return '\t' not in term and '\n' not in term


class Graph:
    def __init__(self):
        self.nodes = {}                      # id -> (kind, label)
        self.parents = set()                 # (child, parent)
        self.codes = set()                   # (system, code, node)
        self.names = {}                      # (key, node) -> flag

    def add_node(self, node_id, kind, label):
        if node_id not in self.nodes:
            self.nodes[node_id] = (kind, ' '.join(label.split()))

    def add_name(self, node_id, term):
        if not usable_term(term):
            return
        key = name_key(term)
        flag = 'A' if is_abbreviation(term.strip()) else '-'
        # A node's full name wins over the same key seen as an abbreviation.
        if self.names.get((key, node_id)) != '-':
            self.names[(key, node_id)] = flag


def load_doid(vocab, g):
    """Diseases: hierarchy of HumanDO.tsv (2026), EXACT synonyms of the 2024 .obo, xrefs of allXREFinDO.tsv."""
    rows = read_tsv(os.path.join(vocab, 'doid', 'HumanDO.tsv'))
    by_label = {r['label']: r['id'] for r in rows}
    obo_names, obo_synonyms = read_obo(os.path.join(vocab, 'doid', 'doid_2024-01-31.obo'))
    obo_by_label = {label: i for i, label in obo_names.items()}
    for r in rows:
        g.add_node(r['id'], 'disease', r['label'])
    for r in rows:
        parent_label = r['subClassOf']
        if not parent_label:
            continue
        parent = by_label.get(parent_label) or obo_by_label.get(parent_label)
        if parent is None:
            sys.exit(f'build_tables.py: HumanDO.tsv: unknown parent "{parent_label}" of {r["id"]}')
        g.add_node(parent, 'disease', parent_label)
        g.parents.add((r['id'], parent))
    for node_id, (kind, label) in list(g.nodes.items()):
        if kind != 'disease':
            continue
        g.add_name(node_id, label)
        for syn in obo_synonyms.get(node_id, []):
            g.add_name(node_id, syn)
    mesh_to_doid = collections.defaultdict(set)
    for r in read_tsv(os.path.join(vocab, 'doid', 'allXREFinDO.tsv')):
        if r['id'] not in g.nodes or ':' not in r['xref']:
            continue
        prefix, code = r['xref'].split(':', 1)
        system = 'SNOMED' if prefix.startswith('SNOMEDCT_US') else DOID_CODE_SYSTEMS.get(prefix)
        if system:
            g.codes.add((system, code, r['id']))
        if system == 'MESH':
            mesh_to_doid[code].add(r['id'])
    return mesh_to_doid


def read_obo(path):
    """id -> name and id -> EXACT synonyms of the non-obsolete [Term] stanzas."""
    if not os.path.exists(path):
        sys.exit(f'build_tables.py: missing input {path}')
    names, synonyms = {}, collections.defaultdict(list)
    term_id, obsolete, name, syns = None, False, None, []

    def flush():
        if term_id and not obsolete:
            names[term_id] = name
            synonyms[term_id].extend(syns)

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('['):
                flush()
                term_id, obsolete, name, syns = None, False, None, []
            elif line.startswith('id: DOID:'):
                term_id = line[4:]
            elif line.startswith('name: '):
                name = line[6:]
            elif line.startswith('is_obsolete: true'):
                obsolete = True
            else:
                m = re.match(r'synonym: "(.*)" EXACT', line)
                if m:
                    syns.append(m.group(1).replace('\\"', '"'))
        flush()
    return names, synonyms


class Mesh:
    def __init__(self, vocab):
        base = os.path.join(vocab, 'mesh2024')
        self.trees = collections.defaultdict(list)   # ui -> tree numbers
        self.by_tree = {}                            # tree number -> ui
        self.names = {}                              # ui -> preferred name
        for r in read_tsv(os.path.join(base, 'mesh2024_descriptor_trees.tsv')):
            self.trees[r['DescriptorUI']].append(r['tree_location'])
            self.by_tree[r['tree_location']] = r['DescriptorUI']
            self.names[r['DescriptorUI']] = r['DescriptorName']
        self.terms = collections.defaultdict(list)   # ui -> entry terms (not permuted)
        for r in read_tsv(os.path.join(base, 'mesh2024_descriptor_terms.tsv')):
            self.names.setdefault(r['DescriptorUI'], r['DescriptorName'])
            if r['IsPermutedTermYN'] != 'Y':
                self.terms[r['DescriptorUI']].append(r['TermName'])
        self.actions = read_tsv(os.path.join(base, 'mesh2024_descriptor_pharm_action_named.tsv'))
        self.substances = {r['DescriptorUI'] for r in self.actions}

    def tree_parents(self, ui):
        out = set()
        for t in self.trees.get(ui, []):
            if '.' in t:
                parent = self.by_tree.get(t.rsplit('.', 1)[0])
                if parent:
                    out.add(parent)
        return out

    def in_tree(self, ui, prefixes):
        return any(t.startswith(prefixes) for t in self.trees.get(ui, []))


def load_drugs(vocab, mesh, g):
    """Drugs (DrugCentral ingredients merged with their MeSH descriptor), FDA classes and MeSH actions."""
    base = os.path.join(vocab, 'drugcentral')
    ids = read_tsv(os.path.join(base, 'identifiers.tsv'))
    classes = read_tsv(os.path.join(base, 'pharm_class.tsv'))
    drug_names = {}
    for r in ids + classes:
        drug_names[r['DRUG_ID']] = r['DRUG_NAME']
    node_of_mesh = {}   # MeSH UI (descriptor or supplementary) -> node id
    for r in ids:
        if r['ID_TYPE'] in ('MESH_DESCRIPTOR_UI', 'MESH_SUPPLEMENTAL_RECORD_UI'):
            node_of_mesh.setdefault(r['IDENTIFIER'], 'DC:' + r['DRUG_ID'])
    # DrugCentral 2016 predates some MeSH descriptors (docetaxel was a supplementary record): merge by name
    # when exactly one MeSH descriptor in the D tree carries the drug's name.
    term_owner = collections.defaultdict(set)
    for ui, terms in mesh.terms.items():
        if mesh.in_tree(ui, ('D',)):
            for t in terms + [mesh.names[ui]]:
                term_owner[name_key(t)].add(ui)
    merged = {node for ui, node in node_of_mesh.items() if ui.startswith('D')}
    for drug_id, name in sorted(drug_names.items(), key=lambda kv: int(kv[0])):
        node = 'DC:' + drug_id
        owners = {ui for ui in term_owner.get(name_key(name), set()) if ui not in node_of_mesh}
        if node not in merged and len(owners) == 1:
            node_of_mesh[owners.pop()] = node
            merged.add(node)
    for drug_id, name in drug_names.items():
        g.add_node('DC:' + drug_id, 'drug', name)
        g.add_name('DC:' + drug_id, name)
    for r in ids:
        system = DC_CODE_SYSTEMS.get(r['ID_TYPE'])
        if system:
            g.codes.add((system, r['IDENTIFIER'], 'DC:' + r['DRUG_ID']))
    for ui, node in sorted(node_of_mesh.items()):
        g.codes.add(('MESH', ui, node))
        if ui.startswith('D'):
            mesh_node(mesh, node_of_mesh, g, ui)  # entry terms and chemical classes of the merged descriptor
    for r in classes:
        drug = 'DC:' + r['DRUG_ID']
        if r['TYPE'] in FDA_CLASS_TYPES:
            cls = 'NDFRT:' + r['CLASS_SOURCE_ID']
            g.add_node(cls, 'chemical' if r['TYPE'] == 'Chemical/Ingredient' else 'drug_class', r['CLASS'])
            g.add_name(cls, r['CLASS'])
            g.codes.add(('NDFRT', r['CLASS_SOURCE_ID'], cls))
            g.parents.add((drug, cls))
        elif r['TYPE'] == 'PA':
            g.parents.add((drug, mesh_node(mesh, node_of_mesh, g, r['CLASS_SOURCE_ID'])))
    for r in mesh.actions:
        ui = r['DescriptorUI']
        if ui.startswith('C') and ui not in node_of_mesh:
            continue  # a supplementary record DrugCentral does not know: no name to look it up by
        child = mesh_node(mesh, node_of_mesh, g, ui)
        g.parents.add((child, mesh_node(mesh, node_of_mesh, g, r['PharmActionUI'])))
    # MeSH lists the glucocorticoids (prednisone, dexamethasone) as hormonal antineoplastics too, for their place in
    # lymphoma and myeloma regimens. A patient on prednisone for asthma is not on anti-cancer therapy, and the other
    # drugs of such a regimen are antineoplastic in their own right: the glucocorticoids lose those actions.
    glucocorticoid = mesh_node(mesh, node_of_mesh, g, GLUCOCORTICOID_PA)
    antineoplastic = {mesh_node(mesh, node_of_mesh, g, ui) for ui in ANTINEOPLASTIC_PAS}
    steroids = {c for c, p in g.parents if p == glucocorticoid}
    g.parents -= {(c, p) for c, p in g.parents if c in steroids and p in antineoplastic}


def mesh_node(mesh, node_of_mesh, g, ui):
    """The node of a MeSH descriptor, created with its tree ancestors (D27 actions, chemical classes)."""
    if ui in node_of_mesh:
        node = node_of_mesh[ui]
        if node.startswith('DC:'):
            for t in mesh.terms.get(ui, []):
                g.add_name(node, t)
            link_tree_parents(mesh, node_of_mesh, g, ui, node)
        return node
    node = 'MESH:' + ui
    node_of_mesh[ui] = node
    kind = 'drug_class' if mesh.in_tree(ui, ('D27',)) else 'drug' if ui in mesh.substances else 'chemical'
    g.add_node(node, kind, mesh.names.get(ui, ui))
    g.codes.add(('MESH', ui, node))
    g.add_name(node, mesh.names.get(ui, ui))
    for t in mesh.terms.get(ui, []):
        g.add_name(node, t)
    link_tree_parents(mesh, node_of_mesh, g, ui, node)
    return node


def link_tree_parents(mesh, node_of_mesh, g, ui, node):
    for parent_ui in sorted(mesh.tree_parents(ui)):
        if not mesh.in_tree(parent_ui, ('D',)):
            continue
        if parent_ui in mesh.substances or node_of_mesh.get(parent_ui, 'MESH:').startswith('DC:'):
            continue  # a drug under a drug in the chemical tree (clopidogrel under ticlopidine) is no is-a
        parent = mesh_node(mesh, node_of_mesh, g, parent_ui)
        if parent != node:
            g.parents.add((node, parent))


def disease_name_norm(name):
    """"Hepatitis, Autoimmune" -> "autoimmune hepatitis"; "Alzheimer's disease" and "Alzheimer Disease", "Liver
    Diseases" and "liver disease" meet."""
    if name.count(',') == 1:
        head, tail = name.split(',')
        name = tail + ' ' + head
    words = name_key(name.replace("'s ", ' ').replace("'", '')).split(' ')
    return ' '.join(w[:-1] if len(w) > 3 and w.endswith('s') and not w.endswith('ss') else w for w in words)


def load_disease_terms(mesh, mesh_to_doid, g):
    """MeSH entry terms of C-tree descriptors that exactly one Disease Ontology term cross-references. A descriptor
    that is only a sign or symptom (C23.888, C10.597 neurologic manifestations) gives its terms only to a DO term of
    its own name: "Seizures" is cross-referenced by "visual epilepsy" alone, and a patient's "seizure" is not
    epilepsy."""
    for ui, doids in mesh_to_doid.items():
        if len(doids) != 1 or not mesh.in_tree(ui, ('C',)):
            continue
        node = next(iter(doids))
        symptom = all(t.startswith(SYMPTOM_TREES) for t in mesh.trees.get(ui, []))
        if symptom and disease_name_norm(g.nodes[node][1]) != disease_name_norm(mesh.names.get(ui, '')):
            continue
        for t in mesh.terms.get(ui, []) + [mesh.names.get(ui, '')]:
            g.add_name(node, t)


def link_disease_trees(mesh, mesh_to_doid, g):
    """Is-a links the Disease Ontology lacks (Alzheimer's disease under dementia, autoimmune hepatitis under liver
    disease), taken from MeSH's disease trees: for a descriptor that exactly one DO term cross-references (or, with
    none, that exactly one DO term is named as), walk up
    each of its tree numbers to the nearest ancestor that exactly one DO term cross-references, and link the two
    terms. Only cross-references that name the same thing count: the DO term's label is the descriptor's own name,
    up to case, word order around a comma, plurals and possessives (an entry term is not enough: "Middle East
    respiratory syndrome" is an entry term of "Coronavirus Infections", which would put COVID-19 under MERS) (a DO "fibrosarcoma" that cross-references "Neoplasms, Fibrous
    Tissue" would put fibroma under fibrosarcoma). A link that would close a cycle in the DO hierarchy is left out."""
    norm = disease_name_norm

    def same(ui, doid):
        return norm(g.nodes[doid][1]) == norm(mesh.names.get(ui, ''))

    one = {ui: next(iter(d)) for ui, d in mesh_to_doid.items() if len(d) == 1 and same(ui, next(iter(d)))}
    # A descriptor no DO term cross-references meets the one DO term of its own name ("Dementia" and DOID:1307).
    by_norm = collections.defaultdict(set)
    for node_id, (kind, label) in g.nodes.items():
        if kind == 'disease' and node_id.startswith('DOID:'):
            by_norm[norm(label)].add(node_id)
    for ui, trees in mesh.trees.items():
        if ui not in one and ui not in mesh_to_doid and any(t.startswith(DISEASE_TREES) for t in trees):
            match = by_norm.get(norm(mesh.names.get(ui, '')), set())
            if len(match) == 1:
                one[ui] = next(iter(match))
    up = collections.defaultdict(set)
    for child, parent in g.parents:
        up[child].add(parent)

    def reaches(start, goal):
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n == goal:
                return True
            if n not in seen:
                seen.add(n)
                todo.extend(up.get(n, ()))
        return False

    added = []
    for ui in sorted(one):
        child = one[ui]
        for t in sorted(mesh.trees.get(ui, [])):
            if not t.startswith(DISEASE_TREES):
                continue
            while '.' in t:
                t = t.rsplit('.', 1)[0]
                parent_ui = mesh.by_tree.get(t)
                if parent_ui in one:
                    parent = one[parent_ui]
                    if parent != child and not reaches(parent, child) and not reaches(child, parent):
                        up[child].add(parent)
                        added.append((child, parent))
                    break
    g.parents.update(added)
    return len(added)


def load_procedures(mesh, g):
    """MeSH procedures (Therapeutics, Surgical Procedures) with their tree parents and entry terms."""
    for ui, trees in mesh.trees.items():
        if not any(t.startswith(PROCEDURE_TREES) for t in trees):
            continue
        node = 'MESH:' + ui
        g.add_node(node, 'procedure', mesh.names[ui])
        g.codes.add(('MESH', ui, node))
        g.add_name(node, mesh.names[ui])
        for t in mesh.terms.get(ui, []):
            g.add_name(node, t)
        for parent in mesh.tree_parents(ui):
            if any(t.startswith(PROCEDURE_TREES) for t in mesh.trees[parent]):
                g.parents.add((node, 'MESH:' + parent))


def icd_prefixes(vocab, g):
    """ICD-10-CM header codes without a Disease Ontology xref take the DOID terms of their one "unspecified"
    child ("D61" <- "D61.9 Aplastic anemia, unspecified"), so that "D61.3" walks up to a disease."""
    rows = read_tsv(os.path.join(vocab, 'icd10cm', 'icd10cm_fy2022_order.tsv'))
    xref = collections.defaultdict(set)
    for system, code, node in g.codes:
        if system == 'ICD10CM':
            xref[code.replace('.', '')].add(node)
    children = collections.defaultdict(list)
    for r in rows:
        code = r['icd10cm_code'].strip()
        if len(code) > 3:
            children[code[:-1]].append((code, r['icd10cm_long_description']))
    out = set()
    for parent, kids in children.items():
        if parent in xref:
            continue
        unspecified = [(c, xref[c]) for c, desc in kids if 'unspecified' in desc.lower() and c in xref]
        if len(unspecified) == 1:
            code, nodes = unspecified[0]
            for node in nodes:
                out.add((dotted(parent), node, dotted(code)))
    return out


def dotted(code):
    return code if len(code) <= 3 else code[:3] + '.' + code[3:]


def write_tables(out_dir, g, prefixes):
    os.makedirs(out_dir, exist_ok=True)
    known = set(g.nodes)
    tables = {
        'nodes.tsv': (['id', 'kind', 'label'], sorted((i, k, lab) for i, (k, lab) in g.nodes.items())),
        'parents.tsv': (['child', 'parent'], sorted(p for p in g.parents if p[0] in known and p[1] in known)),
        'codes.tsv': (['system', 'code', 'node'], sorted(c for c in g.codes if c[2] in known)),
        'names.tsv': (['key', 'node', 'flag'], sorted((k, n, f) for (k, n), f in g.names.items()
                                                      if k and not (f == '-' and k == name_key(g.nodes[n][1])))),
        'icd10cm_prefix.tsv': (['prefix', 'node', 'via'], sorted(prefixes)),
    }
    for name, (header, rows) in tables.items():
        text = '\t'.join(header) + '\n' + ''.join('\t'.join(r) + '\n' for r in rows)
        if EMBED_DELIMITER in text:
            sys.exit(f'build_tables.py: {name} contains the embed delimiter {EMBED_DELIMITER}')
        with open(os.path.join(out_dir, name), 'w', encoding='utf-8', newline='\n') as f:
            f.write(text)
    with open(os.path.join(out_dir, 'NOTICE.md'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(NOTICE)


NOTICE = """# Vocabulary tables: sources and notices

The tables in this folder are derived by `scripts/vocab/build_tables.py` from the files in `../shared/data/vocab`.
They are not the original files: only some rows and columns are kept, names are lower-cased and merged, and codes from
different sources are linked into one is-a graph. Re-run the script to rebuild them.

- **Human Disease Ontology** (hierarchy of the 2026-08 release `HumanDO.tsv`, EXACT synonyms of `doid_2024-01-31.obo`,
  cross-references of `allXREFinDO.tsv`). The Disease Ontology is dedicated to the public domain under CC0 1.0
  Universal (https://creativecommons.org/publicdomain/zero/1.0/); https://disease-ontology.org.
- **MeSH 2024** (Medical Subject Headings, U.S. National Library of Medicine): descriptor names, entry terms, tree
  numbers and pharmacological actions. This product uses MeSH 2024 and has changed it (selected descriptors and terms,
  lower-cased, merged with other vocabularies; the glucocorticoids' antineoplastic actions left out; the broader-narrower links of its disease trees added as is-a links
  between the Disease Ontology terms they name). The tables are not endorsed by the U.S. National Library of Medicine,
  and nothing here implies such an endorsement.
- **DrugCentral** (2016-11 freeze): drugs, FDA Established Pharmacologic Classes, mechanisms of action and chemical
  classes (`pharm_class.tsv`), RxNorm, SNOMED CT, UNII and MeSH identifiers (`identifiers.tsv`). DrugCentral is
  licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Credit: Ursu O, Holmes J, Knockel J, et al.
  DrugCentral: online drug compendium. Nucleic Acids Res. 2017;45(D1):D932-D939. https://drugcentral.org.
  Changes: selected columns and rows, classes linked to MeSH actions, names lower-cased.
- **ICD-10-CM FY2022** (CDC/NCHS, U.S. Government work, public domain): used only to give header codes the disease of
  their "unspecified" child (`icd10cm_prefix.tsv`); the code list itself is not shipped.

SNOMED CT, RxNorm and UNII identifiers appear only as cross-references carried by the sources above.
"""


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vocab', default=os.path.join(root, '..', 'shared', 'data', 'vocab'))
    ap.add_argument('--out', default=os.path.join(root, 'resources', 'vocab'))
    args = ap.parse_args()
    g = Graph()
    mesh = Mesh(args.vocab)
    mesh_to_doid = load_doid(args.vocab, g)
    load_drugs(args.vocab, mesh, g)
    link_disease_trees(mesh, mesh_to_doid, g)
    load_disease_terms(mesh, mesh_to_doid, g)
    load_procedures(mesh, g)
    write_tables(args.out, g, icd_prefixes(args.vocab, g))


if __name__ == '__main__':
    main()
