"""Passwords (argon2id), server-side sessions and CSRF tokens.

The session cookie holds a random token; the database stores only its SHA-256, so a leaked
database does not hand out sessions. Logout deletes the row; a password change deletes every
session of the user but the current one. Each session has its own CSRF token, which every form
carries; anonymous forms (the login form) use a double-submit token in a separate cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_DEPT,
    ROLE_FINANCE,
    ROLE_PREPARER,
    ROLES,
    LoginSession,
    User,
    utcnow,
)

SESSION_COOKIE = "deptbudget_session"
CSRF_COOKIE = "deptbudget_csrf"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8
MAX_PASSWORD = 128

_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AuthError(ValueError):
    pass


class Hashing(Protocol):
    """Where password hashing runs (``password_pool.PasswordPool``: off the threads that serve pages)."""

    def call(self, fn: Any, *args: Any) -> Any: ...


def _hashed(pool: Hashing | None, fn: Any, *args: Any) -> Any:
    return pool.call(fn, *args) if pool is not None else fn(*args)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_login(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """A login's password check (on the password pool): (right, a new hash when the stored one was made
    with older parameters). Without an account the dummy hash is verified, so that timing does not tell
    which names exist."""
    if password_hash is None:
        verify_password(_DUMMY_HASH, password)
        return False, None
    if not verify_password(password_hash, password):
        return False, None
    return True, (hash_password(password) if _hasher.check_needs_rehash(password_hash) else None)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The passwords too common to allow, lower case: ``common_passwords.csv`` (one column,
    ``password``) lists those with three character classes found at the top of published leak lists
    — keyboard walks, ``Passw0rd`` and ``Admin@123`` forms, pinyin words — since shorter or simpler
    ones fail the length and class rules already."""
    lines = (Path(__file__).parent / "common_passwords.csv").read_text(encoding="utf-8").splitlines()[1:]
    return frozenset(line.strip().lower() for line in lines if line.strip())


def character_classes(password: str) -> int:
    """How many of the four classes — lower case, upper case, digits, other characters — it uses."""
    return (any(c.islower() for c in password) + any(c.isupper() for c in password)
            + any(c.isdigit() for c in password) + any(not c.isalnum() for c in password))


def check_password_policy(password: str, username: str = "") -> None:
    """A new or changed password (等保2.0: length, complexity, not a known weak one); ``AuthError``
    saying what is missing otherwise."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 位。")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"密码至多 {MAX_PASSWORD} 位。")
    if username and password.lower() == username.lower():
        raise AuthError("密码不能与用户名相同。")
    if username and len(username) >= 3 and username.lower() in password.lower():
        raise AuthError("密码不能包含用户名。")
    if character_classes(password) < 3:
        raise AuthError("密码须包含大写字母、小写字母、数字、符号四类中的至少三类。")
    if password.lower() in common_passwords() or len(set(password.lower())) < 4:
        raise AuthError("密码过于常见或过于简单，容易被猜中：请换一个。")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def find_account(session: Session, username: str) -> User | None:
    """The active account of this name (None: no such account, or switched off)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    return user if user is not None and user.active else None


def authenticate(session: Session, username: str, password: str, pool: Hashing | None = None) -> User | None:
    user = find_account(session, username)
    right, new_hash = _hashed(pool, verify_login, user.password_hash if user is not None else None, password)
    if user is None or not right:
        return None
    if new_hash:
        user.password_hash = new_hash
    return user


