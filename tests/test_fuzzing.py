"""Random and malformed addresses at the reader site: every answer is one a
reader or crawler can act on (200, 301, 302, 304, 400, 404), never a 500, on
SQLite and PostgreSQL (where a NUL byte in a query is an error unless it is
handled before the database)."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
ANSWERS = {200, 301, 302, 304, 400, 404}
READER_ADDRESSES = [
    "/",
    "/news/",
    "/news/ministry-oborony-ukrainy-ta-frantsii-obhovoryly-posylennia-spivrobitnytstva-i-pidtrymky-u-paryzhi/",
    "/sections/",
    "/sections/oborona/",
    "/sections/oborona/rss/",
    "/tags/ppo/",
    "/tags/ppo/atom/",
    "/authors/",
    "/search/",
    "/rss/",
    "/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
raw_bytes = st.binary(max_size=20).map(lambda data: "".join(f"%{b:02X}" for b in data))
tails = st.one_of(
    text.map(lambda tail: quote(tail, safe="/%")),  # "%" kept: malformed escapes too
    raw_bytes,  # any bytes, invalid UTF-8 and NUL included
    st.sampled_from(["%00", "%zz", "..%2F..%2F", "%C0%AE", "/" * 30, "%E2%80%8F"]),
)
values = st.one_of(
    text,
    st.integers().map(str),
    st.sampled_from(["0", "-1", "last", "1e9", "99999999999999999999", "\x00", "1\x00"]),
)
queries = st.lists(
    st.tuples(st.sampled_from(["page", "q", "p", "cold"]) | text, values), max_size=4
).map(urlencode)
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(address=st.sampled_from(READER_ADDRESSES), tail=tails, query=queries)
def test_malformed_addresses_never_break_a_reader_page(client, seed, address, tail, query):
    response = client.get(f"{address}{tail}?{query}")  # a 500 would raise here
    assert response.status_code in ANSWERS


@FUZZ
@given(query=st.one_of(text, raw_bytes, st.just("\x00"), st.just("%00' OR 1=1 --")))
def test_any_search_query_is_answered(client, seed, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@FUZZ
@given(page=values)
def test_any_page_number_is_a_page_or_not_found(client, seed, page):
    for address in ("/news/", "/sections/oborona/", "/tags/ppo/", "/search/?q=оборона"):
        separator = "&" if "?" in address else "?"
        response = client.get(f"{address}{separator}{urlencode({'page': page})}")
        assert response.status_code in {200, 404}


ADMIN_LISTS = [
    "/admin/articles/article/",
    "/admin/articles/tag/",
    "/admin/articles/section/",
    "/admin/articles/author/",
]
# The list's own parameters (filters, date drill-down, search, ordering,
# paging) and the JSON endpoints of the article form.
ADMIN_PARAMETERS = st.sampled_from(
    [
        "published_at__year", "published_at__month", "published_at__day",
        "published_at__gte", "published_at__lt", "status__exact", "section__id__exact",
        "authors__id__exact", "q", "o", "p", "all", "e", "_to_field",
    ]
) | text  # fmt: skip
ADMIN_JSON = ["/admin/articles/tag/suggest/", "/admin/autocomplete/"]


@FUZZ
@given(
    address=st.sampled_from(ADMIN_LISTS),
    query=st.lists(st.tuples(ADMIN_PARAMETERS, values), max_size=4).map(urlencode),
)
def test_malformed_admin_list_filters_never_break_the_admin(editor_client, seed, address, query):
    response = editor_client.get(f"{address}?{query}")
    assert response.status_code in {200, 302, 400, 404}


@FUZZ
@given(
    address=st.sampled_from(ADMIN_JSON),
    query=st.lists(
        st.tuples(st.sampled_from(["q", "term", "app_label", "model_name", "field_name"]), values),
        max_size=4,
    ).map(urlencode),
)
def test_malformed_requests_to_the_admins_json_endpoints_never_break(
    editor_client, seed, address, query
):
    response = editor_client.get(f"{address}?{query}")
    assert response.status_code in {200, 302, 400, 403, 404}


def test_out_of_range_dates_and_nul_characters_in_the_admin_are_answered(editor_client, seed):
    year = editor_client.get("/admin/articles/article/?published_at__year=99999999999999999999")
    assert year.status_code == 302 and year["Location"].endswith("?e=1")
    last_year = editor_client.get("/admin/articles/article/?published_at__year=9999")
    assert last_year.status_code == 302 and last_year["Location"].endswith("?e=1")
    assert editor_client.get("/admin/articles/tag/suggest/?q=%D0%BF%00%D0%BF").json() == ["ППО"]
    assert editor_client.get("/admin/articles/article/?q=%00&q=ab%00").status_code == 200
