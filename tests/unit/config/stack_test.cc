// Loading stacks from real files: every block kind, source locations,
// merging, duplicates, unknown blocks and settings, TOML syntax errors and
// expression errors located inside TOML strings.
#include <gtest/gtest.h>

#include "config/stack/reference_check.h"
#include "config/stack/stack_loader.h"
#include "support/temp_dir.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

// "file:line:col: summary" for each diagnostic, one per line.
std::string Lines(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    if (!out.empty()) out += "\n";
    out += d.range.ToString() + ": " + d.summary;
  }
  return out;
}

const char kMain[] = R"([stack]
name = "web"

[backend.s3]
bucket = "acme-state"

[provider.aws]
region = "us-west-2"

[provider."aws.west"]
region = "us-west-1"

[required_providers.aws]
version = ">= 1.0"

[variable.instance_type]
type = "string"
default = "t3.small"
description = "EC2 size"

[locals]
name = "web-${workspace}"

[resource.aws_vpc.main]
cidr_block = "10.0.0.0/16"
tags = { Name = "${local.name}" }
lifecycle = { prevent_destroy = true, ignore_changes = ["tags.Name"] }

[resource.aws_subnet.public]
for_each = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
vpc_id = "${aws_vpc.main.id}"
cidr_block = "${each.value}"
depends_on = ["aws_vpc.main"]
provider = "aws.west"
ingress = [{ from_port = 80 }, { from_port = 443 }]

[[resource.aws_security_group.web.egress]]
to_port = 0

[[resource.aws_security_group.web.egress]]
to_port = 1

[data.aws_ami.ubuntu]
most_recent = true

[output.vpc_id]
value = "${aws_vpc.main.id}"
sensitive = true
)";

TEST(LoadStack, ReadsEveryBlockKindWithLocations) {
  testing::TempDir dir;
  dir.Write("main.toml", kMain);
  Stack stack;
  Diagnostics diags = LoadStack(dir.path(), &stack);
  ASSERT_EQ(Lines(diags), "");
  const Module& m = *stack.root;
  EXPECT_EQ(m.stack_name, "web");
  ASSERT_TRUE(m.backend.has_value());
  EXPECT_EQ(m.backend->type, "s3");
  EXPECT_EQ(m.backend->range.ToString(), "main.toml:4:1");
  EXPECT_EQ(m.providers.size(), 2u);
  EXPECT_EQ(m.providers.at("aws.west").alias, "west");
  EXPECT_EQ(m.required_providers.at("aws").version, ">= 1.0");
  EXPECT_EQ(m.variables.at("instance_type").description, "EC2 size");
  EXPECT_EQ(m.locals.at("name").range.ToString(), "main.toml:22:1");

  const ResourceBlock& vpc = m.resources.at("aws_vpc.main");
  EXPECT_EQ(vpc.range.ToString(), "main.toml:24:1");
  EXPECT_EQ(vpc.provider, "aws");
  EXPECT_TRUE(vpc.lifecycle.prevent_destroy);
  EXPECT_EQ(vpc.lifecycle.ignore_changes, std::vector<std::string>{"tags.Name"});
  ASSERT_EQ(vpc.body.attributes.size(), 2u);
  EXPECT_EQ(vpc.body.attributes[0].first, "cidr_block");
  EXPECT_EQ(vpc.body.attributes[1].first, "tags");
  EXPECT_EQ(vpc.body.Find("cidr_block")->range().ToString(), "main.toml:25:14");
  const auto* tags = vpc.body.Find("tags")->map_entries();
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->front().second.range().ToString(), "main.toml:26:20");

  const ResourceBlock& subnet = m.resources.at("aws_subnet.public");
  ASSERT_TRUE(subnet.for_each.has_value());
  EXPECT_EQ(subnet.provider, "aws.west");
  ASSERT_EQ(subnet.depends_on.size(), 1u);
  EXPECT_EQ(subnet.depends_on[0].ToString(), "aws_vpc.main");
  std::vector<std::string> order;
  for (const auto& [name, e] : subnet.body.attributes) order.push_back(name);
  EXPECT_EQ(order, (std::vector<std::string>{"vpc_id", "cidr_block", "ingress"}));
  EXPECT_EQ(subnet.body.Find("ingress")->list_items()->size(), 2u);

  const ResourceBlock& group = m.resources.at("aws_security_group.web");
  const Value* egress = group.body.Find("egress")->literal_value();
  ASSERT_NE(egress, nullptr);
  EXPECT_EQ(*egress, List({Map({{"to_port", Num(0)}}), Map({{"to_port", Num(1)}})}));

  EXPECT_EQ(m.resources.at("data.aws_ami.ubuntu").mode, ResourceMode::kData);
  EXPECT_TRUE(m.outputs.at("vpc_id").sensitive);
}

