import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "wspolpraca.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
