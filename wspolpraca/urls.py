from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from wspolpraca.pages import views as page_views

# The back office has no sign-in of its own: /admin/login/ sends people to the site's
# sign-in (password, then the two-factor code, with its attempt limits) and back.
admin.site.login = secure_admin_login(admin.site.login)
# Passwords are changed on the site's page (allauth), which keeps the session and
# e-mails the person; the back office's own form would bypass that.
admin.site.password_change = lambda request, extra_context=None: redirect("account_change_password")
admin.site.site_header = _("Współpraca — back office")
admin.site.site_title = _("Współpraca")

urlpatterns = [
    path("", page_views.home, name="home"),
    # Without a CSRF token: the switch only sets the language cookie, and a token in the
    # layout would set a cookie on every page, which no cache could then share.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("konto/", include("wspolpraca.accounts.urls")),
    path("organizacje/", include("wspolpraca.organizations.urls")),
    path("miasto/", include("wspolpraca.city.urls")),
    path("konkursy/", include("wspolpraca.competitions.urls")),
    path("oferty/", include("wspolpraca.offers.urls")),
    path("male-granty/", include("wspolpraca.offers.small_grant_urls")),
    path("wnioski/", include("wspolpraca.competitions.request_urls")),
    # Full addresses inside: /ocena/…, /konkursy/<id>/wyniki/, /umowy/…, /statystyki/.
    path("", include("wspolpraca.evaluations.urls")),
    path("", include("wspolpraca.agreements.urls")),
    path("", include("wspolpraca.consultations.urls")),
    # Full addresses inside: /sale/…, /kalendarz/…, /newsletter/…, /gielda/….
    path("", include("wspolpraca.venues.urls")),
    path("", include("wspolpraca.events.urls")),
    path("", include("wspolpraca.newsletter.urls")),
    path("", include("wspolpraca.exchange.urls")),
    path("", include("wspolpraca.library.urls")),
    path("", include("wspolpraca.pages.urls")),
    path("", include("wspolpraca.api.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
