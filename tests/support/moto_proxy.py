"""The forwarding core shared by fault_proxy.py and ecs_rollout_fake.py.

A ForwardingProxy listens on a loopback port and relays every request it
receives to a target (a moto_server) unchanged: method, request target (path
and query), every header in order including Host and the SigV4 Authorization,
and the body byte for byte. The answer is relayed back the same way. Only
hop-by-hop headers (Connection, Transfer-Encoding, Expect, ...) are not
relayed; a chunked request body is forwarded de-chunked with a Content-Length.

Subclasses change what happens to one exchange by overriding `serve`, and may
answer their own control paths (`control_prefix`) without forwarding. Paths
under /moto-api/ are moto's own control endpoints; `Exchange.is_moto_control`
tells them apart so no subclass tampers with them.

Python 3.11 standard library only.
"""
import hashlib
import hmac
import http.client
import http.server
import json
import re
import socket
import struct
import threading
import time
import traceback
import urllib.parse
import uuid
from dataclasses import dataclass, field

HOP_BY_HOP = frozenset(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "expect"])

# Services whose APIs are REST with JSON bodies (their errors carry x-amzn-ErrorType).
REST_JSON_SERVICES = frozenset(["lambda", "apigateway", "eks", "elasticfilesystem", "batch", "appsync", "es",
                                "glacier", "backup", "scheduler", "mq", "kafka", "iot", "xray"])

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")

# S3 sub-resources that name the API call (?tagging -> PutBucketTagging, ...).
_S3_SUBRESOURCES = {
    "acl": "Acl", "cors": "Cors", "encryption": "Encryption", "lifecycle": "LifecycleConfiguration",
    "location": "Location", "logging": "Logging", "notification": "NotificationConfiguration",
    "object-lock": "ObjectLockConfiguration", "ownershipControls": "OwnershipControls", "policy": "Policy",
    "publicAccessBlock": "PublicAccessBlock", "replication": "Replication", "tagging": "Tagging",
    "versioning": "Versioning", "website": "Website", "retention": "Retention", "legal-hold": "LegalHold",
}


