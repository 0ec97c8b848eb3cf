import subprocess
import sys

COMMANDS = ("train", "recipe", "evaluate", "predict", "export", "bench", "manifest")


def test_help_lists_every_subcommand():
    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", "--help"], capture_output=True, text=True,
                            check=True)
    for command in COMMANDS:
        assert command in result.stdout


def test_unknown_config_setting_is_an_error_event(tmp_path, medseg_manifest):
    import json

    result = subprocess.run([sys.executable, "-m", "lesionlab_trainer", "train", "--manifest", str(medseg_manifest),
                             "--out", str(tmp_path), "--set", "learning_rate=1"], capture_output=True, text=True)
    assert result.returncode == 1
    event = json.loads(result.stdout.strip().splitlines()[-1])
    assert event["type"] == "error"
    assert "learning_rate" in event["message"]
