"""Serialisation: the faster namespace walk answers exactly as rdflib's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.namespace import insert_strie

from kg.serialise import RDFLIB_LONGEST_NAMESPACE, _longest_namespace

SEGMENT = st.sampled_from(["a", "b", "ab", "mention-1", "mention-12", "part-1", "x#", "1", "-", "/"])
IRI = st.lists(SEGMENT, min_size=1, max_size=6).map(lambda parts: "https://w3id.org/nanmatou/" + "/".join(parts))


@settings(max_examples=300, deadline=None)
@given(namespaces=st.lists(IRI, max_size=60), probes=st.lists(IRI, min_size=1, max_size=20))
def test_longest_namespace_matches_rdflib(namespaces, probes):
    trie: dict = {}
    strie: dict = {}
    for ns in namespaces:
        insert_strie(strie, trie, ns)
    for probe in probes:
        for node in [trie, *strie.values()]:
            assert _longest_namespace(node, probe) == RDFLIB_LONGEST_NAMESPACE(node, probe)


def test_longest_namespace_with_many_siblings():
    """A report's node holds hundreds of mention-N# namespaces: the look-up branch answers alike."""
    base = "https://w3id.org/nanmatou/report/r/"
    trie: dict = {}
    strie: dict = {}
    for ns in [base, *(f"{base}mention-{n}#" for n in range(600)), f"{base}part-1/", f"{base}part-1/section-2/"]:
        insert_strie(strie, trie, ns)
    node = strie[base]
    assert len(node) > 100
    for probe in [f"{base}mention-7", f"{base}mention-77#selector", f"{base}part-1/section-2/x", f"{base}zzz"]:
        assert _longest_namespace(node, probe) == RDFLIB_LONGEST_NAMESPACE(node, probe)
        assert _longest_namespace(trie, probe) == RDFLIB_LONGEST_NAMESPACE(trie, probe)


ID = st.text(alphabet=st.sampled_from(list('ab!"\\ /#:码\t')), max_size=6)
NODE = st.fixed_dictionaries(
    {"@id": ID},
    optional={"@type": st.sampled_from(["nmt:A", "skos:Concept"]), "rdfs:label": ID, "!odd": ID, "@graph": st.just([])},
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NODE, ID), max_size=8))
def test_canonical_order_is_the_json_text_order(items):
    """Sorting node lists by their ids' JSON text gives the order of their whole JSON text."""
    import json

    from kg.serialise import _order

    def whole(v):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    assert [whole(v) for v in sorted(items, key=_order(items))] == sorted(whole(v) for v in items)
