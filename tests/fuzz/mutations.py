"""Structure-aware DER mutation for the fuzz tests: a TLV tree, tree edits, raw byte edits.

A seed (a real certificate, CRL or key) is read into a tree of TLV nodes with its own small reader
(independent of :mod:`certmutual.asn1.der`, the code under test). OCTET STRINGs and BIT STRINGs that
wrap DER (extension values, public keys) are opened too. A *tree* edit (duplicate, delete, swap,
splice, retag, new content, tampered length, nesting bomb) is re-encoded with every enclosing length
fixed up, so the mutant gets past the outer layers and exercises the parser deep down; a *raw* edit
(bit flip, byte replacement, insertion, deletion, truncation) is applied afterwards to the bytes.

Everything is drawn from Hypothesis strategies, so failures shrink to a minimal edit list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import strategies as st

MAX_TREE_DEPTH = 48


def der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + der_length(len(body)) + body


# -- the TLV tree ------------------------------------------------------------------------------


@dataclass
class Node:
    tag: bytes
    """The identifier octets (more than one for high tag numbers)."""
    content: bytes = b""
    """The contents of a primitive node (ignored when ``children`` is not None)."""
    children: list["Node"] | None = None
    prefix: bytes = b""
    """Bytes before the children: the unused-bits octet of a BIT STRING wrapping DER."""
    raw_length: bytes | None = None
    """The length octets as read, reused while the body keeps its original size (non-DER seeds)."""
    body_size: int = -1
    length_edit: tuple[str, int | bytes] | None = None
    """A deliberate length fault applied at encoding: ("raw", octets) or ("delta", n)."""
    wrap: tuple[bytes, int, bool] | None = None
    """A nesting bomb around this node: (header tag, layers, indefinite lengths?)."""

    def clone(self) -> "Node":
        return Node(self.tag, self.content, None if self.children is None else [c.clone() for c in self.children],
                    self.prefix, self.raw_length, self.body_size, self.length_edit, self.wrap)

    def encode(self) -> bytes:
        body = self.content if self.children is None else self.prefix + b"".join(c.encode() for c in self.children)
        if self.length_edit is not None:
            kind, value = self.length_edit
            length = value if kind == "raw" else der_length(max(0, len(body) + value))  # type: ignore[operator]
        elif self.raw_length is not None and len(body) == self.body_size:
            length = self.raw_length
        else:
            length = der_length(len(body))
        encoded = self.tag + length + body  # type: ignore[operator]
        if self.wrap is not None:
            tag, layers, indefinite = self.wrap
            if indefinite:
                encoded = (tag + b"\x80") * layers + encoded + b"\x00\x00" * layers
            else:
                for _ in range(layers):
                    encoded = tag + der_length(len(encoded)) + encoded
        return encoded


def _read_tlv(data: bytes, pos: int, end: int) -> tuple[bytes, bytes, int, int] | None:
    """(identifier, length octets, content start, content end) of a definite-length TLV, or None."""
    start = pos
    if pos >= end:
        return None
    if data[pos] & 0x1F == 0x1F:
        pos += 1
        while pos < end and data[pos] & 0x80:
            pos += 1
        if pos >= end:
            return None
    pos += 1
    tag = data[start:pos]
    if pos >= end:
        return None
    first = data[pos]
    if first < 0x80:
        length, length_end = first, pos + 1
    elif first == 0x80 or first & 0x7F > 4 or pos + 1 + (first & 0x7F) > end:
        return None
    else:
        count = first & 0x7F
        length, length_end = int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count
    if length_end + length > end:
        return None
    return tag, data[pos:length_end], length_end, length_end + length


def _read_all(data: bytes, start: int, end: int, depth: int) -> list[Node] | None:
    """Every TLV between ``start`` and ``end`` as nodes, or None unless they tile it exactly."""
    nodes = []
    pos = start
    while pos < end:
        read = _read_tlv(data, pos, end)
        if read is None:
            return None
        tag, length, content_start, content_end = read
        nodes.append(_node(data, tag, length, content_start, content_end, depth))
        pos = content_end
    return nodes


def _node(data: bytes, tag: bytes, length: bytes, start: int, end: int, depth: int) -> Node:
    node = Node(tag, data[start:end], raw_length=length, body_size=end - start)
    if depth >= MAX_TREE_DEPTH or start == end:
        return node
    if tag[0] & 0x20:
        children = _read_all(data, start, end, depth + 1)
        if children is not None:
            node.children = children
    elif tag[0] == 0x04 and data[start] in (0x02, 0x03, 0x04, 0x06, 0x30, 0x31):
        children = _read_all(data, start, end, depth + 1)  # an extension value or other wrapped DER
        if children is not None:
            node.children = children
    elif tag[0] == 0x03 and end - start > 2 and data[start] == 0 and data[start + 1] in (0x30, 0x02):
        children = _read_all(data, start + 1, end, depth + 1)  # a public key or signature as DER
        if children is not None:
            node.children, node.prefix = children, b"\x00"
    return node


def parse_tree(data: bytes) -> Node:
    """The tree of ``data`` (a whole DER structure); a non-TLV seed becomes one opaque node."""
    read = _read_tlv(data, 0, len(data))
    if read is None or read[3] != len(data):
        return Node(b"\x04", data)
    tag, length, start, end = read
    return _node(data, tag, length, start, end, 0)


@functools.lru_cache(maxsize=512)
def _cached_tree(data: bytes) -> Node:
    return parse_tree(data)


def node_paths(node: Node, path: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    out = [path]
    for index, child in enumerate(node.children or ()):
        out.extend(node_paths(child, path + (index,)))
    return out


def node_at(root: Node, path: tuple[int, ...]) -> Node:
    node = root
    for index in path:
        assert node.children is not None
        node = node.children[index]
    return node


# -- interesting values --------------------------------------------------------------------------

LENGTH_FAULTS: tuple[tuple[str, int | bytes], ...] = (
    ("raw", b"\x80"),                  # indefinite length
    ("raw", b"\x84\xff\xff\xff\xff"),  # 4 GiB
    ("raw", b"\x84\x00\x00\x00\x00"),
    ("raw", b"\x84\x7f\xff\xff\xff"),
    ("raw", b"\x88\xff\xff\xff\xff\xff\xff\xff\xff"),
    ("raw", b"\x89\x01\x00\x00\x00\x00\x00\x00\x00\x00"),  # more length octets than allowed
    ("raw", b"\xff"),
    ("raw", b"\x81"),                  # length octets missing
    ("raw", b"\x84\x00\x01"),          # length octets cut short
    ("raw", b"\x7f"),
    ("raw", b"\x00"),
    ("delta", 1), ("delta", -1), ("delta", 2), ("delta", -2), ("delta", 0x7F), ("delta", 1 << 20),
)

INTEGERS = (b"", b"\x00", b"\xff", b"\x80", b"\x00\x00", b"\x00\x7f", b"\xff\x80", b"\x7f" + b"\xff" * 20,
            b"\x01" + b"\x00" * 40, b"\x80" + b"\x00" * 7, b"\x7f\xff\xff\xff", b"\x01" * 600)

OIDS = tuple(bytes.fromhex(h) for h in (
    "", "80", "2a80", "2a864886f70d01010b80", "8001", "ffffffffffffffffffff7f", "00", "7f",
    "2a864886f70d010101", "2a864886f70d01010a", "2a864886f70d01010b", "2a864886f70d010105",
    "2a8648ce3d020106", "2a8648ce3d030107", "2a811ccf5501822d", "2a811ccf55018375", "2b6570", "2b6571", "2b656e",
    "551d13", "551d0f", "551d25", "551d0e", "551d23", "551d11", "551d1e", "551d1f", "551d14", "551d1c", "551d15",
    "2b06010505070101", "551d20", "5504030a",
))

TIMES = tuple(s.encode("latin-1") for s in (
    "", "Z", "000101000000Z", "491231235959Z", "500101000000Z", "991332246060Z", "250230000000Z",
    "2501010000Z", "250101000000+0800", "250101000000-2400", "20250101000000Z", "00000101000000Z",
    "99991231235959Z", "20250101000000.123Z", "20250101000000,5Z", "2025010100Z", "202501010000Z",
    "20250101000000+0830", "2025010100000", "99999999999999999999Z", "2025-01-01T00:00:00Z",
    " 50101000000Z", "+50101000000Z", "\xff\xfe0101000000Z", "20250101000000.Z", "1" * 200,
))

STRINGS = (b"", b"\x00", b"\xff\xfe\xfd", b"\xc3\x28", b"\xed\xa0\x80", b"\x00A\x00", b"A" * 70000,
           "证书".encode("utf-8"), "证书".encode("gbk"), b"\x80" * 8, b"*.example.com", b"..", b"-a-.b")

TAG_BYTES = (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1E, 0x1F,
             0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0xA0, 0xA1, 0xA3, 0xA4, 0xBF, 0xFF)
HIGH_TAGS = (b"\x1f\x81\x00", b"\x9f\x7f", b"\xbf\x87\x68", b"\x1f\xff\xff\xff\xff\xff\xff\xff\xff\x7f", b"\x1f",
             b"\x1f" + b"\xff" * 300 + b"\x01")  # long tag numbers, kept short of BUG-4's slow sizes

NEST_TAGS = (b"\x30", b"\x31", b"\xa0", b"\xa3", b"\x04", b"\x24")

INTERESTING_BYTES = (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x17, 0x18, 0x1F, 0x30, 0x31, 0x7F,
                     0x80, 0x81, 0x82, 0x83, 0x84, 0x88, 0x89, 0xA0, 0xA3, 0xFE, 0xFF)


def _content_for(tag: int) -> st.SearchStrategy[bytes]:
    random = st.binary(max_size=64)
    if tag == 0x02:
        return st.one_of(st.sampled_from(INTEGERS), random)
    if tag == 0x06:
        return st.one_of(st.sampled_from(OIDS), random)
    if tag in (0x17, 0x18):
        return st.one_of(st.sampled_from(TIMES), random)
    if tag == 0x01:
        return st.sampled_from((b"", b"\x00", b"\x01", b"\xff", b"\x00\x00"))
    if tag == 0x03:
        return st.one_of(st.sampled_from((b"", b"\x00", b"\x08", b"\x07", b"\x01", b"\x07\x80", b"\x00" * 2)), random)
    return st.one_of(st.sampled_from(STRINGS), st.sampled_from(OIDS + INTEGERS + TIMES), random)


# -- tree edits ------------------------------------------------------------------------------

TREE_EDITS = ("duplicate", "delete", "swap", "splice", "content", "tag", "length", "nest", "unwrap")


def _edit_tree(draw: st.DrawFn, root: Node) -> Node:
    paths = node_paths(root)
    path = draw(st.sampled_from(paths), label="node")
    node = node_at(root, path)
    parent = node_at(root, path[:-1]) if path else None
    edit = draw(st.sampled_from(TREE_EDITS), label="tree edit")
    if edit in ("duplicate", "delete", "swap") and parent is not None and parent.children:
        index = path[-1]
        if edit == "duplicate":
            parent.children.insert(index, node.clone())
        elif edit == "delete":
            del parent.children[index]
        else:
            other = draw(st.integers(0, len(parent.children) - 1), label="swap with")
            parent.children[index], parent.children[other] = parent.children[other], parent.children[index]
    elif edit == "splice":
        donor = node_at(root, draw(st.sampled_from(paths), label="donor")).clone()
        if parent is None:
            return donor
        parent.children[path[-1]] = donor  # type: ignore[index]
    elif edit == "content":
        node.children, node.prefix = None, b""
        node.content = draw(_content_for(node.tag[0]), label="content")
    elif edit == "tag":
        node.tag = draw(st.one_of(st.sampled_from(TAG_BYTES).map(lambda b: bytes([b])), st.sampled_from(HIGH_TAGS)),
                        label="tag")
    elif edit == "length":
        node.length_edit = draw(st.sampled_from(LENGTH_FAULTS), label="length fault")
    elif edit == "nest":
        layers = draw(st.sampled_from((1, 2, 64, 1000, 5000)), label="layers")
        node.wrap = (draw(st.sampled_from(NEST_TAGS), label="nest tag"), layers, draw(st.booleans(), label="indefinite"))
    elif edit == "unwrap" and node.children:
        replacement = node.children[0]
        if parent is None:
            return replacement
        parent.children[path[-1]] = replacement  # type: ignore[index]
    return root


# -- raw byte edits --------------------------------------------------------------------------

RAW_EDITS = ("flip", "set", "insert", "delete", "truncate", "append")


def _edit_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    edit = draw(st.sampled_from(RAW_EDITS), label="raw edit")
    if not data:
        return draw(st.binary(min_size=1, max_size=16), label="bytes")
    position = draw(st.integers(0, len(data) - 1), label="offset")
    if edit == "flip":
        return data[:position] + bytes([data[position] ^ (1 << draw(st.integers(0, 7), label="bit"))]) + data[position + 1 :]
    if edit == "set":
        value = draw(st.one_of(st.sampled_from(INTERESTING_BYTES), st.integers(0, 255)), label="byte")
        return data[:position] + bytes([value]) + data[position + 1 :]
    if edit == "insert":
        return data[:position] + draw(st.binary(min_size=1, max_size=8), label="inserted") + data[position:]
    if edit == "delete":
        return data[:position] + data[position + draw(st.integers(1, 8), label="deleted") :]
    if edit == "truncate":
        return data[:position]
    return data + draw(st.binary(min_size=1, max_size=8), label="appended")


@st.composite
def mutate(draw: st.DrawFn, seed: bytes, *, max_tree_edits: int = 3, max_raw_edits: int = 3) -> bytes:
    """``seed`` after up to ``max_tree_edits`` tree edits, then up to ``max_raw_edits`` raw edits.

    Most mutants get tree edits only (they reach deep into the parsers); about a third also get raw
    byte edits, which mostly exercise the outer layers.
    """
    tree_edits = draw(st.integers(0, max_tree_edits), label="tree edits") if max_tree_edits else 0
    raw_choices = (0, 0, 1, 2, 3) if tree_edits else (1, 1, 2, 3)
    raw_edits = min(max_raw_edits, draw(st.sampled_from(raw_choices), label="raw edits"))
    data = seed
    if tree_edits:
        root = _cached_tree(seed).clone()
        for _ in range(tree_edits):
            root = _edit_tree(draw, root)
        data = root.encode()
    for _ in range(raw_edits):
        data = _edit_bytes(draw, data)
    return data


def mutants(seeds: list[bytes] | tuple[bytes, ...], **limits: int) -> st.SearchStrategy[bytes]:
    """Mutants of ``seeds``; one draw in twenty is a seed untouched, one in twenty random bytes."""
    seeds = tuple(seeds)

    @st.composite
    def draw_mutant(draw: st.DrawFn) -> bytes:
        choice = draw(st.integers(0, 19), label="kind")
        if choice == 1:
            return draw(st.binary(max_size=256), label="random bytes")
        seed = draw(st.sampled_from(seeds), label="seed")
        return seed if choice == 0 else draw(mutate(seed, **limits), label="mutant")

    return draw_mutant()


def extension_values(cert_der: bytes) -> dict[str, bytes]:
    """``{extnID content hex: extnValue contents}`` of a certificate, read with this module's reader."""
    out: dict[str, bytes] = {}
    try:
        tbs = parse_tree(cert_der).children[0]  # type: ignore[index]
        wrapper = next(c for c in tbs.children if c.tag == b"\xa3")  # type: ignore[union-attr]
        for ext in wrapper.children[0].children:  # type: ignore[index,union-attr]
            out[ext.children[0].content.hex()] = contents(ext.children[-1])  # type: ignore[index]
    except (StopIteration, TypeError, IndexError, AttributeError):
        pass
    return out


def contents(node: Node) -> bytes:
    """The contents octets of ``node`` as currently encoded."""
    return node.content if node.children is None else node.prefix + b"".join(c.encode() for c in node.children)
