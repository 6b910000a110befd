"""Per-site rules (news/importer/default_rules.toml, merged with a Department's own TOML file)."""

import tomllib
from pathlib import Path

DEFAULT = Path(__file__).with_name("default_rules.toml")


def load_rules(path=None):
    """The default rules with `path`'s tables merged over them, key by key."""
    rules = tomllib.loads(DEFAULT.read_text("utf-8"))
    if path:
        rules["file"] = str(Path(path).resolve())  # named in each page's run (news.ImportedPage.run), to run it again
        own = tomllib.loads(Path(path).read_text("utf-8"))
        for table, values in own.items():
            if isinstance(values, dict):
                rules.setdefault(table, {}).update(values)
            else:
                rules[table] = values
    for name, selectors in rules.get("selectors", {}).items():
        if isinstance(selectors, str):
            rules["selectors"][name] = [selectors]
    return rules
