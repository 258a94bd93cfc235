#!/usr/bin/env python3
"""A fault-injecting loopback proxy in front of moto_server.

Point the AWS clients at the proxy (AWS_ENDPOINT_URL, endpoints = ...) and the
proxy at moto. Every request is forwarded unchanged (see moto_proxy.py); at
`rate` (default 0.2) the proxy injects one of these faults instead:

  5xx-after  forward to moto, then answer 500 InternalError or 503
             ServiceUnavailable: the call took effect, the client sees a failure
  throttle   answer a throttling error without forwarding: ThrottlingException
             (JSON), RequestLimitExceeded (EC2), Throttling (IAM, STS, ...),
             SlowDown (S3), TooManyRequestsException (REST-JSON)
  reset      forward to moto, then reset the connection (TCP RST) before any
             answer ("no-response") or after half of it ("mid-response")
  stall      accept the request, then send nothing for stall_seconds; then
             close the connection (stall_then="close", moto never sees the call)
             or forward it and answer late (stall_then="forward")

Errors come in the shape of the caller's protocol (JSON `__type`, EC2 XML,
query <ErrorResponse>, S3 <Error>), inferred from X-Amz-Target, Content-Type,
Action= and the SigV4 signing name. Faults are never injected on moto's own
control endpoints (/moto-api/...) nor on unsigned requests; `only` and `never`
narrow them further to services or service:Action pairs (`never=["s3",
"dynamodb"]` exempts a state backend).

Decisions are reproducible: whether the n-th call of (service, action) gets a
fault, and which, depends only on (seed, service, action, n), whatever the
interleaving of concurrent calls to other actions.

Every injected fault is appended to the log file as one JSON line (seq, time,
service, action, kind, method, path, and status/code, detail,
forwarded_status where they apply) and kept in memory (`faults()`).

In-process:
    from fault_proxy import FaultProxy
    with FaultProxy(moto_url, rate=0.2, seed=7, log_path=log) as proxy:
        env["AWS_ENDPOINT_URL"] = proxy.url
    proxy.configure(rate=0)          # e.g. while a test checks what exists
CLI (prints the port on the first stdout line, serves until SIGTERM/SIGINT):
    python3 tests/support/fault_proxy.py --target http://127.0.0.1:PORT --rate 0.2 --seed 7 \
        --kinds 5xx-after,throttle,reset,stall --stall-seconds 40 --log F
Control endpoints on the proxy itself (never forwarded):
    GET  /fault-proxy/stats    {"requests", "eligible", "faults": {kind: n}, "config"}
    POST /fault-proxy/config   JSON with any of rate, kinds, only, never, stall_seconds,
                               stall_then, reset_mode, max_in_a_row
"""
import argparse
import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_proxy import ForwardingProxy, aws_error_reply, json_reply, run_cli  # noqa: E402

KINDS = ("5xx-after", "throttle", "reset", "stall")

# (protocol or service) -> (HTTP status, code) of its throttling error.
_THROTTLE = {"ec2": (503, "RequestLimitExceeded"), "s3": (503, "SlowDown"), "json": (400, "ThrottlingException"),
             "query": (400, "Throttling"), "rest-json": (429, "TooManyRequestsException"),
             "rest-xml": (400, "Throttling")}


