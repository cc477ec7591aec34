import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.partners.domain.targets import (
    Target,
    TargetRejected,
    address_problem,
    check_addresses,
    check_url,
)

pytestmark = pytest.mark.unit

NOT_PUBLIC = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
]


@settings(max_examples=200, deadline=None)
@given(network=st.sampled_from(NOT_PUBLIC), offset=st.integers(min_value=0, max_value=2**20))
def test_no_address_in_a_private_or_special_range_passes(network, offset):
    net = ipaddress.ip_network(network)
    address = net[offset % net.num_addresses]
    assert address_problem(str(address)) is not None
    # ... nor the same address hidden in an IPv4-mapped IPv6 address
    if address.version == 4:
        assert address_problem(f"::ffff:{address}") is not None


@settings(max_examples=200, deadline=None)
@given(st.ip_addresses(v=4))
def test_an_ipv4_address_passes_exactly_when_it_is_global_and_unicast(address):
    expected_public = address.is_global and not address.is_multicast and not address.is_reserved
    assert (address_problem(str(address)) is None) == expected_public


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert address_problem(address) is None


def test_6to4_and_teredo_addresses_are_judged_by_the_ipv4_address_inside():
    assert "private" in address_problem("2002:0a00:0001::1")  # 6to4 of 10.0.0.1
    assert address_problem("2002:5db8:d822::1") is None  # 6to4 of 93.184.216.34


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/x", "scheme"),
        ("gopher://example.org/x", "scheme"),
        ("https://a:b@example.org/x", "credentials"),
        ("https:///x", "malformed"),
        ("https://example.org:99999/x", "malformed"),
        ("https://exa mple.org/x", "malformed"),
        ("https://10.0.0.1/x", "address"),
        ("https://" + "a" * 2000 + ".org/", "too-long"),
    ],
)
def test_urls_that_are_refused_before_any_lookup(url, reason):
    with pytest.raises(TargetRejected) as refused:
        check_url(url, allow_hosts=())
    assert refused.value.reason == reason


def test_allow_listed_hosts_may_use_http_and_any_address():
    target = check_url("http://127.0.0.1:8080/hook", allow_hosts=["127.0.0.1"])
    assert target == Target("http", "127.0.0.1", 8080, allow_listed=True)
    assert check_addresses(target, ["127.0.0.1"]) == ["127.0.0.1"]
    assert check_url("https://Receiver.Test./x", allow_hosts=["receiver.test"]).allow_listed


def test_one_private_address_among_public_ones_spoils_the_name():
    target = check_url("https://mixed.example/x", allow_hosts=())
    with pytest.raises(TargetRejected, match=r"10\.0\.0\.1"):
        check_addresses(target, ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(TargetRejected) as refused:
        check_addresses(target, [])
    assert refused.value.reason == "unresolvable"
    assert check_addresses(target, ["93.184.216.34", "93.184.216.34"]) == ["93.184.216.34"]
