"""Every management command of ours answers --help with its description (the README promises it):
their help texts are lazy translations, which argparse could not format."""

import pytest
from django.core.management import ManagementUtility, get_commands, load_command_class

OURS = sorted(
    name for name, app in get_commands().items() if app.split(".")[0] in ("events", "vendors", "booths", "tuanhang")
)


def test_the_project_has_its_commands():
    assert {"seed_demo", "allocate_booths", "import_vendors", "print_letters", "run_reminders"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_command_help_shows_its_description(name, capsys):
    command = load_command_class(get_commands()[name], name)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert f"manage.py {name}" in out
    assert " ".join(str(command.help).split())[:40] in " ".join(out.split())