def _names(value):
    """A list from "a,b" or ["a", "b"]."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def _rate(value):
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError("rate must be between 0 and 1, got %r" % value)
    return value


def _kinds(value):
    kinds = _names(value)
    if not kinds or any(kind not in KINDS for kind in kinds):
        raise ValueError("kinds must be a non-empty subset of %s, got %r" % (",".join(KINDS), value))
    return kinds


def _selectors(value):
    """Service names (lower-cased) and service:Action pairs."""
    selectors = []
    for item in _names(value):
        service, colon, action = item.partition(":")
        selectors.append(service.lower() + colon + action)
    return selectors


def _one_of(*choices):
    def check(value):
        if value not in choices:
            raise ValueError("expected one of %s, got %r" % (", ".join(choices), value))
        return value
    return check


# Each runtime setting and how its value is checked.
_SETTINGS = {"rate": _rate, "kinds": _kinds, "only": _selectors, "never": _selectors, "stall_seconds": float,
             "stall_then": _one_of("close", "forward"),
             "reset_mode": _one_of("random", "no-response", "mid-response"), "max_in_a_row": int}


class FaultProxy(ForwardingProxy):
    control_prefix = "/fault-proxy/"

    def __init__(self, target, rate=0.2, seed=0, kinds=KINDS, stall_seconds=40.0, stall_then="close",
                 reset_mode="random", only=(), never=(), log_path=None, max_in_a_row=0, **kwargs):
        super().__init__(target, **kwargs)
        self.seed = seed
        self.log_path = log_path
        self._lock = threading.Lock()
        self._config = {}
        self._seen = {}         # (service, action) -> calls so far
        self._in_a_row = {}     # (service, action) -> faults injected in a row
        self._faults = []
        self._requests = 0
        self._eligible = 0
        self.configure(rate=rate, kinds=kinds, stall_seconds=stall_seconds, stall_then=stall_then,
                       reset_mode=reset_mode, only=only, never=never, max_in_a_row=max_in_a_row)
        if log_path:
            open(log_path, "a").close()

    # ---- configuration and results ----------------------------------------------

    def configure(self, **changes):
        """Changes any of rate, kinds, only, never, stall_seconds, stall_then,
        reset_mode, max_in_a_row while running; raises ValueError on a bad value."""
        checked = {}
        for name, value in changes.items():
            if name not in _SETTINGS:
                raise ValueError("unknown setting %r (known: %s)" % (name, ", ".join(sorted(_SETTINGS))))
            checked[name] = _SETTINGS[name](value)
        with self._lock:
            self._config = {**self._config, **checked}

    @property
    def config(self):
        with self._lock:
            return dict(self._config)

    def faults(self):
        """Every fault injected so far, oldest first (the log file's records)."""
        with self._lock:
            return list(self._faults)

    def stats(self):
        with self._lock:
            counts = {kind: 0 for kind in KINDS}
            for fault in self._faults:
                counts[fault["kind"]] += 1
            return {"requests": self._requests, "eligible": self._eligible, "faults": counts,
                    "config": dict(self._config)}

    def control(self, exchange):
        if exchange.path == "/fault-proxy/stats" and exchange.method == "GET":
            return json_reply(self.stats())
        if exchange.path == "/fault-proxy/config" and exchange.method == "POST":
            try:
                self.configure(**exchange.json_body)
            except (TypeError, ValueError) as error:
                return json_reply({"error": str(error)}, 400)
            return json_reply(self.config)
        return super().control(exchange)

    # ---- one exchange ----------------------------------------------------------

    def serve(self, exchange, client):
        decision = self._decide(exchange)
        if decision is None:
            client.send(self.forward(exchange))
            return
        kind, rng, config = decision
        record = {"service": exchange.service, "action": exchange.action, "kind": kind,
                  "method": exchange.method, "path": exchange.path}
        if kind == "throttle":
            status, code = _THROTTLE.get(exchange.service) or _THROTTLE[exchange.protocol]
            self._record(record, status=status, code=code)
            client.send(aws_error_reply(exchange, status, code, "Rate exceeded (injected by fault_proxy)"))
        elif kind == "5xx-after":
            status, code = rng.choice([(500, "InternalError"), (503, "ServiceUnavailable")])
            answer = self.forward(exchange)
            self._record(record, status=status, code=code, forwarded_status=answer.status)
            client.send(aws_error_reply(exchange, status, code,
                                        "We encountered an internal error. Please try again. (injected)"))
        elif kind == "reset":
            mode = config["reset_mode"]
            if mode == "random":
                mode = rng.choice(["no-response", "mid-response"])
            answer = self.forward(exchange)
            self._record(record, detail=mode, forwarded_status=answer.status)
            if mode == "no-response" or not answer.body:
                client.reset()
            else:
                client.send_truncated(answer)
        else:
            self._record(record, detail="%gs then %s" % (config["stall_seconds"], config["stall_then"]))
            waited = client.hold(config["stall_seconds"])
            if waited and config["stall_then"] == "forward":
                client.send(self.forward(exchange))
            else:
                client.close()

    def _decide(self, exchange):
        """(kind, rng, config) when this exchange gets a fault, else None."""
        service, action = exchange.service, exchange.action
        with self._lock:
            self._requests += 1
            config = dict(self._config)
            if exchange.is_moto_control or service is None or not self._selected(service, action, config):
                return None
            self._eligible += 1
            key = (service, action)
            n = self._seen.get(key, 0)
            self._seen[key] = n + 1
            rng = random.Random("%s/%s/%s/%d" % (self.seed, service, action, n))
            inject = rng.random() < config["rate"]
            if inject and config["max_in_a_row"] and self._in_a_row.get(key, 0) >= config["max_in_a_row"]:
                inject = False
            self._in_a_row[key] = self._in_a_row.get(key, 0) + 1 if inject else 0
            if not inject:
                return None
            return rng.choice(config["kinds"]), rng, config

    @staticmethod
    def _selected(service, action, config):
        names = {service.lower(), "%s:%s" % (service.lower(), action)}
        if names & set(config["never"]):
            return False
        return not config["only"] or bool(names & set(config["only"]))

    def _record(self, record, **extra):
        record.update(extra)
        with self._lock:
            record = dict(seq=len(self._faults) + 1, time=time.time(), **record)
            self._faults.append(record)
            if self.log_path:
                with open(self.log_path, "a") as log:
                    log.write(json.dumps(record, sort_keys=True) + "\n")


def read_log(path):
    """The records of a fault log file."""
    with open(path) as log:
        return [json.loads(line) for line in log if line.strip()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="moto's URL, http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--rate", type=float, default=0.2, help="share of eligible calls that get a fault")
    parser.add_argument("--seed", default="0", help="seed of the fault decisions")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of " + ",".join(KINDS))
    parser.add_argument("--stall-seconds", type=float, default=40.0)
    parser.add_argument("--stall-then", choices=["close", "forward"], default="close")
    parser.add_argument("--reset-mode", choices=["random", "no-response", "mid-response"], default="random")
    parser.add_argument("--only", default="", help="inject only on these services or service:Action")
    parser.add_argument("--never", default="", help="never inject on these services or service:Action")
    parser.add_argument("--max-in-a-row", type=int, default=0,
                        help="at most this many faults in a row on one service:Action (0: no limit)")
    parser.add_argument("--log", help="append one JSON line per injected fault to this file")
    args = parser.parse_args(argv)
    try:
        proxy = FaultProxy(args.target, rate=args.rate, seed=args.seed, kinds=args.kinds,
                           stall_seconds=args.stall_seconds, stall_then=args.stall_then, reset_mode=args.reset_mode,
                           only=args.only, never=args.never, log_path=args.log, max_in_a_row=args.max_in_a_row,
                           port=args.port)
    except ValueError as error:
        parser.error(str(error))
    return run_cli(proxy, "fault_proxy (rate %g, seed %s, kinds %s)" % (args.rate, args.seed, args.kinds))


if __name__ == "__main__":
    sys.exit(main())
