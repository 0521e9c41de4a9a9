from django.conf import settings


def site(request):
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_PHONE": settings.CONTACT_PHONE,
        "DATA_LICENCE_NAME": settings.DATA_LICENCE_NAME,
        "DATA_LICENCE_URL": settings.DATA_LICENCE_URL,
    }
