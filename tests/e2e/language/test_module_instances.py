"""Modules with for_each and count through the built binary against moto:
the plan names every module instance, apply records module.NAME["KEY"]
addresses, the parameters exist in SSM, a removed key is destroyed saying why,
and --target picks one instance."""
import unittest
import urllib.request

from example_harness import ExampleTestCase

MODULE = """
[variable.env]
type = "string"

[variable.tier]
type = "string"
default = "Standard"

[resource.aws_ssm_parameter.endpoint]
name = "/e2e/${var.env}/endpoint"
type = "String"
value = "https://${var.env}.example.com"
tier = "${var.tier}"

[output.name]
value = "${aws_ssm_parameter.endpoint.name}"
"""

ROOT = """
[provider.aws]
region = "us-west-2"

[variable.envs]
type = "set(string)"
default = ["prod", "staging"]

[module.param]
source = "./modules/param"
for_each = "${var.envs}"
env = "${each.key}"

[module.extra]
source = "./modules/param"
count = 2
env = "extra${count.index}"

[output.names]
value = "${[for k, m in module.param : m.name]}"

[output.extra_names]
value = "${module.extra[*].name}"
"""


class ModuleInstancesTest(ExampleTestCase):

    def setUp(self):
        super().setUp()
        # Every test starts from an empty moto (the server is shared by the class).
        urllib.request.urlopen(urllib.request.Request(self.moto.url + "/moto-api/reset", method="POST"),
                               timeout=30).close()
        self.write("modules/param/main.toml", MODULE)
        self.write("main.toml", ROOT)

    def parameter_names(self):
        pages = self.aws("ssm").get_paginator("describe_parameters").paginate()
        return sorted(p["Name"] for page in pages for p in page["Parameters"] if p["Name"].startswith("/e2e/"))

    def test_for_each_and_count_modules_plan_apply_and_shrink(self):
        plan = self.plan_with_changes()
        lines = plan.stdout.splitlines()
        for address in ('module.extra[0].aws_ssm_parameter.endpoint', 'module.extra[1].aws_ssm_parameter.endpoint',
                        'module.param["prod"].aws_ssm_parameter.endpoint',
                        'module.param["staging"].aws_ssm_parameter.endpoint'):
            self.assertIn("  # %s will be created" % address, lines, plan.stdout)
        self.assertIn('      + name      = "/e2e/staging/endpoint"', lines, plan.stdout)
        self.assertIn("Plan: 4 to add, 0 to change, 0 to destroy.", lines)

        applied = self.apply()
        self.assertIn("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.", applied.stdout)
        self.assertEqual(self.managed_addresses(), [
            'module.extra[0].aws_ssm_parameter.endpoint', 'module.extra[1].aws_ssm_parameter.endpoint',
            'module.param["prod"].aws_ssm_parameter.endpoint', 'module.param["staging"].aws_ssm_parameter.endpoint'])
        self.assertEqual(self.parameter_names(), ["/e2e/extra0/endpoint", "/e2e/extra1/endpoint",
                                                  "/e2e/prod/endpoint", "/e2e/staging/endpoint"])
        outputs = self.ok("output", "--json").stdout
        self.assertIn('"/e2e/prod/endpoint"', outputs)
        self.assertIn('"/e2e/extra1/endpoint"', outputs)
        self.assert_no_changes()

        shrink = self.plan_with_changes("--var", 'envs=["prod"]')
        lines = shrink.stdout.splitlines()
        self.assertIn('  # module.param["staging"].aws_ssm_parameter.endpoint will be destroyed', lines,
                      shrink.stdout)
        self.assertIn('  # (because module.param["staging"] is not in configuration)', lines, shrink.stdout)
        self.assertIn("Plan: 0 to add, 0 to change, 1 to destroy.", lines)
        self.apply("--var", 'envs=["prod"]')
        self.assertEqual(self.parameter_names(), ["/e2e/extra0/endpoint", "/e2e/extra1/endpoint",
                                                  "/e2e/prod/endpoint"])

    def test_target_one_module_instance(self):
        plan = self.plan_with_changes("--target", 'module.param["prod"]')
        self.assertIn('  # module.param["prod"].aws_ssm_parameter.endpoint will be created',
                      plan.stdout.splitlines(), plan.stdout)
        self.assertNotIn('module.param["staging"]', plan.stdout)
        self.assertIn("Plan: 1 to add, 0 to change, 0 to destroy.", plan.stdout)
        self.apply("--target", 'module.param["prod"]')
        self.assertEqual(self.parameter_names(), ["/e2e/prod/endpoint"])

    def test_validate_reports_a_for_each_of_the_wrong_type(self):
        self.write("main.toml", ROOT.replace('for_each = "${var.envs}"', 'for_each = "${3}"'))
        invalid = self.fails("validate")
        self.assertIn("main.toml:11:15: error: Invalid for_each argument: a map or a list of strings is "
                      "required, got number", invalid.stderr)

    def test_validate_reports_a_value_the_schema_does_not_list(self):
        self.write("modules/param/main.toml", MODULE.replace('type = "String"', 'type = "Strng"'))
        invalid = self.fails("validate")
        self.assertRegex(invalid.stderr, r'modules/param/main\.toml:11:\d+: error: Invalid value for "type" in '
                                         r'resource module\.param\["prod"\]\.aws_ssm_parameter\.endpoint')
        self.assertIn('Expected one of "String", "StringList", "SecureString", got "Strng". '
                      'Did you mean "String"?', invalid.stderr)


if __name__ == "__main__":
    unittest.main()