TEST(LoadStack, MergesFilesAndNamesBothPlacesOfADuplicate) {
  testing::TempDir dir;
  dir.Write("a.toml", "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  dir.Write("b.toml", "[locals]\nx = 1\n\n[resource.aws_vpc.main]\ncidr_block = \"10.1.0.0/16\"\n");
  dir.Write("c.toml", "[locals]\nx = 2\n");
  dir.Write("environments/prod.toml", "this is not read = as part of the stack\n");
  Stack stack;
  EXPECT_EQ(Lines(LoadStack(dir.path(), &stack)),
            "b.toml:4:1: Duplicate resource \"aws_vpc.main\": first defined at a.toml:1:1\n"
            "c.toml:2:1: Duplicate local value \"x\": first defined at b.toml:2:1");
}

TEST(LoadStack, UnknownBlocksAndSettingsSuggestTheRightName) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([resources.aws_vpc.main]
cidr_block = "10.0.0.0/16"

[resource.aws_vpc.other]
depend_on = ["aws_vpc.main"]
lifecycle = { prevent_destory = true }

[variable.region]
typ = "string"

[output.x]
valeu = 1
)");
  Stack stack;
  EXPECT_EQ(Lines(LoadStack(dir.path(), &stack)),
            "main.toml:1:1: Unknown block type \"resources\"; did you mean \"resource\"?\n"
            "main.toml:5:1: Unsupported argument \"depend_on\"; did you mean \"depends_on\"?\n"
            "main.toml:6:15: Unsupported argument \"prevent_destory\" in lifecycle of "
            "aws_vpc.other; did you mean \"prevent_destroy\"?\n"
            "main.toml:9:1: Unsupported argument \"typ\" in variable \"region\"; did you mean "
            "\"type\"?\n"
            "main.toml:12:1: Unsupported argument \"valeu\" in output \"x\"; did you mean "
            "\"value\"?\n"
            "main.toml:11:1: Missing value in output \"x\"");
}

TEST(LoadStack, TomlSyntaxErrorsAreReadableAndLocated) {
  testing::TempDir dir;
  dir.Write("main.toml", "[resource.aws_vpc.main]\ncidr_block = \n");
  dir.Write("other.toml", "[locals]\nx = [1, 2\ny = 3\n");
  Stack stack;
  Diagnostics diags = LoadStack(dir.path(), &stack);
  EXPECT_EQ(Lines(diags),
            "main.toml:2:14: Invalid TOML: Missing value after key-value separator '='\n"
            "other.toml:3:1: Invalid TOML: Missing array separator `,` after a value");
  EXPECT_EQ(diags[0].detail, "expected value, but got nothing");
  EXPECT_EQ(diags[1].detail, "should be `,`\nline 2: array starts here");
}

TEST(LoadStack, ExpressionErrorsPointInsideTomlStrings) {
  testing::TempDir dir;
  dir.Write("main.toml", "[locals]\n"
                         "a = \"a\\tb ${1 +}\"\n"
                         "b = '${lenght(\"x\")}'\n"
                         "c = \"\"\"\nfirst line\n  x ${var.}\"\"\"\n"
                         "d = \"\\u00e9\\u00e9${)}\"\n");
  Stack stack;
  EXPECT_EQ(Lines(LoadStack(dir.path(), &stack)),
            "main.toml:2:16: Invalid expression: expected a value, found \"}\"\n"
            "main.toml:3:8: Call to unknown function \"lenght\"; did you mean \"length\"?\n"
            "main.toml:6:7: Invalid reference: \"var\" must be followed by a name, as in var.name\n"
            "main.toml:7:20: Invalid expression: expected a value, found \")\"");
}

