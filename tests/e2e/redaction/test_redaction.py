"""Redaction by sensitive mark: a sensitive variable's value used in a plain
(String) SSM parameter, in a launch template's user_data (base64) and in an
ECS container's environment (JSON) never appears in a RECONCILE_LOG=trace log
of an apply against moto, in any form the requests carry it: plain,
JSON-escaped, base64 (inside the longer user_data), percent-encoded. The log
holds the requests themselves (so the test would see a leak) and is 0600."""
import base64
import json
import os
import stat
import unittest
import urllib.parse

from example_harness import ExampleTestCase

SECRET = "Hunter2-db/pass+word-7431"

STACK = """
[provider.aws]
region = "us-west-2"

[variable.db_password]
type = "string"
sensitive = true

[resource.aws_ssm_parameter.copy]
name = "/app/db-password-copy"
type = "String"
value = "${var.db_password}"

[resource.aws_launch_template.web]
name = "web"
image_id = "ami-12c6146b"
instance_type = "t3.micro"
user_data = '${base64encode(format("#!/bin/sh\\necho %s > /etc/app.conf\\n", var.db_password))}'

[resource.aws_ecs_task_definition.app]
family = "app"
container_definitions = '${jsonencode([{ name = "app", image = "nginx", memory = 128, essential = true, environment = [{ name = "DB_PASSWORD", value = var.db_password }] }])}'
"""


def forms(secret):
    """Every text a log could show the secret as."""
    out = {secret, json.dumps(secret)[1:-1]}
    user_data = "#!/bin/sh\necho %s > /etc/app.conf\n" % secret
    out.add(base64.b64encode(user_data.encode()).decode())
    for skip in range(3):
        whole = (len(secret) - skip) // 3 * 3
        out.add(base64.b64encode(secret[skip:skip + whole].encode()).decode())
    out |= {urllib.parse.quote(f, safe="") for f in list(out)}
    return out


class RedactionTest(ExampleTestCase):
    def test_a_sensitive_value_never_reaches_the_trace_log(self):
        # Given a stack using a sensitive variable in three kinds of requests
        self.write("main.toml", STACK)
        log_path = os.path.join(self.dir, "trace.log")
        self.env["RECONCILE_LOG"] = "trace"
        self.env["RECONCILE_LOG_FILE"] = log_path
        self.env["RECONCILE_VAR_db_password"] = SECRET
        # When it is applied, then planned again
        self.apply()
        self.ok("plan")
        # Then the trace log has every request ...
        with open(log_path) as f:
            log = f.read()
        for call in ("ssm.PutParameter", "ec2.CreateLaunchTemplate", "ecs.RegisterTaskDefinition",
                     "ssm.GetParameters", '"method":"apply"'):
            self.assertIn(call, log)
        # ... but never the secret, in any form
        for form in forms(SECRET):
            self.assertNotIn(form, log)
        self.assertIn("***", log)
        # And only its owner may read it
        self.assertEqual(stat.S_IMODE(os.stat(log_path).st_mode), 0o600)


if __name__ == "__main__":
    unittest.main()
