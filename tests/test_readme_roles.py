"""The README's "who can do what" table is the policy's table (events/policy.py), not a copy that
drifts: this test rebuilds it from ROLE_CAPABILITIES and compares."""

from pathlib import Path

from django.utils import translation

from events.models import Membership
from events.policy import CAPABILITIES, ROLE_CAPABILITIES

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- roles:begin -->", "<!-- roles:end -->"


def roles_table() -> str:
    """The markdown table: one row per capability, one column per role (its Vietnamese name)."""
    roles = list(Membership.Role)
    with translation.override("vi"):
        names = [str(role.label) for role in roles]
    lines = [
        "| may… | " + " | ".join(names) + " |",
        "| --- | " + " | ".join(":-:" for _ in roles) + " |",
    ]
    for capability, meaning in CAPABILITIES.items():
        marks = ["✓" if capability in ROLE_CAPABILITIES[role] else "" for role in roles]
        lines.append(f"| {meaning} (`{capability}`) | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def test_the_readme_table_of_who_can_do_what_is_the_policy():
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "README needs the roles table between its markers"
    current = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert current == roles_table(), (
        "README's roles table is stale; regenerate it:\n"
        '  .venv/bin/python -c \'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","tuanhang.settings");'
        "django.setup();from tests.test_readme_roles import roles_table;print(roles_table())'"
    )


def test_the_readme_names_every_demo_login_the_seed_makes():
    from tuanhang.office.demo import data

    section = README.read_text(encoding="utf-8").split("### Demo logins", 1)[1].split("\n## ", 1)[0]
    usernames = {row[0] for row in data.LOGINS} | {"organiser"}
    assert {name for name in usernames if f"`{name}`" not in section} == set()
