from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.PLATFORM_ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; the e-mail address is the login.

    The role says what the person is to the city. What a person is to an organization
    (member or admin) lives on `organizations.Membership`, since one person may belong
    to several organizations.
    """

    class Role(models.TextChoices):
        RESIDENT = "resident", _("resident")
        OFFICIAL = "official", _("city official")
        COORDINATOR = "coordinator", _("department coordinator")
        PLATFORM_ADMIN = "platform_admin", _("platform administrator")

    # Roles whose holders must sign in with a second factor.
    MFA_ROLES = {Role.OFFICIAL, Role.COORDINATOR, Role.PLATFORM_ADMIN}

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.RESIDENT)
    # Commission membership arrives with the evaluations app; the flag lets MFA be
    # required of commission members from the start.
    requires_mfa = models.BooleanField(
        _("requires two-factor sign-in"),
        default=False,
        help_text=_("Set for commission members; officials always require it."),
    )
    # The language of the e-mails the platform sends the person (core.mail).
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="pl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_city_staff(self):
        return self.role in {self.Role.OFFICIAL, self.Role.COORDINATOR, self.Role.PLATFORM_ADMIN}

    @property
    def mfa_required(self):
        return self.requires_mfa or self.role in self.MFA_ROLES
