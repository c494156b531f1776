"""Ship templates/ and config.toml inside the wheel as bot/_data (see bot/resources.py)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithData(build_py):
    """Copy the top-level resources into the built package."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "bot" / "_data"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / "config.toml", target / "config.toml")
        if (target / "templates").exists():
            shutil.rmtree(target / "templates")
        shutil.copytree(root / "templates", target / "templates")


setup(cmdclass={"build_py": BuildWithData})
