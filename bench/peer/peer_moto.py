"""The one moto_server every tool of a benchmark run talks to, started on a
free loopback port by tests/support/moto.sh; its request log is how API calls
are counted, the same way for both tools."""
import os
import re
import subprocess
import urllib.request

# One werkzeug request line: 127.0.0.1 - - [date] "POST / HTTP/1.1" 200 -
_REQUEST = re.compile(r'^\S+ - - \[[^\]]*\] "(\w+) (\S+) HTTP/[\d.]+" \d{3} ')


class Moto:
    """A running moto_server; stop() ends it."""

    def __init__(self, source_dir, workdir):
        self.log_path = os.path.join(workdir, "moto.log")
        script = os.path.join(source_dir, "tests", "support", "moto.sh")
        started = subprocess.run(["bash", script, "start", workdir], capture_output=True, text=True,
                                 timeout=120, check=True)
        exports = dict(re.findall(r"^export (\w+)=(.*)$", started.stdout, re.M))
        self.script = script
        self.pid = exports["MOTO_PID"]
        self.url = exports["MOTO_URL"]

    def requests_served(self):
        """AWS API requests moto has answered so far (its own /moto-api excluded)."""
        count = 0
        with open(self.log_path, errors="replace") as log:
            for line in log:
                match = _REQUEST.match(line)
                if match and not match.group(2).startswith("/moto-api"):
                    count += 1
        return count

    def reset(self):
        """Wipes every object in every account and region."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        opener.open(request, timeout=60).read()

    def stop(self):
        subprocess.run(["bash", self.script, "stop", self.pid], timeout=60)