TEST(LoadStack, BadMetaArgumentsAndShapes) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([resource.aws_vpc]
cidr_block = "x"

[resource.aws_instance.web]
count = 2
for_each = ["a"]
depends_on = ["aws_vpc.main.id", "nonsense here"]
provider = "aws west"
lifecycle = { ignore_changes = "some" }

[data.aws_ami.x]
lifecycle = { prevent_destroy = true }

[module.net]
count = 2
version = "1.0"
)");
  Stack stack;
  EXPECT_EQ(Lines(LoadStack(dir.path(), &stack)),
            "main.toml:2:1: Invalid resource block: expected [resource.aws_vpc.NAME], found "
            "\"resource.aws_vpc.cidr_block\" = string\n"
            "main.toml:7:15: Invalid depends_on entry \"aws_vpc.main.id\": expected a resource, "
            "data source or module address\n"
            "main.toml:7:34: Invalid depends_on entry \"nonsense here\": expected a resource, data "
            "source or module address\n"
            "main.toml:8:12: Invalid provider \"aws west\": expected a provider name like \"aws\" or "
            "\"aws.west\"\n"
            "main.toml:9:32: Invalid lifecycle.ignore_changes (a list of attribute paths, or "
            "\"all\"): expected an array, got string\n"
            "main.toml:6:12: Invalid combination of \"count\" and \"for_each\" in aws_instance.web\n"
            "main.toml:12:1: Unsupported argument \"lifecycle\" in data.aws_ami.x\n"
            "main.toml:16:1: Unsupported argument \"version\" in module \"net\"\n"
            "main.toml:14:1: Missing source in module \"net\"");
}

TEST(LoadStack, VariableTypesAndDefaultsAreChecked) {
  testing::TempDir dir;
  dir.Write("main.toml", R"toml([variable.a]
type = "strng"

[variable.b]
type = "number"
default = "many"

[variable.c]
type = "list(string)"
default = ["x", ["y"]]

[variable.d]
default = "${var.a}"

[variable.e]
type = "map(number)"
default = { x = "1" }
)toml");
  Stack stack;
  Diagnostics diags = LoadStack(dir.path(), &stack);
  EXPECT_EQ(Lines(diags),
            "main.toml:2:8: Invalid type for variable \"a\": unknown type \"strng\"; did you mean "
            "\"string\"?\n"
            "main.toml:6:11: Invalid default for variable \"b\": a number is required, got string "
            "\"many\"\n"
            "main.toml:10:11: Invalid default for variable \"c\": element 1: a string is required, "
            "got list\n"
            "main.toml:13:14: Variables not allowed in the default of variable \"d\": \"var.a\"");
  EXPECT_EQ(stack.root->variables.at("e").type, "map(number)");
}

TEST(LoadStack, ModulesLoadRecursivelyWithRelativeFileNames) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([module.net]
source = "./modules/net"
cidr = "10.0.0.0/16"

[output.vpc]
value = "${module.net.vpc_id}"
)");
  dir.Write("modules/net/main.toml", R"([variable.cidr]
type = "string"

[resource.aws_vpc.this]
cidr_block = "${var.cidr}"

[output.vpc_id]
value = "${aws_vpc.this.id}"
)");
  Stack stack;
  ASSERT_EQ(Lines(LoadStack(dir.path(), &stack)), "");
  ASSERT_EQ(Lines(CheckReferences(stack)), "");
  const ModuleCall& call = stack.root->module_calls.at("net");
  ASSERT_NE(call.module, nullptr);
  EXPECT_EQ(call.module->display_dir, "modules/net");
  EXPECT_EQ(call.module->path, std::vector<std::string>{"net"});
  EXPECT_EQ(call.module->resources.at("aws_vpc.this").range.ToString(),
            "modules/net/main.toml:4:1");
  EXPECT_EQ(call.inputs.Find("cidr")->range().ToString(), "main.toml:3:8");
}

TEST(LoadStack, BadModuleSourcesAndCycles) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([module.a]
source = "./modules/a"

[module.b]
source = "git::https://example.com/x.git"

[module.c]
source = "./modules/nope"
)");
  dir.Write("modules/a/main.toml", "[module.again]\nsource = \"../a\"\n");
  Stack stack;
  EXPECT_EQ(Lines(LoadStack(dir.path(), &stack)),
            "modules/a/main.toml:2:10: Module cycle: module \"again\" calls \"../a\", which is "
            "already being loaded\n"
            "main.toml:5:10: Unsupported module source \"git::https://example.com/x.git\"\n"
            "main.toml:8:10: Module source \"./modules/nope\" does not exist");
}

