#!/usr/bin/env python3
"""Signs requests with botocore, the reference our SigV4 code is checked against.

  sigv4_botocore.py suite DIR [--write]
      For every case directory under DIR (request.txt, canonical.txt, optional
      options.txt), computes the canonical request, string to sign and signature
      with botocore. canonical.txt (written by hand from the SigV4 spec) must match;
      sts.txt and signature.txt are compared, or written with --write.
  sigv4_botocore.py sign
      Reads one JSON request per line on stdin ({method, path, query: [[k, v]...],
      headers: [[k, v]...], body, service, region, amz_date, access_key, secret_key,
      s3}) and prints one JSON line per request: {canonical, string_to_sign, signature}.
"""
import json
import os
import sys
import urllib.parse

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SUITE_KEY = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
SUITE_DATE = "20150830T123600Z"


def botocore_sign(method, host, path, query, headers, body, service, region, amz_date,
                  access_key, secret_key, s3):
    url = "https://" + host + path
    request = AWSRequest(method=method, url=url, data=body.encode("utf-8"))
    request.params = list(query)
    for name, value in headers:
        request.headers[name] = value  # HTTPHeaders appends: duplicates are kept
    request.context["timestamp"] = amz_date
    auth_class = S3SigV4Auth if s3 else SigV4Auth
    auth = auth_class(Credentials(access_key, secret_key), service, region)
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    return canonical, string_to_sign, auth.signature(string_to_sign, request)


def parse_request(text):
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, _, rest = lines[0].partition(" ")
    target = rest[: rest.rindex(" HTTP/")]
    path, _, query_text = target.partition("?")
    query = []
    if query_text:
        for pair in query_text.split("&"):
            key, _, value = pair.partition("=")
            query.append((urllib.parse.unquote(key), urllib.parse.unquote(value)))
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            headers[-1] = (headers[-1][0], headers[-1][1] + "\n" + line)
        else:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return method, path, query, headers, body


def read_options(case_dir):
    options = {"service": "service", "region": "us-east-1"}
    path = os.path.join(case_dir, "options.txt")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            key, _, value = line.strip().partition("=")
            if key:
                options[key] = value
    return options


def check_suite(root, write):
    failures = 0
    for name in sorted(os.listdir(root)):
        case_dir = os.path.join(root, name)
        if not os.path.isdir(case_dir):
            continue
        read = lambda f: open(os.path.join(case_dir, f), encoding="utf-8").read()
        method, path, query, headers, body = parse_request(read("request.txt"))
        host = next(v for k, v in headers if k.lower() == "host")
        options = read_options(case_dir)
        canonical, sts, signature = botocore_sign(
            method, host, path, query, headers, body, options["service"], options["region"],
            SUITE_DATE, *SUITE_KEY, options["service"] == "s3")
        if canonical != read("canonical.txt"):
            print(f"{name}: canonical request differs from botocore:\n{canonical}")
            failures += 1
            continue
        if write:
            open(os.path.join(case_dir, "sts.txt"), "w", encoding="utf-8").write(sts)
            open(os.path.join(case_dir, "signature.txt"), "w", encoding="utf-8").write(signature)
        elif sts != read("sts.txt") or signature != read("signature.txt").strip():
            print(f"{name}: string to sign or signature differs from botocore")
            failures += 1
    print(f"{failures} case(s) differ from botocore")
    return 1 if failures else 0


def sign_stream():
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        host = next(v for k, v in r["headers"] if k.lower() == "host")
        canonical, sts, signature = botocore_sign(
            r["method"], host, r["path"], [tuple(q) for q in r["query"]],
            [tuple(h) for h in r["headers"]], r["body"], r["service"], r["region"],
            r["amz_date"], r["access_key"], r["secret_key"], r["s3"])
        print(json.dumps({"canonical": canonical, "string_to_sign": sts, "signature": signature}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "suite":
        sys.exit(check_suite(sys.argv[2], "--write" in sys.argv))
    if len(sys.argv) == 2 and sys.argv[1] == "sign":
        sys.exit(sign_stream())
    print(__doc__)
    sys.exit(2)
