// A password made by random_password and stored as an SSM SecureString,
// through the reconcile binary and its plugins: the value reaches SSM intact
// and never appears in anything plan, apply, show or output print or log.
#include <fstream>
#include <sstream>

#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

const char* kStack = R"([resource.random_password.db]
length = 32

[resource.aws_ssm_parameter.db_password]
name = "/app/db/password"
type = "SecureString"
value = "${random_password.db.result}"
description = "database password"

[output.password_arn]
value = "${aws_ssm_parameter.db_password.arn}"

[output.password]
value = "${random_password.db.result}"
sensitive = true
)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SecretParameterTest : public AwsStackTest {
 protected:
  // Runs `reconcile ARGS` in the stack with `env` set; returns its exit status
  // and appends what it printed (stdout, stderr) to transcript_.
  int Reconcile(const std::string& args, const std::string& env) {
    std::string name = "run" + std::to_string(++runs_);
    std::string out = logs_.path() + "/" + name + ".out";
    std::string err = logs_.path() + "/" + name + ".err";
    int status = RunShell("cd " + stack_dir() + " && env NO_COLOR=1 " + env + " " +
                          RECONCILE_TOOL_PATH + " " + args + " >" + out + " 2>" + err);
    transcript_ += "$ reconcile " + args + "\n" + ReadFile(out) + ReadFile(err);
    return status;
  }

  TempDir logs_;
  std::string transcript_;
  int runs_ = 0;
};

TEST_F(SecretParameterTest, GeneratedPasswordReachesSsmAndIsNeverPrinted) {
  // Given a stack storing a generated password as a SecureString
  WriteStack(kStack);
  std::string log = logs_.path() + "/apply.log";

  // When planned, applied, planned again and shown with debug and trace logging on
  ASSERT_EQ(Reconcile("plan", "RECONCILE_LOG=debug"), 0) << transcript_;
  ASSERT_EQ(Reconcile("apply --auto-approve", "RECONCILE_LOG=debug RECONCILE_LOG_FILE=" + log), 0)
      << transcript_;
  ASSERT_EQ(Reconcile("plan --detailed-exitcode", "RECONCILE_LOG=trace"), 0) << transcript_;
  ASSERT_EQ(Reconcile("show", "RECONCILE_LOG=debug"), 0) << transcript_;
  ASSERT_EQ(Reconcile("output", "RECONCILE_LOG=debug"), 0) << transcript_;
  ASSERT_EQ(Reconcile("state show aws_ssm_parameter.db_password", "RECONCILE_LOG=debug"), 0)
      << transcript_;

  // Then SSM holds the very password the state recorded
  nlohmann::json parameter =
      AwsCli("ssm get-parameter --with-decryption --name /app/db/password")["Parameter"];
  std::string secret = parameter["Value"];
  EXPECT_EQ(parameter["Type"], "SecureString");
  ASSERT_EQ(secret.size(), 32u);
  nlohmann::json state =
      nlohmann::json::parse(ReadFile(stack_dir() + "/.reconcile/state/default.json"));
  std::string recorded;
  for (const nlohmann::json& r : state["resources"])
    if (r["address"] == "random_password.db") recorded = r["attributes"]["result"];
  EXPECT_EQ(recorded, secret);

  // and neither it nor any 8 characters of it appear in anything printed or logged
  std::string everything = transcript_ + ReadFile(log);
  ASSERT_NE(everything.find("GetParameters"), std::string::npos)
      << "the logs should show the AWS calls";
  ASSERT_NE(everything.find("(sensitive"), std::string::npos) << transcript_;
  for (std::size_t at = 0; at + 8 <= secret.size(); ++at)
    EXPECT_EQ(everything.find(secret.substr(at, 8)), std::string::npos)
        << "secret fragment " << secret.substr(at, 8) << " printed";
  RecordProperty("bytes_scanned", static_cast<int>(everything.size()));
}

}  // namespace
}  // namespace reconcile::testing
