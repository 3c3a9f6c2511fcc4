"""The demo's check reads Home Assistant's log for the integration's warnings and errors."""

import pytest

from devtools.hass_log import integration_problems, records

LOADER_WARNING = (
    "2026-12-05 19:46:54.289 WARNING (SyncWorker_1) [homeassistant.loader] We found"
    " a custom integration bemmelhor which has not been tested by Home Assistant."
    " This component might cause stability problems"
)
TRANSLATION_WARNING = (
    "2026-12-05 19:47:37.652 WARNING (MainThread) [homeassistant.helpers.translation]"
    " Failed to load integration for translation: Invalid domain bemmelhor.sensor"
)


def test_reads_both_time_stamp_forms() -> None:
    """2026.10 writes local time; 2026.11 adds the offset."""
    lines = [
        "2026-11-30 13:24:02.419 ERROR (MainThread) [a.b] one",
        "2026-11-30 13:24:02.419+00:00 WARNING (MainThread) [c] two",
        "Traceback (most recent call last):",
    ]

    assert [(r.level, r.logger, r.message) for r in records(lines)] == [
        ("ERROR", "a.b", "one"),
        ("WARNING", "c", "two"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            "2026-11-30 13:24:02.419+00:00 ERROR (MainThread) [custom_components."
            "bemmelhor] Unexpected error fetching bemmelhor data",
            id="the-integration's-error",
        ),
        pytest.param(
            "2026-11-30 13:24:02.419 WARNING (MainThread) [custom_components."
            "bemmelhor.coordinator] No hangup arrived for call x",
            id="the-integration's-warning",
        ),
        pytest.param(
            "2026-11-30 13:24:02.419 WARNING (MainThread) [homeassistant.helpers.frame]"
            " Detected that custom integration 'bemmelhor' accesses"
            " DeviceEntry.config_entries, which is deprecated",
            id="a-deprecation-report",
        ),
        pytest.param(
            "2026-11-30 13:24:02.419 ERROR (MainThread) [homeassistant.setup] Setup"
            " failed for custom integration 'bemmelhor': Integration not found.",
            id="a-failed-set-up",
        ),
        pytest.param(
            "2026-11-30 13:24:02.419 ERROR (MainThread) "
            "[homeassistant.config_entries] Error setting up entry Bemmelhor",
            id="the-name-in-any-case",
        ),
    ],
)
def test_counts_what_the_integration_logged_or_was_logged_about(line: str) -> None:
    """A warning or an error by the integration or about it is a problem."""
    assert len(integration_problems([line])) == 1


def test_ignores_other_integrations_and_lower_levels() -> None:
    """Other integrations' errors and the integration's info lines do not count."""
    lines = [
        "2026-12-05 19:47:35.882 ERROR (MainThread) [homeassistant.components.go2rtc]"
        " Could not find go2rtc docker binary",
        "2026-12-05 19:47:35.882 INFO (MainThread) [custom_components.bemmelhor]"
        " set up",
        "2026-12-05 19:47:35.882 DEBUG (MainThread) [custom_components.bemmelhor] body",
    ]

    assert integration_problems(lines) == []


def test_ignores_what_home_assistant_logs_for_every_custom_integration() -> None:
    """The loader's notice and the language change's translation warnings are core's."""
    assert integration_problems([LOADER_WARNING, TRANSLATION_WARNING]) == []
