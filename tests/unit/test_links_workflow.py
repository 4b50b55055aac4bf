"""The scheduled check of the published book's external links (.github/workflows/links.yml)."""

from __future__ import annotations

import re

import yaml

from analysis.project import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "links.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_link_check_reads_the_site_the_book_is_published_at():
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    job = workflow()["jobs"]["external-links"]
    assert job["env"]["SITE"] == config["html"]["baseurl"]


def test_the_link_check_runs_on_a_schedule_with_no_permissions_and_pinned_actions():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key "on" as true
    assert re.fullmatch(r"[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+", triggers["schedule"][0]["cron"])
    assert flow["permissions"] == {}
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert any(u.startswith("lycheeverse/lychee-action@") for u in uses)
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
