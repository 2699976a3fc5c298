import pytest
from django.test import Client

from calldesk.apps.accounts.roles import Role


@pytest.fixture
def head(users) -> Client:
    # English pages, so assertions hold once the Russian catalogue has these texts.
    client = Client(headers={"accept-language": "en"})
    client.force_login(users[Role.CC_HEAD])
    return client
