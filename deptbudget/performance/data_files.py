"""The performance module's packaged data (``data/rules-<locality>.yaml``,
``data/indicator-library-<locality>.yaml``) and the reading of such a YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_LOCALITY = "shenzhen"


def read_yaml_file(path: Path, error: type[Exception]) -> Any:
    """The parsed content of a YAML file; ``error`` (with the path and the reason in the message)
    when it cannot be read, is not UTF-8 or is not YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: 无法读取 (cannot read): {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: 第 {exc.start} 字节: 不是 UTF-8 文本 (not UTF-8 text)") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: YAML 语法错误 (syntax error): {exc}") from None