@dataclass
class Exchange:
    """One request as the client sent it, with what AWS call it is."""
    method: str
    target: str                      # the request target: path and query, exactly as sent
    headers: list                    # [(name, value)] in the order sent
    body: bytes = b""

    def header(self, name):
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def path(self):
        return self.target.split("?", 1)[0]

    @property
    def query(self):
        return urllib.parse.parse_qs(self.target.split("?", 1)[1] if "?" in self.target else "",
                                     keep_blank_values=True)

    @property
    def is_moto_control(self):
        return self.path.startswith("/moto-api")

    def _scope(self):
        authorization = self.header("Authorization") or ""
        match = _CREDENTIAL.search(authorization)
        if not match:
            credential = self.query.get("X-Amz-Credential", [""])[0]
            match = _CREDENTIAL.search("Credential=" + credential)
        return match.groups() if match else (None, None, None, None)

    @property
    def access_key(self):
        return self._scope()[0]

    @property
    def region(self):
        return self._scope()[2]

    @property
    def service(self):
        """The SigV4 signing name (ec2, iam, s3, ecs, ...), or None for an unsigned request."""
        return self._scope()[3]

    def _form(self):
        content_type = (self.header("Content-Type") or "").lower()
        if self.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            return urllib.parse.parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {}

    @property
    def protocol(self):
        """json (1.0/1.1, X-Amz-Target), query (Action=...), rest-json or rest-xml."""
        content_type = (self.header("Content-Type") or "").lower()
        if self.header("X-Amz-Target") or content_type.startswith("application/x-amz-json"):
            return "json"
        if "Action" in self.query or "Action" in self._form():
            return "query"
        if self.service in REST_JSON_SERVICES or content_type.startswith("application/json"):
            return "rest-json"
        return "rest-xml"

    @property
    def action(self):
        """The API operation: X-Amz-Target's or Action's name; for S3 the operation
        the method, key and sub-resource imply; for other REST services "METHOD /path"."""
        target = self.header("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        for params in (self.query, self._form()):
            if "Action" in params:
                return params["Action"][0]
        if self.service == "s3":
            return _s3_action(self.method, self.path, self.query, self.header("x-amz-copy-source"))
        return "%s %s" % (self.method, self.path)

    @property
    def json_body(self):
        try:
            value = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def _s3_action(method, path, query, copy_source):
    bucket, _, key = path.lstrip("/").partition("/")
    sub = next((name for name in _S3_SUBRESOURCES if name in query), None)
    if not bucket:
        return "ListBuckets"
    if key:
        if "uploadId" in query:
            return {"PUT": "UploadPart", "POST": "CompleteMultipartUpload", "DELETE": "AbortMultipartUpload",
                    "GET": "ListParts"}.get(method, method)
        if method == "POST" and "uploads" in query:
            return "CreateMultipartUpload"
        if sub:
            return {"GET": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject"}.get(method, method) + \
                _S3_SUBRESOURCES[sub]
        if method == "PUT" and copy_source:
            return "CopyObject"
        return {"GET": "GetObject", "PUT": "PutObject", "HEAD": "HeadObject", "DELETE": "DeleteObject"}.get(
            method, method)
    if sub:
        return {"GET": "GetBucket", "PUT": "PutBucket", "DELETE": "DeleteBucket"}.get(method, method) + \
            _S3_SUBRESOURCES[sub]
    if method == "POST" and "delete" in query:
        return "DeleteObjects"
    if method == "GET":
        if "versions" in query:
            return "ListObjectVersions"
        if "uploads" in query:
            return "ListMultipartUploads"
        return "ListObjectsV2" if query.get("list-type") == ["2"] else "ListObjects"
    return {"PUT": "CreateBucket", "HEAD": "HeadBucket", "DELETE": "DeleteBucket"}.get(method, method)


@dataclass
class Reply:
    """One answer: moto's, relayed, or one the proxy made up."""
    status: int
    reason: str
    headers: list = field(default_factory=list)   # [(name, value)]
    body: bytes = b""

    def header(self, name):
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def json_body(self):
        try:
            value = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def with_json_body(self, document):
        body = json.dumps(document).encode()
        return Reply(self.status, self.reason, self.headers, body)


def json_reply(document, status=200):
    return Reply(status, http.client.responses.get(status, ""), [("Content-Type", "application/json")],
                 json.dumps(document, indent=1, sort_keys=True).encode())


def aws_error_reply(exchange, status, code, message):
    """An error in the shape the client's protocol expects, so an SDK parses its code:
    JSON 1.0/1.1 `__type`, REST-JSON x-amzn-ErrorType, EC2's <Response><Errors>,
    the query services' <ErrorResponse>, S3's bare <Error>."""
    request_id = str(uuid.uuid4())
    protocol = exchange.protocol
    headers = [("x-amzn-RequestId", request_id)]
    if protocol in ("json", "rest-json"):
        content_type = exchange.header("Content-Type") or "application/x-amz-json-1.1"
        if protocol == "rest-json":
            content_type = "application/json"
        headers += [("Content-Type", content_type), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": message}).encode()
    else:
        headers += [("Content-Type", "text/xml")]
        fault = "Receiver" if status >= 500 else "Sender"
        if exchange.service == "ec2":
            text = ("<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors>"
                    "<RequestID>%s</RequestID></Response>") % (code, message, request_id)
        elif exchange.service == "s3":
            headers.append(("x-amz-request-id", request_id))
            text = "<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>" % (
                code, message, request_id)
        else:
            text = ("<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
                    "<RequestId>%s</RequestId></ErrorResponse>") % (fault, code, message, request_id)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode()
    if exchange.method == "HEAD":
        body = b""
    return Reply(status, http.client.responses.get(status, ""), headers, body)


def sign_v4(exchange, host, access_key, secret_key, region, service, session_token=None, now=None):
    """Adds X-Amz-Date and a SigV4 Authorization to `exchange` (a request the proxy
    itself sends to the target); `host` is the Host header value to sign."""
    now = now or time.gmtime()
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", now)
    day = amz_date[:8]
    headers = [(k, v) for k, v in exchange.headers
               if k.lower() not in ("host", "x-amz-date", "authorization", "x-amz-security-token")]
    headers += [("Host", host), ("X-Amz-Date", amz_date)]
    if session_token:
        headers.append(("X-Amz-Security-Token", session_token))
    canonical = sorted((k.lower(), " ".join(str(v).split())) for k, v in headers)
    signed_names = ";".join(name for name, _ in canonical)
    path, _, raw_query = exchange.target.partition("?")
    pairs = sorted(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
    canonical_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                               for k, v in pairs)
    request = "\n".join([exchange.method, urllib.parse.quote(path, safe="/-_.~"), canonical_query,
                         "".join("%s:%s\n" % item for item in canonical), signed_names,
                         hashlib.sha256(exchange.body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(request.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key, scope, signed_names, signature)))
    exchange.headers = headers
    return exchange


class ClientConnection:
    """The client's side of one exchange: what the proxy may do to it."""

    def __init__(self, handler, stopping):
        self._handler = handler
        self._stopping = stopping
        self.done = False

    def send(self, reply):
        """Writes `reply` whole; the connection stays open for the next request
        unless the client asked to close it."""
        self._handler.wfile.write(self._head(reply) + self._body(reply))
        self.done = True

    def send_truncated(self, reply):
        """Writes the status line, the headers (with the full Content-Length) and
        half the body, then resets the connection."""
        body = self._body(reply)
        self._handler.wfile.write(self._head(reply) + body[:len(body) // 2])
        self.reset()

    def reset(self):
        """Aborts the connection with a TCP RST, whatever was or was not sent."""
        handler = self._handler
        handler.close_connection = True
        try:
            handler.rfile.close()   # drop makefile's reference so close() is immediate
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
        except OSError:
            pass
        self.done = True

    def hold(self, seconds):
        """Sends nothing for `seconds` (cut short when the proxy stops); True if it
        waited the whole time."""
        return not self._stopping.wait(seconds)

    def close(self):
        """Closes the connection without an answer (a FIN, no bytes)."""
        self._handler.close_connection = True
        self.done = True

    def _head(self, reply):
        handler = self._handler
        lines = ["HTTP/1.1 %d %s" % (reply.status, reply.reason or http.client.responses.get(reply.status, ""))]
        is_head = handler.command == "HEAD"
        has_body = not (100 <= reply.status < 200 or reply.status in (204, 304))
        for name, value in reply.headers:
            lowered = name.lower()
            if lowered in HOP_BY_HOP or (lowered == "content-length" and not is_head):
                continue
            lines.append("%s: %s" % (name, value))
        if has_body and not is_head:
            lines.append("Content-Length: %d" % len(reply.body))
        if handler.close_connection:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _body(self, reply):
        if self._handler.command == "HEAD" or 100 <= reply.status < 200 or reply.status in (204, 304):
            return b""
        return reply.body


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 300  # an idle keep-alive connection is closed after this

    def setup(self):
        super().setup()
        self.server.proxy._connections_opened(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.proxy._connections_closed(self.connection)

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (OSError, ValueError):
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        body = self._read_body()
        target = self.path
        if target.startswith("http://") or target.startswith("https://"):
            target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/"
        exchange = Exchange(self.command, target, list(self.headers.items()), body)
        client = ClientConnection(self, self.server.proxy._stopping)
        try:
            self.server.proxy._dispatch(exchange, client)
        except (OSError, ValueError):
            self.close_connection = True

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class ForwardingProxy:
    """A loopback HTTP proxy that relays every exchange to `target` unchanged.

    Use in-process as `with Proxy(target) as proxy: ... proxy.url ...` or
    `port = proxy.start(); ...; proxy.stop()`. Each connection is served on its
    own thread."""

    control_prefix = None   # e.g. "/fault-proxy/": answered by control(), never forwarded

    def __init__(self, target, host="127.0.0.1", port=0, forward_timeout=120):
        parsed = urllib.parse.urlsplit(target)
        if parsed.scheme != "http" or not parsed.hostname:
            raise ValueError("target must be an http://HOST:PORT URL, got %r" % target)
        self.target = target
        self._target_host = parsed.hostname
        self._target_port = parsed.port or 80
        self._host = host
        self._port = port
        self.forward_timeout = forward_timeout
        self._stopping = threading.Event()
        self._open = set()
        self._open_lock = threading.Lock()
        self._server = None
        self._thread = None

    # ---- lifecycle -------------------------------------------------------------

    def start(self):
        """Starts serving on a background thread; returns the port."""
        self._stopping.clear()
        self._server = _Server((self._host, self._port), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self.port

    def stop(self):
        """Stops accepting, wakes held connections and closes every open one."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        with self._open_lock:
            for connection in list(self._open):
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return "http://%s:%d" % (self._host, self.port)

    # ---- what subclasses change ------------------------------------------------

    def serve(self, exchange, client):
        """Handles one exchange; the default relays it to the target and back."""
        client.send(self.forward(exchange))

    def control(self, exchange):
        """Answers a request under control_prefix."""
        return json_reply({"error": "unknown control path %s" % exchange.path}, 404)

    # ---- helpers ---------------------------------------------------------------

    def forward(self, exchange):
        """Sends `exchange` to the target as it is and returns the target's answer
        (502 with a plain-text reason when the target cannot be reached)."""
        connection = http.client.HTTPConnection(self._target_host, self._target_port, timeout=self.forward_timeout)
        try:
            connection.putrequest(exchange.method, exchange.target, skip_host=True, skip_accept_encoding=True)
            has_length = False
            for name, value in exchange.headers:
                lowered = name.lower()
                if lowered in HOP_BY_HOP:
                    continue
                has_length = has_length or lowered == "content-length"
                connection.putheader(name, value)
            if not has_length and exchange.body:
                connection.putheader("Content-Length", str(len(exchange.body)))
            connection.endheaders(exchange.body or None)
            response = connection.getresponse()
            body = response.read()
            return Reply(response.status, response.reason, response.getheaders(), body)
        except (OSError, http.client.HTTPException) as error:
            return Reply(502, "Bad Gateway", [("Content-Type", "text/plain")],
                         ("%s: %s unreachable: %s" % (type(self).__name__, self.target, error)).encode())
        finally:
            connection.close()

    def target_host(self):
        """The Host header value of the target, for requests the proxy signs itself."""
        return "%s:%d" % (self._target_host, self._target_port)

    def _dispatch(self, exchange, client):
        try:
            if self.control_prefix and exchange.path.startswith(self.control_prefix):
                client.send(self.control(exchange))
            else:
                self.serve(exchange, client)
        except (OSError, ValueError, http.client.HTTPException):
            raise   # the client went away, or sent something unreadable
        except Exception as error:   # a bug in the proxy: say so, loudly, rather than drop the connection
            traceback.print_exc()
            if not client.done:
                client.send(Reply(502, "Bad Gateway", [("Content-Type", "text/plain"), ("X-Proxy-Error", "1")],
                                  ("%s failed: %r" % (type(self).__name__, error)).encode()))
        if not client.done:
            client.close()

    def _connections_opened(self, connection):
        with self._open_lock:
            self._open.add(connection)

    def _connections_closed(self, connection):
        with self._open_lock:
            self._open.discard(connection)


def run_cli(proxy, description):
    """Starts `proxy`, prints its port on the first line of stdout and serves until
    SIGTERM or SIGINT (exit 0)."""
    import signal
    import sys
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    port = proxy.start()
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    sys.stderr.write("%s on %s -> %s\n" % (description, proxy.url, proxy.target))
    sys.stderr.flush()
    while not done.wait(1):
        pass
    proxy.stop()
    return 0
