"""The metadata URL a company administrator types is read only from a public https
address: nothing inside our own network is reachable through it (SSRF)."""

import socket

import pytest
from django import forms

from sso import fetch


@pytest.mark.parametrize("url", [
    "http://idp.example.com/metadata", "ftp://idp.example.com/metadata", "file:///etc/passwd", "https:///x"])
def test_only_https_is_read(url):
    with pytest.raises(forms.ValidationError, match="https://"):
        fetch.fetch_metadata(url)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "ff02::1"])
def test_a_host_resolving_to_a_non_public_address_is_refused(monkeypatch, address):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 443))])
    with pytest.raises(forms.ValidationError, match="公開アドレス"):
        fetch.fetch_metadata("https://idp.example.com/metadata")


def test_one_private_address_among_public_ones_is_refused(monkeypatch):
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(forms.ValidationError, match="公開アドレス"):
        fetch.fetch_metadata("https://idp.example.com/metadata")


@pytest.mark.parametrize("url", ["https://127.0.0.1/", "https://localhost:8000/metadata", "https://[::1]/"])
def test_literal_and_local_names_are_refused_without_a_request(url):
    with pytest.raises(forms.ValidationError, match="公開アドレス"):
        fetch.fetch_metadata(url)


def test_the_connection_goes_to_the_address_checked_not_a_second_look_up(monkeypatch):
    """DNS rebinding: the name is looked up once; the request goes to that address."""
    looked_up, connected = [], []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: looked_up.append(host) or [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))])

    def refuse_connection(address, *args, **kwargs):
        connected.append(address[0])
        raise OSError("no network in tests")
    monkeypatch.setattr("urllib3.util.connection.create_connection", refuse_connection)
    with pytest.raises(forms.ValidationError, match="読み込めませんでした"):
        fetch.fetch_metadata("https://idp.example.com/metadata")
    assert looked_up == ["idp.example.com"] and connected == ["93.184.215.14"]
