"""An EMVCo TLV reader written for the tests, apart from the builder: ID (2 digits), length (2
digits), value; nested templates are read again with the same function."""


def parse_tlv(text: str) -> list[tuple[str, str]]:
    fields = []
    position = 0
    while position < len(text):
        tag = text[position : position + 2]
        length_text = text[position + 2 : position + 4]
        assert tag.isdigit() and len(tag) == 2, f"bad tag at {position}: {text[position:]!r}"
        assert length_text.isdigit() and len(length_text) == 2, f"bad length at {position}: {text[position:]!r}"
        length = int(length_text)
        value = text[position + 4 : position + 4 + length]
        assert len(value) == length, f"field {tag} runs past the end"
        fields.append((tag, value))
        position += 4 + length
    return fields


def as_dict(text: str) -> dict[str, str]:
    fields = parse_tlv(text)
    tags = [tag for tag, _value in fields]
    assert len(tags) == len(set(tags)), f"repeated tags: {tags}"
    return dict(fields)