TEST(LoadStack, MissingDirectoryAndEmptyDirectory) {
  testing::TempDir dir;
  Stack stack;
  EXPECT_EQ(LoadStack(dir.path() + "/absent", &stack)[0].summary,
            "Stack directory \"" + dir.path() + "/absent\" does not exist");
  EXPECT_EQ(LoadStack(dir.path(), &stack)[0].summary,
            "No stack files in \"" + dir.path() + "\"");
}

TEST(CheckReferences, UndeclaredNamesGetSuggestions) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([variable.region]
default = "us-west-2"

[locals]
name = "web"

[resource.aws_vpc.main]
cidr_block = "10.0.0.0/16"

[data.aws_ami.ubuntu]
owners = ["self"]

[resource.aws_subnet.a]
vpc_id = "${aws_vpc.mian.id}"
az = "${var.regoin}a"
name = "${local.nmae}"
other = "${var.name}"
ami = "${aws_ami.ubuntu.id}"
x = "${module.nope.out}"
key = "${each.key}"
index = "${count.index}"
)");
  Stack stack;
  ASSERT_EQ(Lines(LoadStack(dir.path(), &stack)), "");
  EXPECT_EQ(Lines(CheckReferences(stack)),
            "main.toml:14:13: Reference to undeclared resource \"aws_vpc.mian\"; did you mean "
            "\"aws_vpc.main\"?\n"
            "main.toml:15:9: Reference to undeclared variable \"var.regoin\"; did you mean "
            "\"var.region\"?\n"
            "main.toml:16:11: Reference to undeclared local value \"local.nmae\"; did you mean "
            "\"local.name\"?\n"
            "main.toml:17:12: Reference to undeclared variable \"var.name\"; did you mean "
            "\"local.name\"?\n"
            "main.toml:18:10: Reference to undeclared resource \"aws_ami.ubuntu\"; did you mean "
            "\"data.aws_ami.ubuntu\"?\n"
            "main.toml:19:8: Reference to undeclared module \"module.nope.out\"\n"
            "main.toml:20:10: \"each.key\" can only be used in a resource, data or module block "
            "with for_each\n"
            "main.toml:21:12: \"count.index\" can only be used in a resource, data or module "
            "block with count");
}

TEST(CheckReferences, ModuleInputsAndOutputs) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([module.net]
source = "./net"
cidr_blok = "10.0.0.0/16"
zones = "not a list"

[output.vpc]
value = "${module.net.vpcid}"
)");
  dir.Write("net/vars.toml", R"toml([variable.cidr_block]
type = "string"

[variable.zones]
type = "list(string)"
default = []

[output.vpc_id]
value = "x"
)toml");
  Stack stack;
  ASSERT_EQ(Lines(LoadStack(dir.path(), &stack)), "");
  EXPECT_EQ(Lines(CheckReferences(stack)),
            "main.toml:1:1: Missing required argument \"cidr_block\" in module \"net\"\n"
            "main.toml:3:13: Unsupported argument \"cidr_blok\" in module \"net\"; did you mean "
            "\"cidr_block\"?\n"
            "main.toml:4:9: Invalid value for variable \"zones\": a list is required, got string "
            "\"not a list\"\n"
            "main.toml:7:12: Module \"net\" has no output \"vpcid\"; did you mean "
            "\"module.net.vpc_id\"?");
}

TEST(CheckReferences, EachAndCountAllowedWhereSet) {
  testing::TempDir dir;
  dir.Write("main.toml", R"([resource.aws_subnet.a]
for_each = ["x", "y"]
name = "${each.key}-${each.value}"

[resource.aws_subnet.b]
count = 2
name = "b-${count.index}"
for = '${aws_subnet.a["x"].id}'
provider = "aws.east"
)");
  Stack stack;
  ASSERT_EQ(Lines(LoadStack(dir.path(), &stack)), "");
  EXPECT_EQ(Lines(CheckReferences(stack)),
            "main.toml:5:1: Provider configuration \"aws.east\" is not declared");
}

}  // namespace
}  // namespace reconcile::config