def start_session(session: Session, user: User) -> tuple[str, LoginSession]:
    """A new login session; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(id=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                       created_at=utcnow(), expires_at=utcnow() + SESSION_LIFETIME)
    session.add(row)
    session.flush()
    return token, row


# A session is read with its person, their unit and department in one query (every page needs them).
SESSION_LOADS = (joinedload(LoginSession.user).joinedload(User.unit),
                 joinedload(LoginSession.user).joinedload(User.department))


def load_session(session: Session, token: str | None) -> LoginSession | None:
    if not token:
        return None
    row = session.get(LoginSession, token_hash(token), options=SESSION_LOADS)
    if row is None:
        return None
    if row.expires_at < utcnow() or not row.user.active:
        session.delete(row)
        return None
    return row


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.id == token_hash(token)))


# Privileged accounts (系统管理员, 财政局审核: they manage accounts and publish) must change their
# password every PASSWORD_MAX_AGE days — 等保2.0 三级 asks for periodic changes of such passwords; 90 days
# by default, ``DEPTBUDGET_PASSWORD_MAX_AGE_DAYS`` (0: never). Other roles' passwords do not expire.
PRIVILEGED_ROLES = (ROLE_ADMIN, ROLE_FINANCE)
DEFAULT_MAX_AGE_DAYS = 90
RESET_NOTICE = "系统管理员已重设您的密码：请先设置一个新密码，然后才能继续使用系统。"


def password_max_age() -> timedelta | None:
    """How long a privileged account's password is valid (None: for ever)."""
    text = os.environ.get("DEPTBUDGET_PASSWORD_MAX_AGE_DAYS", "").strip()
    days = int(text) if text.isdigit() else DEFAULT_MAX_AGE_DAYS
    return timedelta(days=days) if days > 0 else None


def password_change_due(user: User) -> str:
    """Why ``user`` must choose a new password before going on (reset by an administrator, or a
    privileged account's password too old); empty when not."""
    if user.must_change_password:
        return RESET_NOTICE
    max_age = password_max_age()
    if max_age is not None and user.role in PRIVILEGED_ROLES and user.password_changed_at is not None and (
            utcnow() - user.password_changed_at > max_age):
        return (f"您的密码已使用超过 {max_age.days} 天（{ROLES[user.role]}账号须定期更换密码）："
                "请先设置一个新密码，然后才能继续使用系统。")
    return ""


def set_password(user: User, password: str, must_change: bool = False, pool: Hashing | None = None) -> None:
    """Store a new password (its hash, made on ``pool`` when given) and when it was set."""
    user.password_hash = _hashed(pool, hash_password, password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change


def random_password(username: str = "") -> str:
    """A random password that meets the password policy (12 characters)."""
    while True:
        secret = secrets.token_urlsafe(9)
        try:
            check_password_policy(secret, username)
        except AuthError:
            continue
        return secret


def reset_password(session: Session, user: User, pool: Hashing | None = None) -> str:
    """An administrator's reset: a random temporary password (returned, to be passed on to the
    person), to be changed at the next login; the account's sessions end."""
    temporary = random_password(user.username)
    set_password(user, temporary, must_change=True, pool=pool)
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return temporary


def change_password(session: Session, user: User, old: str, new: str, keep_token: str | None,
                    pool: Hashing | None = None) -> None:
    if not _hashed(pool, verify_password, user.password_hash, old):
        raise AuthError("原密码不正确。")
    check_password_policy(new, user.username)
    if _hashed(pool, verify_password, user.password_hash, new):
        raise AuthError("新密码不能与原密码相同。")
    set_password(user, new, pool=pool)
    keep = token_hash(keep_token) if keep_token else ""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.id != keep))


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def add_user(session: Session, username: str, password: str, role: str, display_name: str = "",
             unit_id: int | None = None, department_id: int | None = None, pool: Hashing | None = None) -> User:
    """Create an account (the CLI and the admin page use this)."""
    username = username.strip()
    # Separators, controls and invisible format characters (zero-width space …) are refused: they would
    # let "al\u200bice" pass for "alice".
    if not username or len(username) > 64 or any(unicodedata.category(c)[0] in "ZC" for c in username):
        raise AuthError("用户名不能为空、不能含空白或不可见字符、最长 64 个字符。")
    if role not in ROLES:
        raise AuthError(f"未知角色 {role}；可选：{', '.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    if role == ROLE_PREPARER and unit_id is None:
        raise AuthError("预算单位填报人必须指定所属单位。")
    if role == ROLE_DEPT and department_id is None:
        raise AuthError("主管部门审核人必须指定所属主管部门。")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AuthError(f"用户名 {username} 已存在。")
    check_password_policy(password, username)
    user = User(username=username, display_name=display_name.strip(),
                password_hash=_hashed(pool, hash_password, password),
                role=role, unit_id=unit_id if role == ROLE_PREPARER else None,
                department_id=department_id if role == ROLE_DEPT else None, active=True, created_at=utcnow(),
                must_change_password=False, password_changed_at=utcnow())
    session.add(user)
    session.flush()
    return user
