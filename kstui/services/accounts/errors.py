"""Errors of accounts: identity checks, codes, logins and security."""

from __future__ import annotations

from kstui.services.errors import DomainError


class InvalidPhone(DomainError):
    """Not a mainland mobile number."""

    key = "accounts.error.invalid_phone"


class WeakPassword(DomainError):
    """A login password that does not meet the rule (8–64, letters and digits)."""

    key = "accounts.error.weak_password"


class PasswordsDiffer(DomainError):
    """The confirmation of a new password differs from it."""

    key = "accounts.error.passwords_differ"


class TrivialPaymentPassword(DomainError):
    """A payment password that is not 6 digits, or easy to guess."""

    key = "accounts.error.trivial_payment_password"
    by_reason = True


class InvalidName(DomainError):
    """Not a name as written on a resident ID card."""

    key = "accounts.error.invalid_name"


class InvalidIdNumber(DomainError):
    """Not a valid 18-digit resident ID number; `reason` says why."""

    key = "accounts.error.invalid_id_number"
    by_reason = True


class IdNumberTaken(DomainError):
    """The ID number already verifies another account."""

    key = "accounts.error.id_number_taken"


class CodeRejected(DomainError):
    """A verification code that is wrong, expired, used, or tried too often."""

    key = "accounts.error.code"
    by_reason = True


class SendTooSoon(DomainError):
    """A new code was asked for before the resend interval passed."""

    key = "accounts.error.send_too_soon"


class DailySmsLimit(DomainError):
    """Too many codes sent to one phone today."""

    key = "accounts.error.daily_sms_limit"


class LoginFailed(DomainError):
    """Phone or password incorrect (the same message whatever was wrong).

    With `reason="tries"`, `left` says how many tries remain before the lock.
    """

    key = "accounts.error.login_failed"
    by_reason = True


class PasswordLocked(DomainError):
    """Too many wrong passwords for this phone: password login waits `minutes`."""

    key = "accounts.error.password_locked"


class PhoneTaken(DomainError):
    """Registering a phone number that already has an account."""

    key = "accounts.error.phone_taken"


class PhoneNotRegistered(DomainError):
    """Logging in with a code to a phone number without an account."""

    key = "accounts.error.phone_not_registered"


class NotLoggedIn(DomainError):
    """The session is over (logged out, expired or ended from another device)."""

    key = "accounts.error.not_logged_in"


class WrongPassword(DomainError):
    """The current password given to change it is wrong; `left` tries remain."""

    key = "accounts.error.wrong_password"


class AlreadyVerified(DomainError):
    """Real-name verification is done once and cannot be redone with another ID."""

    key = "accounts.error.already_verified"


class AlreadyLinked(DomainError):
    """`reason="identity"`: this 微信/QQ account already logs in to an account;
    `reason="provider"`: the phone's account already has one of this provider."""

    key = "accounts.error.already_linked"
    by_reason = True


class PaymentPasswordNotSet(DomainError):
    """Paying needs a payment password, and none is set."""

    key = "accounts.error.payment_password_not_set"


class PaymentPasswordWrong(DomainError):
    """A wrong payment password; `left` tries remain before payments lock."""

    key = "accounts.error.payment_password_wrong"


class PaymentLocked(DomainError):
    """Too many wrong payment passwords: payments are locked for a while."""

    key = "accounts.error.payment_locked"


class ProofNeeded(DomainError):
    """A change that needs the current password (or payment password) or an SMS code."""

    key = "accounts.error.proof_needed"
